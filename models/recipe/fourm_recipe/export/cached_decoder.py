"""Incremental (KV-cached) decoder graphs for autoregressive sequence targets.

The full decoder graph recomputes every query row and the cross-attention K/V projection of the whole
context for each generated token. With a causal self-attention mask row i only depends on rows <= i, so
the same maths can run one new row at a time:

- `FMDecoderContextKV`: context (B,N,D) -> per layer l, cross_k_l and cross_v_l (B,H,N,hd): context_norm
  then the cross-attention `kv` projection. Computed once per sequence.
- `FMDecoderStep`: new query rows y (B,M,D), per layer past_k_l / past_v_l (B,H,T,hd), cross_k_l /
  cross_v_l, enc_pad (B,N), sa_mask (B,M,T+M) -> hidden (B,M,D) after decoder_norm, and per layer
  present_k_l / present_v_l (B,H,T+M,hd).

K and V are separate inputs per layer, not one stacked tensor: slicing a stacked input copies it in
ONNX Runtime on every call, which for a long context cost more than the step's own arithmetic.

Both reuse the trained modules and `layers._attend` (fill of blocked scores with -finfo.max), so a
blocked key gets exactly zero weight in both the full and the incremental graph and the results agree
up to float rounding.
"""
from __future__ import annotations

import torch
from torch import nn

from ..fm.layers import _attend


def kv_names(prefix: str, depth: int) -> list[str]:
    """[prefix_k_0, prefix_v_0, prefix_k_1, ...]: the graphs' per-layer K/V input or output names."""
    return [f"{prefix}_{kv}_{i}" for i in range(depth) for kv in ("k", "v")]


class FMDecoderContextKV(nn.Module):
    def __init__(self, fm):
        super().__init__()
        self.fm = fm

    def forward(self, context):
        b, n, c = context.shape
        h = self.fm.cfg.num_heads
        out = []
        for blk in self.fm.decoder:
            kv = blk.cross_attn.kv(blk.context_norm(context)).reshape(b, n, 2, h, c // h).permute(2, 0, 3, 1, 4)
            out += [kv[0], kv[1]]
        return tuple(out)


class FMDecoderStep(nn.Module):
    """forward(y, enc_pad, sa_mask, *past_then_cross) with past and cross K/V in kv_names order."""

    def __init__(self, fm):
        super().__init__()
        self.fm = fm

    def forward(self, y, enc_pad, sa_mask, *kv):
        b, m, c = y.shape
        depth, h = len(self.fm.decoder), self.fm.cfg.num_heads
        hd = c // h
        past, cross = kv[: 2 * depth], kv[2 * depth:]
        xa = enc_pad[:, None, None, :]
        sa = sa_mask[:, None]
        present = []
        for i, blk in enumerate(self.fm.decoder):
            # Self-attention over the cached rows plus the new ones (Block.forward's first line).
            qkv = blk.self_attn.qkv(blk.norm1(y)).reshape(b, m, 3, h, hd).permute(2, 0, 3, 1, 4)
            k = torch.cat([past[2 * i], qkv[1]], dim=2)
            v = torch.cat([past[2 * i + 1], qkv[2]], dim=2)
            present += [k, v]
            out = _attend(qkv[0], k, v, sa)
            y = y + blk.self_attn.proj(out.transpose(1, 2).reshape(b, m, c))
            # Cross-attention with the precomputed context K/V.
            q = blk.cross_attn.q(blk.query_norm(y)).reshape(b, m, h, hd).transpose(1, 2)
            out = _attend(q, cross[2 * i], cross[2 * i + 1], xa)
            y = y + blk.cross_attn.proj(out.transpose(1, 2).reshape(b, m, c))
            y = y + blk.mlp(blk.norm2(y))
        return (self.fm.decoder_norm(y), *present)


def causal_step_mask(b: int, past: int, m: int) -> torch.Tensor:
    """(B, M, past+M) True = blocked: new row j sees every cached row and new rows <= j."""
    mask = torch.zeros(b, m, past + m, dtype=torch.bool)
    for j in range(m):
        mask[:, j, past + j + 1:] = True
    return mask
