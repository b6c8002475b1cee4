"""Transformer building blocks with the official 4M parameter names and maths (reference §1.3).

LayerNorm without bias keeps a zero `bias` buffer so state dicts match released checkpoints; SwiGLU is
fc2(SiLU(fc1 x) * fc3 x) with hidden int(2*mlp_ratio*dim/3); attention masks use True = blocked and
fill with -finfo.max (not -inf) so that a fully blocked row stays finite.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


class LayerNorm(nn.Module):
    def __init__(self, dim: int, eps: float = 1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))
        self.register_buffer("bias", torch.zeros(dim))

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, self.eps)


class GatedMlp(nn.Module):
    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden, bias=False)
        self.fc3 = nn.Linear(dim, hidden, bias=False)
        self.fc2 = nn.Linear(hidden, dim, bias=False)

    def forward(self, x):
        return self.fc2(F.silu(self.fc1(x)) * self.fc3(x))


def _attend(q, k, v, mask):
    """q (B,H,N,hd), k/v (B,H,M,hd); mask broadcastable to (B,H,N,M), True = blocked."""
    scores = (q @ k.transpose(-2, -1)) * (q.shape[-1] ** -0.5)
    if mask is not None:
        scores = scores.masked_fill(mask, -torch.finfo(scores.dtype).max)
    return scores.softmax(-1) @ v


class Attention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.proj = nn.Linear(dim, dim, bias=False)

    def forward(self, x, mask=None):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        out = _attend(qkv[0], qkv[1], qkv[2], mask)
        return self.proj(out.transpose(1, 2).reshape(b, n, c))


class CrossAttention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim, bias=False)
        self.kv = nn.Linear(dim, 2 * dim, bias=False)
        self.proj = nn.Linear(dim, dim, bias=False)

    def forward(self, x, context, mask=None):
        b, n, c = x.shape
        m = context.shape[1]
        hd = c // self.heads
        q = self.q(x).reshape(b, n, self.heads, hd).transpose(1, 2)
        kv = self.kv(context).reshape(b, m, 2, self.heads, hd).permute(2, 0, 3, 1, 4)
        out = _attend(q, kv[0], kv[1], mask)
        return self.proj(out.transpose(1, 2).reshape(b, n, c))


class Block(nn.Module):
    def __init__(self, dim: int, heads: int, hidden: int):
        super().__init__()
        self.norm1 = LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.norm2 = LayerNorm(dim)
        self.mlp = GatedMlp(dim, hidden)

    def forward(self, x, mask=None):
        x = x + self.attn(self.norm1(x), mask)
        return x + self.mlp(self.norm2(x))


class DecoderBlock(nn.Module):
    def __init__(self, dim: int, heads: int, hidden: int):
        super().__init__()
        self.norm1 = LayerNorm(dim)
        self.self_attn = Attention(dim, heads)
        self.query_norm = LayerNorm(dim)
        self.context_norm = LayerNorm(dim)
        self.cross_attn = CrossAttention(dim, heads)
        self.norm2 = LayerNorm(dim)
        self.mlp = GatedMlp(dim, hidden)

    def forward(self, x, context, sa_mask=None, xa_mask=None):
        x = x + self.self_attn(self.norm1(x), sa_mask)
        x = x + self.cross_attn(self.query_norm(x), self.context_norm(context), xa_mask)
        return x + self.mlp(self.norm2(x))


def sincos_2d(h: int, w: int, dim: int, temperature: float = 10000.0) -> torch.Tensor:
    """(1, h*w, dim): [sin(r w), cos(r w), sin(c w), cos(c w)] with the ROW index in the first half."""
    q = dim // 4
    omega = 1.0 / temperature ** (torch.arange(q, dtype=torch.float32) / q)
    rows, cols = torch.meshgrid(torch.arange(h, dtype=torch.float32), torch.arange(w, dtype=torch.float32), indexing="ij")
    r = rows.flatten()[:, None] * omega[None]
    c = cols.flatten()[:, None] * omega[None]
    return torch.cat([r.sin(), r.cos(), c.sin(), c.cos()], dim=1)[None]


def sincos_1d(length: int, dim: int, temperature: float = 10000.0) -> torch.Tensor:
    half = dim // 2
    omega = 1.0 / temperature ** (torch.arange(half, dtype=torch.float32) / half)
    p = torch.arange(length, dtype=torch.float32)[:, None] * omega[None]
    return torch.cat([p.sin(), p.cos()], dim=1)[None]


def swiglu_hidden(dim: int, mlp_ratio: float = 4.0) -> int:
    return int(2 * (mlp_ratio * dim) / 3)


def init_weights(module: nn.Module) -> None:
    if isinstance(module, nn.Linear):
        # 4M uses xavier_uniform; qkv is initialised per third so q, k and v get their own fan.
        if module.weight.shape[0] == 3 * module.weight.shape[1]:
            val = math.sqrt(6.0 / float(module.weight.shape[0] // 3 + module.weight.shape[1]))
            nn.init.uniform_(module.weight, -val, val)
        else:
            nn.init.xavier_uniform_(module.weight)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
