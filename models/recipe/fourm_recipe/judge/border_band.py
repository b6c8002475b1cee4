"""The exported judge's held-out mIoU with pixels near true class borders ignored: how much of what it
misses is the renderer's anti-aliased border pixels (two classes' colours under one hard label), as
PASCAL VOC's evaluation leaves a band around object borders unscored.
Usage: python -m fourm_recipe.judge.border_band"""
import numpy as np
import onnxruntime as ort

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


def main() -> None:
    z = np.load(DEFAULT_ROOT / "val_9001000.npz")
    sess = ort.InferenceSession(str(OUT / "judge.onnx"), providers=["CPUExecutionProvider"])
    for key in ('rgb', 'rgb_rt'):
        classes, _ = run_onnx(sess, z[key])
        pred = np.stack([despeckle(p) for p in classes])
        for r in (0, 1, 2):
            vals = [miou_masked(p, g, ~band(g, r) if r else np.ones(g.shape, bool), len(CLASSES)) for p, g in zip(pred, z['semseg'])]
            share = np.mean([band(g, r).mean() for g in z['semseg']]) if r else 0
            print(key, f"border band {r} px ignored ({share:.1%} of pixels): mIoU {np.mean(vals):.4f}")


if __name__ == "__main__":
    main()
