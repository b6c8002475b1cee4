"""Reconstruction metrics in the units the targets are stated in (PSNR dB, pixel accuracy, AbsRel...)."""
from __future__ import annotations

import numpy as np


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float(10 * np.log10(255.0 ** 2 / max(mse, 1e-12)))


def pixel_accuracy(pred: np.ndarray, gt: np.ndarray) -> float:
    return float(np.mean(pred == gt))


def miou(pred: np.ndarray, gt: np.ndarray, n_classes: int) -> float:
    ious = []
    for c in range(n_classes):
        inter = np.sum((pred == c) & (gt == c))
        union = np.sum((pred == c) | (gt == c))
        if union > 0:
            ious.append(inter / union)
    return float(np.mean(ious))


def object_kind_accuracy(pred: np.ndarray, gt: np.ndarray) -> float | None:
    """Pixel accuracy inside the true objects (semseg classes 0 and 1 are sky and ground); None without any."""
    objects = gt >= 2
    return float(np.mean(pred[objects] == gt[objects])) if objects.any() else None


def kind_recall(words: str, objects: list[dict]) -> float | None:
    """Share of a scene's object kinds that a caption names; None for a scene without objects."""
    kinds = {o["kind"] for o in objects}
    return sum(k in words for k in kinds) / len(kinds) if kinds else None


def abs_rel(pred: np.ndarray, gt: np.ndarray) -> float:
    return float(np.mean(np.abs(pred - gt) / gt))


def delta1(pred: np.ndarray, gt: np.ndarray) -> float:
    r = np.maximum(pred / gt, gt / pred)
    return float(np.mean(r < 1.25))


def normal_angle_deg(pred_u8: np.ndarray, gt_u8: np.ndarray) -> float:
    p = pred_u8.astype(np.float64) / 127.5 - 1
    g = gt_u8.astype(np.float64) / 127.5 - 1
    p /= np.linalg.norm(p, axis=-1, keepdims=True) + 1e-9
    g /= np.linalg.norm(g, axis=-1, keepdims=True) + 1e-9
    cos = np.clip(np.sum(p * g, -1), -1, 1)
    return float(np.degrees(np.arccos(cos)).mean())


def edge_f1(pred: np.ndarray, gt: np.ndarray) -> float:
    p, g = pred > 0, gt > 0
    tp = np.sum(p & g)
    prec = tp / max(p.sum(), 1)
    rec = tp / max(g.sum(), 1)
    return float(2 * prec * rec / max(prec + rec, 1e-9))


def reconstruction_report(modality: str, pred: np.ndarray, gt: np.ndarray, n_classes: int = 6) -> dict:
    if modality == "rgb":
        return {"psnr_db": psnr(pred, gt)}
    if modality == "depth":
        return {"abs_rel": abs_rel(pred, gt.astype(np.float32)), "delta1": delta1(pred, gt.astype(np.float32))}
    if modality == "normal":
        return {"mean_angle_deg": normal_angle_deg(pred, gt)}
    if modality == "semseg":
        return {"pixel_acc": pixel_accuracy(pred, gt), "miou": miou(pred, gt, n_classes)}
    if modality == "edge":
        return {"f1": edge_f1(pred, gt), "pixel_acc": pixel_accuracy(pred > 0, gt > 0)}
    raise ValueError(modality)
