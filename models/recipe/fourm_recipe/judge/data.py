"""Judge training pictures: RGB + class maps rendered by the world, in chunks of 500.

Seeds 1_500_000 + i lie in the train range (1_000_000 + i) and far from the held-out eval seeds
(9_000_000 + i), so no evaluation picture is ever trained on. Only rgb and semseg are kept.
Usage: python -m fourm_recipe.judge.data --count 8000 [--root data/judge]
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np

from ..world.render import render
from ..world.scene import sample_scene

SEED_BASE = 1_500_000
CHUNK = 500
DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "data" / "judge"


def render_pictures(seeds) -> dict[str, np.ndarray]:
    outs = [render(sample_scene(int(s)), 128) for s in seeds]
    return {"rgb": np.stack([o["rgb"] for o in outs]), "semseg": np.stack([o["semseg"] for o in outs])}


def tokenizer_round_trip(rgb: np.ndarray, batch: int = 50) -> np.ndarray:
    """The pictures as the RGB tokenizer gives them back: generated pictures are always decoded by it,
    so the judge also learns its blur (a net trained on clean renders only reads decoded ones worse)."""
    import torch

    from ..fm.tokenizer_io import load_tokenizer
    from ..tokenizers.modalities import from_network, to_network

    tok = load_tokenizer("rgb")
    with torch.no_grad():
        return np.concatenate([from_network("rgb", tok(to_network("rgb", rgb[i:i + batch]))) for i in range(0, len(rgb), batch)])


def write_chunk(root: Path, k: int, seed_base: int = SEED_BASE) -> Path:
    path = root / f"chunk_{k:04d}.npz"
    if path.exists():
        return path
    arrays = render_pictures(range(seed_base + k * CHUNK, seed_base + (k + 1) * CHUNK))
    arrays["rgb_rt"] = tokenizer_round_trip(arrays["rgb"])
    root.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, **arrays)
    os.replace(tmp, path)
    return path


def chunk_files(root: Path) -> list[Path]:
    return sorted(root.glob("chunk_[0-9][0-9][0-9][0-9].npz"))


def load_chunks(files: list[Path]) -> dict[str, np.ndarray]:
    parts = [np.load(f) for f in files]
    return {k: np.concatenate([p[k] for p in parts]) for k in ("rgb", "rgb_rt", "semseg")}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--root", default=str(DEFAULT_ROOT))
    ap.add_argument("--seed-base", type=int, default=SEED_BASE)
    args = ap.parse_args()
    import torch
    torch.set_num_threads(1)
    for k in range((args.count + CHUNK - 1) // CHUNK):
        print("wrote", write_chunk(Path(args.root), k, args.seed_base), flush=True)


if __name__ == "__main__":
    main()
