"""Held-out scenes (eval split, seeds 9_000_000+i, never trained on) as ordinary files, so the TypeScript
evaluation (`4m eval`) can judge the engine on the same scenes and ground truth as `fm.evaluate`.

Layout under the destination folder:
  scenes.json          what every file means: depth scale, class names, the named object colours, scene list
  NNNN/rgb.png         8-bit RGB as rendered
  NNNN/semseg.png      8-bit gray, class id per pixel (index into scenes.json "classes")
  NNNN/depth.png       16-bit gray, metres = value × depth.metresPerUnit
  NNNN/normal.png      8-bit RGB = (n + 1) · 127.5, camera space (as the renderer stores them)
  NNNN/meta.json       seed, caption, visible objects (kind, colour name), boxes, palette

Usage: python -m fourm_recipe.export.heldout_fixture [--n 50] [--out test/fixtures/model/world-4m-small/heldout]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from ..tokenizers.data import load_meta, load_modality
from ..world.scene import CLASSES, COLORS, KINDS

REPO = Path(__file__).resolve().parents[4]
DEFAULT_OUT = REPO / "test" / "fixtures" / "model" / "world-4m-small" / "heldout"
EVAL_SEED_BASE = 9_000_000
# Millimetres: the renderer's depth range (0.5…60 m) fits uint16 with margin, and 1 mm is finer than
# the float16 the shards store (≈ 0.03 m steps near 60 m), so nothing measurable is lost.
METRES_PER_UNIT = 0.001


def write_heldout_fixture(dst: Path, count: int) -> None:
    from PIL import Image

    meta = load_meta("eval")
    if count > len(meta):
        raise SystemExit(f"--n {count}: the eval split has only {len(meta)} scenes")
    arrays = {m: load_modality("eval", m)[:count] for m in ("rgb", "semseg", "depth", "normal")}
    dst.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(count):
        if meta[i]["seed"] != EVAL_SEED_BASE + i:
            raise SystemExit(f"eval scene {i} has seed {meta[i]['seed']}, expected {EVAL_SEED_BASE + i}")
        name = f"{i:04d}"
        d = dst / name
        d.mkdir(exist_ok=True)
        Image.fromarray(arrays["rgb"][i]).save(d / "rgb.png", optimize=True)
        Image.fromarray(arrays["semseg"][i]).save(d / "semseg.png", optimize=True)
        units = np.clip(np.rint(arrays["depth"][i].astype(np.float32) / METRES_PER_UNIT), 1, 65535).astype(np.uint16)
        Image.fromarray(units).save(d / "depth.png", optimize=True)
        Image.fromarray(arrays["normal"][i]).save(d / "normal.png", optimize=True)
        m = meta[i]
        (d / "meta.json").write_text(json.dumps({"seed": m["seed"], "caption": m["caption"], "objects": m["objects"],
                                                 "boxes": m["boxes"], "palette": m["palette"]}, indent=1) + "\n")
        names.append(name)
    index = {
        "format": "4m-studio.heldout/1",
        "split": "eval",
        "seedBase": EVAL_SEED_BASE,
        "size": int(arrays["rgb"].shape[1]),
        "depth": {"metresPerUnit": METRES_PER_UNIT},
        "normals": "rgb = (n + 1) * 127.5",
        "classes": list(CLASSES),
        "kinds": list(KINDS),
        # Base colours in [0, 1] before shading; the caption→RGB check names a region's colour by them.
        "namedColours": {k: list(v) for k, v in COLORS.items()},
        "scenes": names,
    }
    (dst / "scenes.json").write_text(json.dumps(index, indent=1) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    write_heldout_fixture(args.out, args.n)
    print(f"wrote {args.n} held-out scenes to {args.out}")


if __name__ == "__main__":
    main()
