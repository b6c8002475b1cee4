"""Official-format VQ-VAE tokenizer checkpoint with deterministic weights, and the official outputs.

Run from models/recipe with a checkout of github.com/apple/ml-4m (ML4M_DIR, default /tmp/ml-4m):

    python -m fourm_recipe.official.vq_fixture --out ../../test/fixtures/official-vqvae
    python -m fourm_recipe.official.vq_fixture --variant clip --out ../../test/fixtures/official-vqvae-clip

What it does:
1. Builds the official `VQVAE` (fourm/vq/vqvae.py) in the layout of 4M-21's semantic-segmentation
   tokenizer (`4M_tokenizers_semseg_4k_224-448`): `cls_emb` 134 classes -> 64 channels, ViT encoder
   with patch 16 and the tanh post-MLP, `quant_proj` to 32, the cosine-similarity Lucid quantizer
   with 4,096 codes, `post_quant_proj`, ViT decoder with the post-MLP and a 134 x 16 x 16 `out_proj`.
   The ViT is shrunk to width 128, depth 2, 2 heads (head width 64, as every official ViT preset);
   it is the official `ViTEncoder` / `ViTDecoder` class, registered under the preset names
   `vit_t_enc` / `vit_t_dec`. `image_size` is 448 as in the released 224-448 tokenizers, so the
   28 x 28 sin-cos position tables are bicubic-resized to 14 x 14 at the 224 px run.
2. Fills every parameter, and the codebook buffer, with a hash of (tensor name, index): int16 values
   scaled by a power of two (about 1/sqrt(fan-in) for weights), exact in float32 and cheap to rebuild
   in TypeScript. The other buffers and the frozen position tables keep the official code's values
   and are stored, deduplicated, in `buffers.bin`.
3. Saves it as the released tokenizers are saved (Hugging Face `save_pretrained`: `config.json` +
   `model.safetensors`) in a temporary folder; records the header verbatim and the file's SHA-256,
   so the test rebuilds the identical file instead of committing it.
4. Runs the official code: `tokenize` of a committed 224 x 224 class map (`input.bin`, uint8) and
   `decode_tokens` of committed token ids. Writes `reference.json`, the decoded argmax class map
   (`decoded-argmax.bin`, uint8) and the logits of every class at 512 sampled pixels
   (`decoded-logits.bin`, float32).

`--variant clip` makes the feature-map member of the family instead (the layout of
`4M_tokenizers_CLIP-B16_8k_224-448`: a 512-channel 14 x 14 map in, 1 x 1 projections, no patch
projection, 8,192 codes): tokens of a hashed feature map and decoded features at 32 grid cells.
"""
from __future__ import annotations

import functools
import hashlib
import json
import math
from pathlib import Path

import numpy as np
import torch

from .fm_fixture import fill_value, rounded, write_checkpoint_json
from .official_import import fixture_arguments, import_official_vq, keep_argument

WIDTH, DEPTH, HEADS = 128, 2, 2
NUM_CLASSES = 134  # COCO panoptic semantic classes + void (COCO_SEMSEG_NUM_CLASSES)
SIZE = 224  # the run's input size: 14 x 14 tokens
SAMPLED_PIXELS = 512

# The init arguments the released semseg tokenizer is built from (get_image_tokenizer's renaming of
# the training args), with the ViT presets swapped for the shrunk ones.
CONFIG = {
    "image_size": 448, "image_size_enc": None, "image_size_dec": None,
    "n_channels": 64, "n_labels": NUM_CLASSES,
    "enc_type": "vit_t_enc", "dec_type": "vit_t_dec",
    "patch_proj": True, "post_mlp": True, "patch_size": 16, "patch_size_dec": None, "out_conv": False,
    "quant_type": "lucid", "codebook_size": 4096, "num_codebooks": 1, "latent_dim": 32,
    "norm_codes": True, "norm_latents": False, "sync_codebook": False,
    "ema_decay": 0.99, "threshold_ema_dead_code": 0.25, "code_replacement_policy": "batch_random",
    "commitment_weight": 1.0, "kmeans_init": False, "undo_std": False,
    "domain": "semseg_coco",
}

# The feature-map family (CLIP-B16_8k_224-448; DINOv2 and ImageBind differ only in channels and
# patch size): no patch projection, 1x1 convolutions in and out, 8,192 codes.
CONFIG_CLIP = {
    **{k: v for k, v in CONFIG.items() if k not in ("n_labels", "domain")},
    "n_channels": 512, "n_labels": None, "patch_proj": False, "codebook_size": 8192, "domain": "CLIP-B16",
}
FEATURE_POSITIONS = 32


def register_presets(vit_models) -> None:
    """`vit_t_enc` / `vit_t_dec`: the official classes at width 128, depth 2, 2 heads."""
    small = {"dim_tokens": WIDTH, "depth": DEPTH, "num_heads": HEADS, "mlp_ratio": 4.0, "qkv_bias": True}
    vit_models.vit_t_enc = functools.partial(vit_models.ViTEncoder, **small)
    vit_models.vit_t_dec = functools.partial(vit_models.ViTDecoder, **small)


def pow2(x: float) -> float:
    return 2.0 ** round(math.log2(x))


def fill_rule(key: str, t: torch.Tensor) -> tuple[float, float]:
    """(base, scale): value = base + scale * int16 / 32768, all powers of two (exact in float32)."""
    if key == "quantize._codebook.embed" or key == "cls_emb.weight":
        return 0.0, 1.0
    if t.ndim == 1:
        if "norm" in key and key.endswith(".weight"):
            return 1.0, 2.0 ** -3  # LayerNorm gains around 1
        return 0.0, 2.0 ** -4  # biases, LayerNorm shifts
    fan_in = int(np.prod(t.shape[1:]))
    return 0.0, pow2(math.sqrt(3.0 / fan_in))  # uniform with std about 1/sqrt(fan-in)


FILLED_BUFFERS = {"quantize._codebook.embed"}


def build_model(vqvae, vit_models, config: dict):
    register_presets(vit_models)
    torch.manual_seed(0)
    model = vqvae.VQVAE(config=dict(config)).eval()
    fills: dict[str, dict] = {}
    with torch.no_grad():
        for key, t in model.state_dict(keep_vars=True).items():
            trainable = isinstance(t, torch.nn.Parameter) and t.requires_grad
            if trainable or key in FILLED_BUFFERS:
                base, scale = fill_rule(key, t)
                t.copy_(torch.from_numpy(fill_value(key, base, scale, tuple(t.shape))))
                fills[key] = {"seed": key, "base": base, "scale": scale}
    return model, fills


def save_checkpoint(model, folder: Path, config: dict) -> Path:
    from safetensors.torch import save_model

    folder.mkdir(parents=True, exist_ok=True)
    try:
        model.save_pretrained(folder, config=dict(config))  # PyTorchModelHubMixin
    except Exception as error:  # noqa: BLE001 - hub versions differ; the file format does not
        print(f"save_pretrained unavailable ({error}); writing the same two files directly")
        save_model(model, str(folder / "model.safetensors"))
        (folder / "config.json").write_text(json.dumps(config, indent=2))
    if not (folder / "config.json").exists():
        (folder / "config.json").write_text(json.dumps(config, indent=2))
    return folder / "model.safetensors"


def class_map(g: np.random.Generator, size: int = SIZE) -> np.ndarray:
    """A size x size layout (224 or a multiple of it, the shapes scaled alike): void background, then
    overlapping rectangles and discs of 12 classes."""
    s = size // SIZE
    m = np.zeros((size, size), np.uint8)
    yy, xx = np.mgrid[0:size, 0:size]
    for c in g.choice(np.arange(1, NUM_CLASSES), 12, replace=False):
        if g.random() < 0.5:
            y0, x0 = g.integers(0, size - 40 * s, 2)
            h, w = g.integers(30 * s, 120 * s, 2)
            m[y0:y0 + h, x0:x0 + w] = c
        else:
            cy, cx, r = *g.integers(20 * s, size - 20 * s, 2), g.integers(15 * s, 60 * s)
            m[(yy - cy) ** 2 + (xx - cx) ** 2 < r * r] = c
    return m


def token_references(model, x: torch.Tensor, side: int) -> dict:
    """The tokens of input `x` (side x side), and the gap between the top-1 and top-2 cosine
    similarities the quantizer took the argmax of, per token (how close each choice was to a tie)."""
    tokens = model.tokenize(x)
    assert tuple(tokens.shape) == (1, side, side), tokens.shape
    h = model.quant_proj(model.encoder(model.prepare_input(x)))
    z = torch.nn.functional.normalize(h[0].flatten(1).t(), dim=-1)
    e = torch.nn.functional.normalize(model.quantize.codebook, dim=-1)
    top2 = (z @ e.t()).topk(2, dim=-1).values
    return {"tokens": tokens[0].flatten().tolist(), "tokenGap": rounded((top2[:, 0] - top2[:, 1]).numpy()),
            "distinctTokens": int(tokens.unique().numel())}


def reference_outputs(model, out: Path) -> dict:
    g = np.random.default_rng(14)
    cmap = class_map(g)
    (out / "input.bin").write_bytes(cmap.tobytes())
    result: dict = {"input": {"file": "input.bin", "height": SIZE, "width": SIZE,
                              "sha256": hashlib.sha256(cmap.tobytes()).hexdigest()}}
    with torch.no_grad():
        x = torch.from_numpy(cmap.astype(np.int64))[None]
        result.update(token_references(model, x, 14))

        ids = g.integers(0, CONFIG["codebook_size"], (1, 14, 14))
        logits = model.decode_tokens(torch.from_numpy(ids))
        assert tuple(logits.shape) == (1, NUM_CLASSES, SIZE, SIZE), logits.shape
        lg = logits[0].numpy()
        argmax = lg.argmax(axis=0).astype(np.uint8)
        top2 = np.sort(lg, axis=0)[-2:]
        gap = top2[1] - top2[0]
        (out / "decoded-argmax.bin").write_bytes(argmax.tobytes())
        pixels = np.sort(g.choice(SIZE * SIZE, SAMPLED_PIXELS, replace=False))
        flat = lg.reshape(NUM_CLASSES, -1)
        sampled = np.ascontiguousarray(flat[:, pixels].T).astype("<f4")  # [pixel, class]
        (out / "decoded-logits.bin").write_bytes(sampled.tobytes())
        near = np.flatnonzero(gap.reshape(-1) < 1e-3)
        result["decode"] = {
            "ids": ids[0].flatten().tolist(),
            "classes": NUM_CLASSES, "height": SIZE, "width": SIZE,
            "argmaxFile": "decoded-argmax.bin",
            "logitsFile": "decoded-logits.bin", "pixels": pixels.tolist(),
            "maxAbsLogit": float(np.abs(lg).max()),
            "minGap": float(gap.min()),
            "nearTies": near.tolist(),
            "distinctClasses": int(np.unique(argmax).size),
        }
    return result


def reference_outputs_features(model, config: dict, out: Path) -> dict:
    """Feature-map tokenizer: tokens of a hashed 512 x 14 x 14 map (seed "input", rebuilt by the test),
    decoded features of committed ids at 32 sampled grid cells (every channel)."""
    g = np.random.default_rng(15)
    side = SIZE // config["patch_size"]
    shape = (1, config["n_channels"], side, side)
    fmap = fill_value("input", 0.0, 1.0, shape)
    result: dict = {"input": {"seed": "input", "base": 0.0, "scale": 1.0, "shape": list(shape)}}
    with torch.no_grad():
        x = torch.from_numpy(fmap)
        result.update(token_references(model, x, side))
        ids = g.integers(0, config["codebook_size"], (1, side, side))
        dec = model.decode_tokens(torch.from_numpy(ids))
        assert tuple(dec.shape) == (1, config["n_channels"], side, side), dec.shape
        flat = dec[0].numpy().reshape(config["n_channels"], -1)
        cells = np.sort(g.choice(side * side, FEATURE_POSITIONS, replace=False))
        sampled = np.ascontiguousarray(flat[:, cells].T).astype("<f4")  # [cell, channel]
        (out / "decoded-features.bin").write_bytes(sampled.tobytes())
        result["decode"] = {"ids": ids[0].flatten().tolist(), "channels": config["n_channels"], "height": side, "width": side,
                            "featuresFile": "decoded-features.bin", "cells": cells.tolist(),
                            "maxAbs": float(np.abs(flat).max())}
    return result


def main() -> None:
    def arguments(ap) -> None:
        keep_argument(ap)
        ap.add_argument("--variant", choices=["semseg", "clip"], default="semseg",
                        help="semseg (cls_emb, patch 16, class logits) or clip (512-channel feature map, no patch projection)")

    args = fixture_arguments(__doc__, arguments)
    vqvae, vit_models = import_official_vq(args.ml4m)
    args.out.mkdir(parents=True, exist_ok=True)
    config = CONFIG if args.variant == "semseg" else CONFIG_CLIP
    model, fills = build_model(vqvae, vit_models, config)
    described = write_checkpoint_json(lambda folder: save_checkpoint(model, folder, config), model.state_dict(), fills.get,
                                      args.out, args.keep, "official-vqvae")
    if args.variant == "clip":
        ref = reference_outputs_features(model, config, args.out)
        ref["checkpointSha256"] = described["sha256"]
        (args.out / "reference.json").write_text(json.dumps(ref))
        print(f"checkpoint {described['bytes']} bytes, sha256 {described['sha256'][:16]}…; "
              f"{ref['distinctTokens']} distinct tokens (min gap {min(ref['tokenGap']):.2e}); "
              f"decoded |value| ≤ {ref['decode']['maxAbs']:.2f}")
        return
    ref = reference_outputs(model, args.out)
    ref["checkpointSha256"] = described["sha256"]
    (args.out / "reference.json").write_text(json.dumps(ref))
    d = ref["decode"]
    print(f"checkpoint {described['bytes']} bytes, sha256 {described['sha256'][:16]}…; "
          f"{len(described['tensors'])} tensors, {len(described['buffers'])} distinct buffers; "
          f"{ref['distinctTokens']} distinct tokens (min gap {min(ref['tokenGap']):.2e}); decoded "
          f"{d['distinctClasses']} classes, |logit| ≤ {d['maxAbsLogit']:.2f}, min gap {d['minGap']:.2e}, "
          f"{len(d['nearTies'])} near ties")


if __name__ == "__main__":
    main()
