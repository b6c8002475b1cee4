"""More of the official 4M-7-SR-layout checkpoint: float16 storage and the rgb@448 pixel input.

Run from models/recipe with a checkout of github.com/apple/ml-4m (ML4M_DIR, default /tmp/ml-4m):

    python -m fourm_recipe.official.fm_sr_extra --out ../../test/fixtures/official-fm-sr-extra

It rebuilds the FM of fm_sr_fixture.py (same config, same hashed parameters, the official buffers)
and first checks it is the very model of test/fixtures/official-fm-sr: its encoder context on that
fixture's state must equal the committed context.bin byte for byte. Then:

1. float16. The official wrapper loads a checkpoint with `load_state_dict`, which copies each stored
   tensor into the float32 model; a float16 file therefore runs as float32 arithmetic over
   float16-rounded values. Done here two ways on the official-fm-sr state (caption, det,
   tok_rgb@224, tok_semseg@224, tok_clip@448, tok_rgb@448 with 60 cells decoded):
   - `asLoaded`: every tensor of the state dict rounded (round to nearest even), the stored sin-cos
     position tables included: what the official code computes from a float16 file;
   - `paramsOnly`: the parameters rounded, the sin-cos buffers kept exact: what an engine that
     recomputes the sin-cos tables in float32 at load should match.
   For each: sampled rows of the encoder context, and the tok_rgb@448 MaskGIT logits of the 724
   pending cells through `forward_enc_dec_maskgit_batched` (every row's argmax and top-1/top-2 gap,
   every 27th row's every 127th column).
2. rgb@448. A hashed 448 x 448 picture ("rgb@448 picture", the low byte of the fixtures' hash),
   normalised as the official RGB transform does (to [0, 1], ImageNet mean / std), through
   `encoder_embeddings["rgb@448"]` (patch projection x, position + modality rows), the encoder
   context of {caption, rgb@448, tok_rgb@224}, and tok_rgb@448 logits of 20 cells through
   `forward_enc_dec_roar_batched`. float32 weights.

Writes reference.json only (about 0.2 MB).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from .fm_fixture import build_model, encoder_context, fnv1a32, hash_int16, logit_summary, rounded
from .fm_sr_fixture import CONFIG
from .official_import import fixture_arguments, import_official

FIXTURES = Path(__file__).resolve().parents[4] / "test" / "fixtures"
CONTEXT_STRIDE = 13  # context rows kept: 0, 13, 26, … and the last
ROW_STRIDE, COL_STRIDE = 27, 127  # MaskGIT rows / columns kept in float16
SIDE = 448


def entry(tensor, visible: list[int] | None, as_target: bool = False) -> dict:
    """An official mod_dict entry: visible cells are inputs; a target's other cells are pending."""
    t = tensor if isinstance(tensor, torch.Tensor) else torch.tensor([tensor])
    n = t.shape[1] if t.ndim == 2 else int(t.shape[-1] // 16) * int(t.shape[-2] // 16)
    input_mask = torch.ones(1, n, dtype=torch.bool)
    input_mask[0, list(range(n)) if visible is None else visible] = False
    target_mask = ~input_mask if as_target else torch.ones(1, n, dtype=torch.bool)
    return {"tensor": t, "input_mask": input_mask, "target_mask": target_mask,
            "decoder_attention_mask": torch.zeros(1, n, dtype=torch.bool)}


def context_of(model, sampler, d: dict) -> np.ndarray:
    # Copies: the embeddings add keys to the entries, and the caller's state is queried again.
    return encoder_context(model, sampler, {m: dict(v) for m, v in d.items()})[0].numpy().astype("<f4")


def sampled_rows(a: np.ndarray, stride: int) -> dict:
    rows = sorted(set(range(0, a.shape[0], stride)) | {a.shape[0] - 1})
    return {"rows": rows, "values": rounded(a[rows])}


def sr_state(ref: dict) -> dict:
    """The official-fm-sr fixture's state (the encoder concatenates in sorted order)."""
    d = {name: entry(ref["inputs"][name]["tensor"], ref["inputs"][name]["visible"], name == ref["target"])
         for name in [*ref["conditions"], ref["target"]]}
    return dict(sorted(d.items()))


def float16_references(model, sampler, ref: dict) -> dict:
    target = ref["target"]
    pristine = {k: v.detach().clone() for k, v in model.state_dict().items()}
    buffers = {name for name, _ in model.named_buffers()}
    out: dict = {}
    for label, rounded_keys in (("asLoaded", set(pristine)), ("paramsOnly", set(pristine) - buffers)):
        model.load_state_dict({k: (v.half() if k in rounded_keys else v) for k, v in pristine.items()})
        with torch.no_grad():
            ctx = context_of(model, sampler, sr_state(ref))
            logits, mod_pos = sampler.forward_enc_dec_maskgit_batched(sr_state(ref), target)
        pending = mod_pos[0].tolist()
        lg = logits[0].numpy()
        keep = sorted(set(range(0, len(pending), ROW_STRIDE)) | {len(pending) - 1})
        top2 = np.sort(lg, axis=1)[:, -2:]
        out[label] = {
            "rounded": "every tensor" if label == "asLoaded" else "parameters (sin-cos buffers exact)",
            "roundedTensors": len(rounded_keys),
            "context": sampled_rows(ctx, CONTEXT_STRIDE),
            "maskgit": {"pending": pending, "argmaxAll": lg.argmax(axis=1).tolist(), "gapAll": rounded(top2[:, 1] - top2[:, 0]),
                        "positions": [pending[r] for r in keep], **logit_summary(lg[keep], COL_STRIDE)},
        }
    model.load_state_dict(pristine)
    return out


def picture() -> np.ndarray:
    """[448, 448, 3] uint8 (H, W, C), the low byte of the fixtures' hash."""
    h = hash_int16(fnv1a32("rgb@448 picture"), SIDE * SIDE * 3)
    return (h.astype(np.int32) & 0xFF).astype(np.uint8).reshape(SIDE, SIDE, 3)


def rgb448_references(model, sampler, ref: dict) -> dict:
    from fourm.utils.data_constants import IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD

    img = picture().astype(np.float32) / 255.0
    mean = np.asarray(IMAGENET_DEFAULT_MEAN, np.float32)
    std = np.asarray(IMAGENET_DEFAULT_STD, np.float32)
    x = torch.from_numpy(((img - mean) / std).transpose(2, 0, 1).copy())[None]
    n = (SIDE // 16) ** 2
    caption = ref["inputs"]["caption"]
    rgb224 = ref["inputs"]["tok_rgb@224"]
    rows = sorted(set(range(0, n, 41)) | {n - 1})
    target = "tok_rgb@448"
    positions = sorted(np.random.default_rng(4480).choice(n, 19, replace=False).tolist()) + [n - 1]
    with torch.no_grad():
        e = model.encoder_embeddings["rgb@448"](entry(x, None))
        xs, embs = e["x"][0].numpy(), e["emb"][0].numpy()
        inputs = {"caption": entry(caption["tensor"], caption["visible"]), "rgb@448": entry(x, None),
                  "tok_rgb@224": entry(rgb224["tensor"], rgb224["visible"])}
        ctx = context_of(model, sampler, dict(sorted(inputs.items())))
        t = entry(torch.zeros(1, n, dtype=torch.int64), [])
        t["target_mask"][0, positions] = False
        logits, mod_pos = sampler.forward_enc_dec_roar_batched({**dict(sorted(inputs.items())), target: t}, target, len(positions), seed=0)
        order = torch.argsort(mod_pos[0])
        assert mod_pos[0][order].tolist() == positions
        lg = logits[0][order].numpy()
    return {
        "picture": {"seed": "rgb@448 picture", "height": SIDE, "width": SIDE, "layout": "HWC uint8, low byte of hash_int16"},
        "mean": [float(v) for v in IMAGENET_DEFAULT_MEAN], "std": [float(v) for v in IMAGENET_DEFAULT_STD],
        "inputs": ["caption", "rgb@448", "tok_rgb@224"],
        "rows": rows, "x": rounded(xs[rows]), "emb": rounded(embs[rows]),
        "context": {"total": int(ctx.shape[0]), **sampled_rows(ctx, CONTEXT_STRIDE)},
        "logits": {"target": target, "positions": positions, **logit_summary(lg, 61)},
    }


def main() -> None:
    args = fixture_arguments(__doc__)
    fm_mod, gen_mod, _ = import_official(args.ml4m)
    model, _ = build_model(fm_mod, CONFIG)
    sampler = gen_mod.GenerationSampler(model)
    sr = FIXTURES / "official-fm-sr"
    ref = json.loads((sr / "reference.json").read_text())
    with torch.no_grad():
        ctx = context_of(model, sampler, sr_state(ref))
    if ctx.tobytes() != (sr / "context.bin").read_bytes():
        raise SystemExit("the rebuilt SR model's context differs from test/fixtures/official-fm-sr/context.bin")
    result = {"checkpointSha256": ref["checkpointSha256"], "float16": float16_references(model, sampler, ref),
              "rgb448": rgb448_references(model, sampler, ref)}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "reference.json").write_text(json.dumps(result))
    f = result["float16"]
    print(f"float16: {f['asLoaded']['roundedTensors']} tensors rounded as loaded, {f['paramsOnly']['roundedTensors']} parameters only; "
          f"rgb@448 context {result['rgb448']['context']['total']} rows")


if __name__ == "__main__":
    main()
