"""The exported judge's held-out mIoU with pixels near true class borders ignored: how much of what it
misses is the renderer's anti-aliased border pixels (two classes' colours under one hard label), as
PASCAL VOC's evaluation leaves a band around object borders unscored. The TypeScript evaluation scores
the judge's target rows this way with a 1 px band (models/eval/metrics/border-band.ts); `--scenes` reads
an exported held-out scene folder (rgb.png, semseg.png per scene) to check its numbers.
Usage: python -m fourm_recipe.judge.border_band [--root DATA_DIR] [--scenes HELDOUT_DIR]"""
import argparse
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image

from .data import DEFAULT_ROOT
from .despeckle import despeckle
from .export import OUT, run_onnx
from .net import CLASSES


def band(gt: np.ndarray, r: int) -> np.ndarray:
    """True where a pixel is within r px (Chebyshev) of a pixel of another class (the picture's edge repeats)."""
    h, w = gt.shape
    padded = np.pad(gt, r, mode="edge")
    near = np.zeros(gt.shape, bool)
    for dy in range(2 * r + 1):
        for dx in range(2 * r + 1):
            near |= padded[dy:dy + h, dx:dx + w] != gt
    return near


def miou_masked(pred: np.ndarray, gt: np.ndarray, keep: np.ndarray, n: int) -> float:
    ious = []
    for c in range(n):
        p, g = (pred == c) & keep, (gt == c) & keep
        u = np.sum(p | g)
        if u > 0:
            ious.append(np.sum(p & g) / u)
    return float(np.mean(ious))


def scene_folder(root: Path) -> tuple[np.ndarray, np.ndarray]:
    """A held-out fixture folder (fourm_recipe.export.heldout_fixture) → real pictures and class maps."""
    dirs = sorted(d for d in root.iterdir() if (d / "rgb.png").is_file())
    rgb = np.stack([np.array(Image.open(d / "rgb.png").convert("RGB")) for d in dirs])
    sem = np.stack([np.array(Image.open(d / "semseg.png")) for d in dirs])
    return rgb, sem


def report(sess: ort.InferenceSession, name: str, rgb: np.ndarray, gt: np.ndarray) -> None:
    classes, _ = run_onnx(sess, rgb)
    pred = np.stack([despeckle(p) for p in classes])
    for r in (0, 1, 2):
        vals = [miou_masked(p, g, ~band(g, r) if r else np.ones(g.shape, bool), len(CLASSES)) for p, g in zip(pred, gt)]
        share = np.mean([band(g, r).mean() for g in gt]) if r else 0
        print(name, f"border band {r} px ignored ({share:.1%} of pixels): mIoU {np.mean(vals):.4f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=str(DEFAULT_ROOT), help="the judge's data folder (val_9001000.npz)")
    ap.add_argument("--scenes", help="score a held-out scene folder's real pictures instead")
    args = ap.parse_args()
    sess = ort.InferenceSession(str(OUT / "judge.onnx"), providers=["CPUExecutionProvider"])
    if args.scenes:
        rgb, sem = scene_folder(Path(args.scenes))
        report(sess, f"{len(rgb)} scenes", rgb, sem)
        return
    z = np.load(Path(args.root) / "val_9001000.npz")
    for key in ('rgb', 'rgb_rt'):
        report(sess, key, z[key], z['semseg'])


if __name__ == "__main__":
    main()
