"""Painted depth, normals and edges through the official DiVAE encoders: the reference tokens for the
engine's painted-layer path (models/engine/vq/official-divae-image.ts: divaeInputFromPicture).

Run from models/recipe with a checkout of github.com/apple/ml-4m (ML4M_DIR, default /tmp/ml-4m):

    python -m fourm_recipe.official.divae_painted --out ../../test/fixtures/official-divae-painted

What it does:
1. Draws three 224 x 224 pictures as the editor stores those layers and writes them as PNGs: a depth
   map in grey (255 = near, 0 = far: a far sky, a floor coming closer, a near disc, a box), a white-on-
   black edge map (outlines with a soft, half-grey diagonal) and an RGB-encoded normal map (a sphere on
   a wall facing the camera).
2. Turns each into what the official tokenizer's encoder takes, with the official transforms
   (fourm/data/modality_transforms.py as MODALITY_TRANSFORMS_DIVAE sets them up): depth as 4M stores it
   (a 16-bit PNG that grows with distance: (255 - grey) * 257) through the official
   `DepthTransform(standardize_depth=True).depth_to_tensor` (/ 65535, then the truncated
   standardization); edges and normals through to_tensor + normalize(mean 0.5, std 0.5), i.e.
   byte / 255 * 2 - 1 (written out here: torchvision is not installed in the reference environment),
   one channel for edges as the 1-channel edge tokenizer takes.
3. Tokenizes them with the official `DiVAE.tokenize` of the fixture tokenizers divae_whole.py builds
   (the same hashed weights as test/fixtures/official-divae-depth for depth and edges, the 1-channel
   member, and official-divae-rgb for normals, the 3-channel member) and writes the tokens, the
   top-1/top-2 gap of each token's choice, and the normalized inputs at 2,048 sampled positions.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from .divae_whole import VARIANTS, build_model, import_divae
from .official_import import fixture_arguments, _OPTIONAL_VQ, _prepare
from .vq_fixture import token_references

SIZE = 224
SAMPLED = 2048


def depth_picture() -> np.ndarray:
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)
    grey = np.zeros((SIZE, SIZE))  # sky: far
    floor = y >= 90
    grey[floor] = 60 + (y[floor] - 90) / (SIZE - 1 - 90) * 195  # the floor comes closer towards the bottom
    grey[(x >= 20) & (x < 70) & (y >= 60) & (y < 130)] = 150  # a box in the middle distance
    grey[(x - 150) ** 2 + (y - 140) ** 2 < 35 ** 2] = 230  # a near disc
    return np.round(grey).astype(np.uint8)


def edge_picture() -> np.ndarray:
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)
    grey = np.zeros((SIZE, SIZE))
    r = np.sqrt((x - 150) ** 2 + (y - 140) ** 2)
    grey[np.abs(r - 35) < 1.0] = 255  # the disc's outline
    grey[((x == 20) | (x == 69)) & (y >= 60) & (y < 130)] = 255  # the box's sides
    grey[((y == 60) | (y == 129)) & (x >= 20) & (x < 70)] = 255
    grey[np.abs(x - y * 0.5 - 10) < 0.5] = 128  # a soft diagonal, as a feathered brush leaves
    return grey.astype(np.uint8)


def normal_picture(size: int = SIZE) -> np.ndarray:
    """A wall facing the camera with a hemisphere bulging out of its middle (radius 5/16 of the side)."""
    y, x = np.mgrid[0:size, 0:size].astype(np.float64)
    n = np.zeros((size, size, 3))
    n[..., 2] = 1.0  # a wall facing the camera
    dx, dy = (x - size / 2) / (size * 0.3125), (y - size / 2) / (size * 0.3125)
    inside = dx ** 2 + dy ** 2 < 1
    n[inside, 0] = dx[inside]
    n[inside, 1] = -dy[inside]
    n[inside, 2] = np.sqrt(1 - dx[inside] ** 2 - dy[inside] ** 2)
    return np.round((n + 1) * 127.5).clip(0, 255).astype(np.uint8)


def official_depth(grey: np.ndarray) -> torch.Tensor:
    import fourm.data.modality_transforms as mt  # noqa: E402

    stored = (255 - grey.astype(np.uint16)) * 257  # 4M's depth: a 16-bit map growing with distance
    return mt.DepthTransform(standardize_depth=True).depth_to_tensor(stored)[None]


def unit_range(pixels: np.ndarray) -> torch.Tensor:
    """to_tensor (HWC bytes -> CHW / 255) then normalize(mean 0.5, std 0.5)."""
    t = torch.from_numpy(pixels.astype(np.float32) / 255.0)
    t = t.permute(2, 0, 1) if t.ndim == 3 else t[None]
    return ((t - 0.5) / 0.5)[None]


def main() -> None:
    args = fixture_arguments(__doc__)
    vqvae = import_divae(args.ml4m)
    _prepare(args.ml4m, _OPTIONAL_VQ)
    args.out.mkdir(parents=True, exist_ok=True)
    models = {name: build_model(vqvae, VARIANTS[name])[0] for name in ("depth", "rgb")}
    g = np.random.default_rng(23)
    cases = {
        "depth": ("depth", depth_picture(), official_depth),
        "edge": ("depth", edge_picture(), unit_range),
        "normal": ("rgb", normal_picture(), unit_range),
    }
    ref: dict = {}
    blobs = []
    for domain, (member, picture, transform) in cases.items():
        file = f"{domain}.png"
        Image.fromarray(picture).save(args.out / file)
        with torch.no_grad():
            x = transform(picture).float()
            assert x.shape[1] == VARIANTS[member]["n_channels"], x.shape
            entry = {"file": file, "tokenizer": f"official-divae-{member}", "shape": list(x.shape),
                     "pngSha256": hashlib.sha256((args.out / file).read_bytes()).hexdigest()}
            entry.update(token_references(models[member], x, SIZE // 16))
        flat = x.numpy().reshape(-1)
        idx = np.sort(g.choice(flat.size, SAMPLED, replace=False))
        entry["indices"] = idx.tolist()
        entry["offset"] = sum(len(b) for b in blobs)
        blobs.append(flat[idx].astype("<f4"))
        entry["stats"] = {"min": float(flat.min()), "max": float(flat.max()), "mean": float(flat.mean())}
        ref[domain] = entry
        print(f"{domain}: {entry['distinctTokens']} distinct tokens, min gap {min(entry['tokenGap']):.2e}, input {entry['stats']}")
    data = np.concatenate(blobs).tobytes()
    (args.out / "inputs.bin").write_bytes(data)
    (args.out / "reference.json").write_text(json.dumps({"inputs": "inputs.bin", "inputsSha256": hashlib.sha256(data).hexdigest(), "cases": ref}))


if __name__ == "__main__":
    main()
