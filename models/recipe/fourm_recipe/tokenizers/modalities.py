"""Per-modality pixel conventions shared by tokenizer training, export, evaluation and the engine.

Network space: RGB and normals in [-1, 1]; depth as normalized log depth in [-1, 1] (so errors are
relative errors); edges in [-1, 1]; semseg as one-hot classes in, class logits out.
"""
from __future__ import annotations

import math

import numpy as np
import torch

from ..world.render import DEPTH_MAX, DEPTH_MIN
from ..world.scene import CLASSES
from .vqvae import TokenizerConfig

LOG_MIN, LOG_MAX = math.log(DEPTH_MIN), math.log(DEPTH_MAX)

CONFIGS = {
    "rgb": TokenizerConfig("rgb", 3, 3, levels=[8, 6, 5, 5, 5], width=96),
    "depth": TokenizerConfig("depth", 1, 1, levels=[8, 5, 5, 5], width=64),
    "normal": TokenizerConfig("normal", 3, 3, levels=[8, 5, 5, 5], width=64),
    "semseg": TokenizerConfig("semseg", len(CLASSES), len(CLASSES), levels=[8, 5, 5, 5], width=64),
    "edge": TokenizerConfig("edge", 1, 1, levels=[8, 5, 5, 5], width=64),
}


def to_network(modality: str, arr: np.ndarray) -> torch.Tensor:
    """Dataset array batch (B, H, W[, C]) → network input (B, C, H, W) float32."""
    t = torch.from_numpy(np.asarray(arr))
    if modality in ("rgb", "normal"):
        return t.permute(0, 3, 1, 2).float() / 127.5 - 1
    if modality == "depth":
        d = t.float().clamp(DEPTH_MIN, DEPTH_MAX)
        return ((d.log() - LOG_MIN) / (LOG_MAX - LOG_MIN) * 2 - 1)[:, None]
    if modality == "edge":
        return (t.float() / 127.5 - 1)[:, None]
    if modality == "semseg":
        return torch.nn.functional.one_hot(t.long(), len(CLASSES)).permute(0, 3, 1, 2).float()
    raise ValueError(f"unknown modality {modality}")


def target_of(modality: str, arr: np.ndarray) -> torch.Tensor:
    """What the decoder is trained to output (class ids for semseg, network values otherwise)."""
    if modality == "semseg":
        return torch.from_numpy(np.asarray(arr)).long()
    return to_network(modality, arr)


def from_network(modality: str, out: torch.Tensor) -> np.ndarray:
    """Decoder output (B, C, H, W) → dataset-like arrays (uint8 images, metres, class ids)."""
    if modality in ("rgb", "normal"):
        return ((out.clamp(-1, 1) + 1) * 127.5 + 0.5).to(torch.uint8).permute(0, 2, 3, 1).numpy()
    if modality == "depth":
        x = (out[:, 0].clamp(-1, 1) + 1) / 2 * (LOG_MAX - LOG_MIN) + LOG_MIN
        return x.exp().numpy()
    if modality == "edge":
        return ((out[:, 0] > 0).to(torch.uint8) * 255).numpy()
    if modality == "semseg":
        return out.argmax(1).to(torch.uint8).numpy()
    raise ValueError(modality)


def loss_of(modality: str, out: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    if modality == "semseg":
        return torch.nn.functional.cross_entropy(out, target)
    if modality == "edge":
        pos = (target > 0).float()
        return torch.nn.functional.binary_cross_entropy_with_logits(out, pos, pos_weight=torch.tensor(4.0))
    if modality == "rgb":
        return torch.nn.functional.mse_loss(out, target) + 0.1 * (out - target).abs().mean()
    return (out - target).abs().mean()
