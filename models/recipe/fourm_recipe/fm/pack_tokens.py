"""Pack tokenized splits into one compressed file each, to carry to a borrowed accelerator machine.

Token ids compress about 3.7x, which is what lets ~36k training scenes fit the machine's transfer limit.
Usage: python -m fourm_recipe.fm.pack_tokens OUT_DIR train.npz [more-train.npz ...]
Writes OUT_DIR/train.npz (the inputs concatenated, sequence columns padded to a common width) and
OUT_DIR/eval.npz (data/tokens/eval.npz, compressed).
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from ..tokenizers.data import DATA_ROOT


def load(path: Path) -> dict[str, np.ndarray]:
    z = np.load(path)
    return {k: z[k] for k in z.files if k != "objects"}   # per-scene JSON is for evaluation, not training


def concat(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    out = {}
    for k in parts[0]:
        arrays = [p[k] for p in parts]
        if arrays[0].ndim == 2:   # pad id columns (text) to the widest part; image grids are all equal
            width = max(a.shape[1] for a in arrays)
            arrays = [np.pad(a, ((0, 0), (0, width - a.shape[1]))) for a in arrays]
        out[k] = np.concatenate(arrays)
    seeds = out["seed"]
    if len(np.unique(seeds)) != len(seeds):
        raise SystemExit("the inputs share scenes (duplicate seeds)")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("train", type=Path, nargs="+")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    train = concat([load(p) for p in args.train])
    np.savez_compressed(args.out / "train.npz", **train)
    np.savez_compressed(args.out / "eval.npz", **load(DATA_ROOT / "tokens" / "eval.npz"))
    print("packed", len(train["seed"]), "training scenes:", {p.name: p.stat().st_size for p in args.out.glob("*.npz")})


if __name__ == "__main__":
    main()
