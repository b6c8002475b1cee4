"""448 px pictures through the official tokenizer encoders (28 x 28 tokens): the reference for the
engine's encode path at 448, which masked regeneration on the super-resolution model's 448 canvas
("Continue at 448") uses to keep the tokens outside the region.

Run from models/recipe with a checkout of github.com/apple/ml-4m (ML4M_DIR, default /tmp/ml-4m):

    python -m fourm_recipe.official.tokenizers_448_encode --out ../../test/fixtures/official-tokenizers-448-encode

What it does:
1. Rebuilds the tokenizer checkpoints the 448 decode reference uses (tokenizers_448.py: the semseg
   VQ-VAE, the RGB and 1-channel depth DiVAEs, the normal-map DiVAE), each checked to save to the
   file its fixture recorded (SHA-256), so nothing new is committed but pictures and outputs.
2. Draws four 448 x 448 pictures as the editor holds those layers after "Continue at 448" and writes
   them as PNGs: an RGB scene, a depth map in grey (255 = near), an RGB-encoded normal map and a
   class map (grey PNG of class ids, 12 classes over void).
3. Turns each into what the official encoder takes with the official transforms (as divae_painted.py
   at 224): RGB and normals to_tensor + normalize(0.5, 0.5) (byte / 255 * 2 - 1), depth as 4M stores
   it through the official DepthTransform's truncated standardization, the class map as int64 ids.
4. Runs the official `tokenize` at 448 (the stored 28 x 28 position tables at their own size) and
   writes the tokens, the top-1/top-2 cosine gap of each, 2,048 sampled values of the normalised
   input and 2,048 sampled pre-quantization values (`quant_proj(encoder(prepare_input(x)))`, read
   as [784 cells, latent channels], row-major).
"""
from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from .divae_painted import normal_picture, official_depth, unit_range
from .divae_whole import VARIANTS as DIVAE_VARIANTS
from .divae_whole import build_model as build_divae
from .divae_whole import import_divae
from .official_import import _OPTIONAL_VQ, _prepare, fixture_arguments
from .tokenizers_448 import expect_fixture
from .vq_fixture import CONFIG as SEMSEG_CONFIG
from .vq_fixture import class_map, save_checkpoint, token_references
from .vq_fixture import build_model as build_vqvae

SIZE, GRID = 448, 28
SAMPLED = 2048
FIXTURES = Path(__file__).resolve().parents[4] / "test" / "fixtures"


def grid() -> tuple[np.ndarray, np.ndarray]:
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)
    return y, x


def rgb_picture() -> np.ndarray:
    """A sky fading to the horizon, a sun, green ground with furrows, a striped red box."""
    y, x = grid()
    img = np.zeros((SIZE, SIZE, 3))
    t = y / SIZE
    img[..., 0], img[..., 1], img[..., 2] = 90 + 100 * t, 140 + 80 * t, 230 - 20 * t
    ground = y >= 260
    img[ground] = np.stack([60 + 0 * x[ground], 120 + 40 * np.sin(x[ground] / 9.0), 50 + 0 * x[ground]], -1)
    img[(x - 330) ** 2 + (y - 90) ** 2 < 45 ** 2] = (250, 220, 90)
    box = (x >= 60) & (x < 200) & (y >= 180) & (y < 330)
    img[box] = np.stack([200 + 40 * (((x[box] // 12) % 2)), 40 + 0 * x[box], 40 + 0 * x[box]], -1)
    return np.round(img).clip(0, 255).astype(np.uint8)


def depth_picture() -> np.ndarray:
    y, x = grid()
    grey = np.zeros((SIZE, SIZE))  # sky: far
    floor = y >= 180
    grey[floor] = 60 + (y[floor] - 180) / (SIZE - 1 - 180) * 195
    grey[(x >= 40) & (x < 140) & (y >= 120) & (y < 260)] = 150
    grey[(x - 300) ** 2 + (y - 280) ** 2 < 70 ** 2] = 230
    return np.round(grey).astype(np.uint8)


def main() -> None:
    args = fixture_arguments(__doc__)
    vqvae = import_divae(args.ml4m)  # also registers vq_fixture's ViT presets
    _prepare(args.ml4m, _OPTIONAL_VQ)  # for the official DepthTransform
    import fourm.vq.models.vit_models as vit_models  # noqa: E402

    args.out.mkdir(parents=True, exist_ok=True)
    g = np.random.default_rng(4480)

    semseg, _ = build_vqvae(vqvae, vit_models, SEMSEG_CONFIG)
    rgb, _ = build_divae(vqvae, DIVAE_VARIANTS["rgb"])
    depth, _ = build_divae(vqvae, DIVAE_VARIANTS["depth"])
    normal_config = {**DIVAE_VARIANTS["rgb"], "codebook_size": 8192, "domain": "normal"}
    normal, _ = build_divae(vqvae, normal_config)
    normal_sha = json.loads((FIXTURES / "official-tokenizers-448" / "divae-normal" / "checkpoint.json").read_text())["sha256"]
    with tempfile.TemporaryDirectory() as tmp:
        got = hashlib.sha256(save_checkpoint(normal, Path(tmp) / "tok", normal_config).read_bytes()).hexdigest()
    if got != normal_sha:
        raise SystemExit(f"official-tokenizers-448/divae-normal: the rebuilt checkpoint is {got[:16]}…, the fixture recorded {normal_sha[:16]}…")

    cases = {
        "rgb": (rgb, "official-divae-rgb", expect_fixture(rgb, DIVAE_VARIANTS["rgb"], "official-divae-rgb"), rgb_picture(), unit_range),
        "depth": (depth, "official-divae-depth", expect_fixture(depth, DIVAE_VARIANTS["depth"], "official-divae-depth"), depth_picture(), official_depth),
        "normal": (normal, "official-tokenizers-448/divae-normal", normal_sha, normal_picture(SIZE), unit_range),
        "semseg": (semseg, "official-vqvae", expect_fixture(semseg, SEMSEG_CONFIG, "official-vqvae"), class_map(g, SIZE),
                   lambda m: torch.from_numpy(m.astype(np.int64))[None]),
    }
    ref: dict = {"size": SIZE, "grid": GRID, "cases": {}}
    blobs: list[np.ndarray] = []
    offset = 0
    for name, (model, checkpoint, sha, picture, transform) in cases.items():
        file = f"{name}.png"
        Image.fromarray(picture).save(args.out / file)
        with torch.no_grad():
            x = transform(picture)
            x = x if name == "semseg" else x.float()
            entry = {"file": file, "checkpoint": checkpoint, "checkpointSha256": sha, "shape": list(x.shape),
                     "pngSha256": hashlib.sha256((args.out / file).read_bytes()).hexdigest()}
            entry.update(token_references(model, x, GRID))
            h = model.quant_proj(model.encoder(model.prepare_input(x)))
            assert tuple(h.shape[2:]) == (GRID, GRID), h.shape
            latent = h[0].flatten(1).t().contiguous().numpy().reshape(-1)  # [784, D] row-major
        entry["latentDim"] = int(h.shape[1])
        entry["maxAbsLatent"] = float(np.abs(latent).max())
        if name != "semseg":
            flat = x.numpy().reshape(-1)
            idx = np.sort(g.choice(flat.size, SAMPLED, replace=False))
            entry["inputIndices"], entry["inputOffset"] = idx.tolist(), offset
            blobs.append(flat[idx].astype("<f4"))
            offset += SAMPLED
            entry["inputStats"] = {"min": float(flat.min()), "max": float(flat.max())}
        lidx = np.sort(g.choice(latent.size, SAMPLED, replace=False))
        entry["latentIndices"], entry["latentOffset"] = lidx.tolist(), offset
        blobs.append(latent[lidx].astype("<f4"))
        offset += SAMPLED
        ref["cases"][name] = entry
        print(f"{name} 448: {entry['distinctTokens']} distinct tokens, min gap {min(entry['tokenGap']):.2e}, |latent| ≤ {entry['maxAbsLatent']:.2f}")
    data = np.concatenate(blobs).tobytes()
    (args.out / "values.bin").write_bytes(data)
    ref["values"] = "values.bin"
    ref["valuesSha256"] = hashlib.sha256(data).hexdigest()
    (args.out / "reference.json").write_text(json.dumps(ref))


if __name__ == "__main__":
    main()
