"""Render scenes into shards: data/<split>/shard_<k>.npz (aligned arrays + JSON metadata).

Seeds are disjoint by split so held-out evaluation never sees a training scene:
train = 1_000_000 + i, eval = 9_000_000 + i.
Usage: python -m fourm_recipe.world.dataset --split train --count 24000 [--workers 2]
"""
from __future__ import annotations

import argparse
import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from .describe import boxes, caption, palette, visible_objects
from .render import render
from .scene import sample_scene

SEED_BASE = {"train": 1_000_000, "eval": 9_000_000}
SHARD_SIZE = 500


def render_example(seed: int, size: int = 128) -> dict:
    scene = sample_scene(seed)
    out = render(scene, size)
    vis = visible_objects(scene, out["instance"])
    rng = np.random.default_rng(seed + 77)
    out["meta"] = {
        "seed": seed,
        "caption": caption(scene, vis, out["depth"], rng),
        "boxes": boxes(vis),
        "palette": palette(out["rgb"], out["instance"]),
        "objects": [{"kind": v["object"].kind, "color": v["object"].color_name} for v in vis],
    }
    return out


def write_shard(split: str, shard: int, root: str) -> str:
    path = Path(root) / split / f"shard_{shard:04d}.npz"
    if path.exists():
        return str(path)
    seeds = [SEED_BASE[split] + shard * SHARD_SIZE + i for i in range(SHARD_SIZE)]
    items = [render_example(s) for s in seeds]
    arrays = {k: np.stack([it[k] for it in items]) for k in ("rgb", "normal", "semseg", "instance", "edge")}
    arrays["depth"] = np.stack([it["depth"] for it in items]).astype(np.float16)
    meta = json.dumps([it["meta"] for it in items])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, meta=np.array(meta), **arrays)
    os.replace(tmp, path)
    return str(path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=list(SEED_BASE), required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--first-shard", type=int, default=0, help="start here (render more scenes into another root)")
    ap.add_argument("--root", default=str(Path(__file__).resolve().parents[2] / "data"))
    args = ap.parse_args()
    n_shards = (args.count + SHARD_SIZE - 1) // SHARD_SIZE
    with ProcessPoolExecutor(args.workers) as pool:
        shards = range(args.first_shard, n_shards)
        for p in pool.map(write_shard, [args.split] * len(shards), shards, [args.root] * len(shards)):
            print("wrote", p, flush=True)


if __name__ == "__main__":
    main()
