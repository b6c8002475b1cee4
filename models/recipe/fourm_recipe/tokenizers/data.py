"""Load rendered shards into memory, one modality at a time (uint8/float16 keep it small)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

DATA_ROOT = Path(__file__).resolve().parents[2] / "data"


def shard_paths(split: str, root: Path = DATA_ROOT, limit: int | None = None) -> list[Path]:
    paths = sorted((root / split).glob("shard_[0-9][0-9][0-9][0-9].npz"))
    return paths[:limit] if limit else paths


def load_modality(split: str, modality: str, limit: int | None = None) -> np.ndarray:
    arrays = [np.load(p)[modality] for p in shard_paths(split, limit=limit)]
    if not arrays:
        raise FileNotFoundError(f"no shards for split {split!r} under {DATA_ROOT}; run fourm_recipe.world.dataset first")
    return np.concatenate(arrays)


def load_meta(split: str, limit: int | None = None, root: Path = DATA_ROOT) -> list[dict]:
    out: list[dict] = []
    for p in shard_paths(split, root, limit=limit):
        out += json.loads(str(np.load(p)["meta"]))
    return out
