"""A small PyTorch generation loop (ROAR / MaskGIT for images, greedy-or-sampled AR for sequences).

It exists for evaluation and for golden values the TypeScript engine is checked against; the product
runs the TypeScript engine. State per modality: ids (L,), visible (L,) bool = shown to the encoder.
"""
from __future__ import annotations

import math

import torch

from .model import FourM


def encoder_inputs(net: FourM, state: dict[str, tuple[torch.Tensor, torch.Tensor]]):
    """Gather visible tokens of every modality (in state order) → x, emb (1, N, D)."""
    xs, es = [], []
    for name, (ids, visible) in state.items():
        e = net.encoder_embeddings[name]
        pos = torch.nonzero(visible).flatten()
        if len(pos) == 0:
            continue
        spec = net.cfg.modalities[name]
        p = pos if spec["type"] == "img" else torch.arange(len(pos))   # sequences: index among visible
        xs.append(e.token_emb(ids[pos]))
        es.append(e.pos_emb[0, p] + e.mod_emb[0])
    if not xs:
        return None, None
    return torch.cat(xs)[None], torch.cat(es)[None]


def context_of(net: FourM, state) -> tuple[torch.Tensor, torch.Tensor]:
    x, emb = encoder_inputs(net, state)
    d = net.cfg.dim
    if x is None:   # empty encoder: a zero context row with padding gives a zero cross-attention term
        return torch.zeros(1, 1, d), torch.ones(1, 1, dtype=torch.bool)
    pad = torch.zeros(1, x.shape[1], dtype=torch.bool)
    return net.encode(x, emb, pad), pad


def image_logits(net: FourM, state, target: str, positions: torch.Tensor) -> torch.Tensor:
    ctx, pad = context_of(net, state)
    dm = net.decoder_embeddings[target]
    y = net.mask_token[0] + dm.pos_emb[0, positions] + dm.mod_emb[0]
    hidden = net.decode(y[None], ctx, pad, None)
    return dm.to_logits(hidden)[0]


def _sample(logits: torch.Tensor, temp: float, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    if temp < 1e-6:
        ids = logits.argmax(-1)
        return ids, torch.ones_like(ids, dtype=torch.float32)
    probs = (logits / temp).softmax(-1)
    ids = torch.multinomial(probs, 1, generator=gen)[:, 0]
    return ids, probs.gather(1, ids[:, None])[:, 0]


@torch.no_grad()
def generate_image(net: FourM, state: dict, target: str, steps: int = 1, temp: float = 0.0, scheme: str = "roar",
                   cfg: float = 1.0, cond_names: tuple = (), seed: int = 0) -> torch.Tensor:
    """Fill every hidden token of `target` (state[target] may keep some tokens visible: inpainting)."""
    gen = torch.Generator().manual_seed(seed)
    n = net.cfg.modalities[target]["grid"] ** 2
    ids, vis = state.get(target, (torch.zeros(n, dtype=torch.long), torch.zeros(n, dtype=torch.bool)))
    ids, vis = ids.clone(), vis.clone()
    todo = int((~vis).sum())
    sizes = [todo // steps + (1 if i < todo % steps else 0) for i in range(steps)]
    for k in sizes:
        st = dict(state)
        st[target] = (ids, vis)
        hidden_pos = torch.nonzero(~vis).flatten()
        if scheme == "roar":
            hidden_pos = hidden_pos[torch.randperm(len(hidden_pos), generator=gen)[:k]]
        logits = image_logits(net, st, target, hidden_pos)
        if cfg != 1.0:
            un = {m: v for m, v in st.items() if m not in cond_names}
            logits = image_logits(net, un, target, hidden_pos) * (1 - cfg) + logits * cfg
        sampled, conf = _sample(logits, temp, gen)
        if scheme == "maskgit":
            keep = conf.topk(k).indices
            hidden_pos, sampled = hidden_pos[keep], sampled[keep]
        ids[hidden_pos] = sampled
        vis[hidden_pos] = True
    return ids


@torch.no_grad()
def generate_sequence(net: FourM, state: dict, target: str, s1: int, s2: int, eos: int, temp: float = 0.0,
                      seed: int = 0) -> list[int]:
    """Autoregressive target "[S_1] … [S_2]" from an encoder that sees `state` plus a lone [S_1]."""
    gen = torch.Generator().manual_seed(seed)
    st = dict(state)
    st[target] = (torch.tensor([s1]), torch.tensor([True]))
    ctx, pad = context_of(net, st)
    dm = net.decoder_embeddings[target]
    out = [s1]
    max_len = net.cfg.modalities[target]["max_len"]
    while len(out) < max_len:
        t = torch.tensor(out)
        y = dm.token_emb(t) + dm.pos_emb[0, : len(out)] + dm.mod_emb[0]
        causal = torch.triu(torch.ones(len(out), len(out), dtype=torch.bool), 1)[None]
        logits = dm.to_logits(net.decode(y[None], ctx, pad, causal))[0, -1:]
        nxt = int(_sample(logits, temp, gen)[0][0])
        if nxt in (s2, eos):
            break
        out.append(nxt)
    return out[1:]
