"""Finite scalar quantization (Mentzer et al., 2023): a VQ-VAE bottleneck without a learned codebook.

Chosen over a learned VQ codebook because it cannot collapse or leave dead codes, which matters when
training five tokenizers on two CPU cores with no time for codebook restarts. Each latent channel i is
bounded and rounded to one of levels[i] values; the token id is the mixed-radix number of the digits.
"""
from __future__ import annotations

import torch
from torch import nn


class FSQ(nn.Module):
    def __init__(self, levels: list[int]):
        super().__init__()
        self.levels = list(levels)
        lv = torch.tensor(levels, dtype=torch.float32)
        basis = torch.cumprod(torch.tensor([1] + levels[:-1]), 0)
        self.register_buffer("_levels", lv, persistent=False)
        self.register_buffer("_basis", basis.to(torch.int64), persistent=False)
        self.vocab_size = int(torch.prod(torch.tensor(levels)))

    @property
    def dim(self) -> int:
        return len(self.levels)

    def _bound(self, z: torch.Tensor) -> torch.Tensor:
        half = (self._levels - 1) * (1 - 1e-3) / 2
        offset = torch.where(self._levels % 2 == 0, 0.5, 0.0)
        shift = torch.atanh(offset / half)
        return torch.tanh(z + shift) * half - offset

    def quantize(self, z: torch.Tensor) -> torch.Tensor:
        """z: (B, dim, H, W) → codes in [-1, 1] with a straight-through gradient."""
        zc = z.permute(0, 2, 3, 1)   # explicit permutes: movedim exports a negative perm ONNX rejects
        b = self._bound(zc)
        q = b + (torch.round(b) - b).detach()
        half_width = torch.div(self._levels, 2, rounding_mode="floor")
        return (q / half_width).permute(0, 3, 1, 2)

    def codes_to_indices(self, codes: torch.Tensor) -> torch.Tensor:
        """codes (B, dim, H, W) in [-1, 1] → ids (B, H, W) int64."""
        half_width = torch.div(self._levels, 2, rounding_mode="floor")
        digits = torch.round(codes.permute(0, 2, 3, 1) * half_width + half_width).to(torch.int64)
        return (digits * self._basis).sum(-1)

    def codebook(self) -> torch.Tensor:
        """(vocab, dim) table of every code, used by the decoder graph as a gather."""
        ids = torch.arange(self.vocab_size)
        digits = (ids[:, None] // self._basis[None, :]) % self._levels.to(torch.int64)[None, :]
        half_width = torch.div(self._levels, 2, rounding_mode="floor")
        return (digits.to(torch.float32) - half_width) / half_width
