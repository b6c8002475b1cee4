"""Convolutional FSQ-VAE for one image-like modality: 128×128 pixels ↔ 16×16 token ids.

The first and last stages work on 4×4 space-to-depth patches so that no convolution runs at full
resolution; that keeps training affordable on two CPU cores while the 3×3 convolutions at 32×32 and
16×16 still give every token context from its neighbours.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from .fsq import FSQ


@dataclass
class TokenizerConfig:
    modality: str
    in_channels: int          # channels of the network input (one-hot classes for semseg)
    out_channels: int         # channels of the network output (class logits for semseg)
    levels: list[int] = field(default_factory=lambda: [8, 5, 5, 5])
    width: int = 96           # channels at 32×32; 16×16 uses 2×width
    image_size: int = 128
    patch: int = 8            # image pixels per token side


class ResBlock(nn.Module):
    def __init__(self, ch: int):
        super().__init__()
        self.n1 = nn.GroupNorm(8, ch)
        self.c1 = nn.Conv2d(ch, ch, 3, padding=1)
        self.n2 = nn.GroupNorm(8, ch)
        self.c2 = nn.Conv2d(ch, ch, 3, padding=1)

    def forward(self, x):
        h = self.c1(F.silu(self.n1(x)))
        h = self.c2(F.silu(self.n2(h)))
        return x + h


class Encoder(nn.Module):
    def __init__(self, cfg: TokenizerConfig):
        super().__init__()
        w = cfg.width
        self.stem = nn.Conv2d(cfg.in_channels * 16, w, 3, padding=1)
        self.res32 = ResBlock(w)
        self.down = nn.Conv2d(w, 2 * w, 4, stride=2, padding=1)
        self.res16 = nn.Sequential(ResBlock(2 * w), ResBlock(2 * w))
        self.out = nn.Sequential(nn.GroupNorm(8, 2 * w), nn.SiLU(), nn.Conv2d(2 * w, len(cfg.levels), 1))

    def forward(self, x):
        x = F.pixel_unshuffle(x, 4)
        return self.out(self.res16(self.down(self.res32(self.stem(x)))))


class Decoder(nn.Module):
    def __init__(self, cfg: TokenizerConfig):
        super().__init__()
        w = cfg.width
        self.inp = nn.Conv2d(len(cfg.levels), 2 * w, 3, padding=1)
        self.res16 = nn.Sequential(ResBlock(2 * w), ResBlock(2 * w))
        self.up = nn.Conv2d(2 * w, w * 4, 3, padding=1)   # followed by pixel_shuffle(2)
        self.res32 = nn.Sequential(ResBlock(w), ResBlock(w))
        self.out = nn.Sequential(nn.GroupNorm(8, w), nn.SiLU(), nn.Conv2d(w, cfg.out_channels * 16, 3, padding=1))

    def forward(self, codes):
        h = self.res16(self.inp(codes))
        h = self.res32(F.pixel_shuffle(self.up(h), 2))
        return F.pixel_shuffle(self.out(h), 4)


class ImageTokenizer(nn.Module):
    def __init__(self, cfg: TokenizerConfig):
        super().__init__()
        self.cfg = cfg
        self.encoder = Encoder(cfg)
        self.quantizer = FSQ(cfg.levels)
        self.decoder = Decoder(cfg)

    def forward(self, x):
        codes = self.quantizer.quantize(self.encoder(x))
        return self.decoder(codes)

    def encode(self, x) -> torch.Tensor:
        return self.quantizer.codes_to_indices(self.quantizer.quantize(self.encoder(x)))

    def decode(self, ids: torch.Tensor) -> torch.Tensor:
        """ids (B, h, w) int64 → network output (B, out_channels, H, W)."""
        codes = self.quantizer.codebook().to(ids.device)[ids].permute(0, 3, 1, 2)
        return self.decoder(codes)
