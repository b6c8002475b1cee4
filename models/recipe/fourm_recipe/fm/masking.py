"""The 4M training objective's sampler: which tokens each sample shows the encoder and asks the decoder for.

Per sample we draw an input budget and a target budget over modalities from Dirichlet(alpha) (4M §1.6),
plus two task-shaped mixtures that matter for the product: "derive" (one full modality → the rest) and
"to RGB" (other modalities → RGB), and "own context" (an image modality with a random share of its own tokens
shown, the rest predicted, beside other modalities' conditions: every step of ROAR/MaskGIT generation and
inpainting). Image modalities give random disjoint token subsets; sequences get
4M-style span masking with sentinels: input `w… [S_1] …w`, target `[S_1] span [S_2]`; a sequence with no
input budget is shown as a lone `[S_1]`, exactly as generation initialises an empty sequence target.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import torch


@dataclass
class SpecialIds:
    pad: int
    eos: int
    s1: int
    s2: int


@dataclass
class MixConfig:
    input_budget: int = 128     # all2all / to_rgb; derive shows a whole modality (256)
    target_budget: int = 128
    alpha: float = 0.5
    p_all2all: float = 0.5
    p_derive: float = 0.3       # rest: "to RGB"
    p_derive_from_rgb: float = 0.5
    p_unconditional: float = 0.05   # empty encoder, as in classifier-free guidance's unconditional pass
    # "Read the picture": the whole RGB grid in, every token of semseg, the caption and the boxes out.
    # The Dirichlet target split gives semseg ~18 of 256 tokens a sample; recognising object kinds
    # needs far more supervision per encoder pass than that on a CPU budget.
    p_read_rgb: float = 0.0
    # "Own context": a target image modality with a random fraction r of its own tokens in the encoder and
    # every other token predicted, beside a condition (nothing, one whole other modality, or a Dirichlet
    # share of the others). 4M's Dirichlet budgets rarely show a target much of itself at this scale
    # (81 % of RGB target tokens saw none of their own picture), so the model learnt to ignore it, and
    # every generation step after the first sampled from the same broad guess.
    p_own_context: float = 0.0
    own_rgb_share: float = 0.5      # of own-context batches: RGB; the rest spread over the other images
    own_first_step: float = 0.15    # r = 0 exactly (a condition alone → the whole image: ROAR's first step)


# Padded lengths a batch is rounded up to, so a compiled model sees few shapes: derive inputs are 256
# (+ sentinels); own context shows up to a whole condition image + 255 of the target's own tokens, as
# semseg→RGB generation does (≤ 512 + a caption); 264 fits a whole image target, 352 "read the picture"
# targets (256 semseg + caption + boxes).
ENC_BUCKETS, DEC_BUCKETS = (136, 264, 392, 520), (144, 200, 264, 352)

# What the trainers' --p-* flags set.
MIX_FLAGS = ("p_all2all", "p_derive", "p_derive_from_rgb", "p_read_rgb", "p_own_context")


class Layout:
    """Offsets of each modality inside the concatenated candidate tables (FourM.names order)."""

    def __init__(self, names: list[str], modalities: dict):
        self.names, self.mods, self.offset = names, modalities, {}
        off = 0
        for n in names:
            self.offset[n] = off
            spec = modalities[n]
            off += spec["grid"] ** 2 if spec["type"] == "img" else spec["max_len"]
        self.total = off

    def size(self, name: str) -> int:
        spec = self.mods[name]
        return spec["grid"] ** 2 if spec["type"] == "img" else spec["max_len"]


def _split(budget: int, names: list[str], alpha: float, rng) -> dict[str, int]:
    if not names:
        return {}
    w = rng.dirichlet([alpha] * len(names))
    return {n: int(round(budget * wi)) for n, wi in zip(names, w)}


TASKS = ("unconditional", "read_rgb", "own_context", "all2all", "derive", "to_rgb")


class Task(NamedTuple):
    """One task per batch. Own context also fixes, per batch, the target, its visible fraction and the
    condition ("none", "mixed" or a modality name shown whole), so every sample pads to the same length."""
    kind: str
    target: str = ""
    visible: float = 0.0
    cond: str = ""


def choose_task(cfg: MixConfig, rng, names: list[str] | None = None) -> Task:
    """One task per batch, so padding to the longest sample wastes little (derive inputs are 256 long).
    `names` (the model's modality names) is needed only when the mix has own-context batches."""
    u = rng.uniform()
    if u < cfg.p_unconditional:
        return Task("unconditional")
    if cfg.p_read_rgb and rng.uniform() < cfg.p_read_rgb:
        return Task("read_rgb")
    if cfg.p_own_context and rng.uniform() < cfg.p_own_context:
        return _own_context(cfg, rng, names)
    u = rng.uniform()
    if u < cfg.p_all2all:
        return Task("all2all")
    return Task("derive" if u < cfg.p_all2all + cfg.p_derive else "to_rgb")


def _own_context(cfg: MixConfig, rng, names: list[str]) -> Task:
    images = [n for n in names if n.startswith("tok_")]
    rgb = next(n for n in images if n.startswith("tok_rgb"))
    others = [n for n in images if n != rgb]
    target = rgb if rng.uniform() < cfg.own_rgb_share else others[int(rng.integers(len(others)))]
    visible = 0.0 if rng.uniform() < cfg.own_first_step else float(rng.uniform())
    # The product's conditions: semseg → RGB (and RGB → the other maps) half the time a whole modality
    # is shown; captions, boxes, other maps and nothing at all cover the rest.
    rest = [n for n in names if n != target]
    u = rng.uniform()
    if u < 0.15:
        cond = "none"
    elif u < 0.6:
        usual = next(n for n in names if n.startswith("tok_semseg")) if target == rgb else rgb
        cond = usual if rng.uniform() < 0.5 else rest[int(rng.integers(len(rest)))]
    else:
        cond = "mixed"
    return Task("own_context", target, visible, cond)


def _budgets(layout: Layout, cfg: MixConfig, rng, task: Task) -> tuple[dict, dict]:
    names = layout.names
    rgb = next(n for n in names if n.startswith("tok_rgb"))
    kind = task.kind
    if kind == "unconditional":
        return {}, _split(cfg.target_budget, names, cfg.alpha, rng)
    if kind == "read_rgb":
        return {rgb: 10 ** 6}, {n: 10 ** 6 for n in names if n.startswith("tok_semseg") or n in ("caption", "det")}
    if kind == "own_context":
        t = task.target
        k_in = {}
        if task.cond == "mixed":
            k_in = _split(cfg.input_budget, [n for n in names if n != t], cfg.alpha, rng)
        elif task.cond != "none":
            k_in = {task.cond: 10 ** 6}
        k_in[t] = int(task.visible * layout.size(t))
        return k_in, {t: 10 ** 6}
    if kind == "all2all":
        return _split(cfg.input_budget, names, cfg.alpha, rng), _split(cfg.target_budget, names, cfg.alpha, rng)
    if kind == "derive":   # one whole modality in, as in "derive all layers from this one"
        src = rgb if rng.uniform() < cfg.p_derive_from_rgb else names[int(rng.integers(len(names)))]
        rest = [n for n in names if n != src]
        return {src: 10 ** 6}, _split(cfg.target_budget, rest, cfg.alpha, rng)
    rest = [n for n in names if n != rgb]
    return _split(cfg.input_budget, rest, cfg.alpha, rng), {rgb: cfg.target_budget}


def sample_one(example: dict, layout: Layout, sp: SpecialIds, cfg: MixConfig, rng, task: Task) -> dict:
    k_in, k_tgt = _budgets(layout, cfg, rng, task)
    out = {"ids": {}, "seq_enc": {}, "seq_dec_in": {}, "seq_dec_label": {}, "enc": [], "dec": []}
    for mi, name in enumerate(layout.names):
        spec, off = layout.mods[name], layout.offset[name]
        kin, ktg = k_in.get(name, 0), k_tgt.get(name, 0)
        if spec["type"] == "img":
            ids = example[name]
            out["ids"][name] = ids
            n = len(ids)
            kin = min(kin, n)
            ktg = min(ktg, n - kin)
            perm = rng.permutation(n)
            out["enc"] += (off + perm[:kin]).tolist()
            out["dec"] += [(off + int(p), mi, int(p), False) for p in perm[kin:kin + ktg]]
            continue
        L = spec["max_len"]
        full = list(example[name]) + [sp.eos]
        enc_seq, tgt = [], []
        if kin == 0 and ktg == 0:
            pass
        elif kin >= len(full):
            enc_seq = full
        elif kin == 0:
            enc_seq, tgt = [sp.s1], [sp.s1] + full + [sp.s2]
        else:
            span = len(full) - kin
            s = int(rng.integers(0, len(full) - span + 1))
            enc_seq = full[:s] + [sp.s1] + full[s + span:]
            tgt = [sp.s1] + full[s:s + span] + [sp.s2] if ktg > 0 else []
        enc_seq, tgt = enc_seq[:L], tgt[:L + 1]
        e = np.full(L, sp.pad, np.int64)
        e[:len(enc_seq)] = enc_seq
        di = np.full(L, sp.pad, np.int64)
        dl = np.full(L, sp.pad, np.int64)
        if tgt:
            di[:len(tgt) - 1] = tgt[:-1]
            dl[:len(tgt) - 1] = tgt[1:]
            out["dec"] += [(off + p, mi, p, True) for p in range(len(tgt) - 1)]
        out["enc"] += [off + p for p in range(len(enc_seq))]
        out["seq_enc"][name], out["seq_dec_in"][name], out["seq_dec_label"][name] = e, di, dl
    return out


def _bucket(n: int, buckets: tuple[int, ...] | None, cap: int) -> int:
    """Round a length up to a bucket so a compiled model sees only a few distinct shapes."""
    if not buckets:
        return min(n, cap)
    return next((b for b in buckets if b >= n), buckets[-1])


def collate(samples: list[dict], layout: Layout, max_enc: int, max_dec: int, rng,
            enc_buckets: tuple[int, ...] | None = None, dec_buckets: tuple[int, ...] | None = None) -> dict:
    B = len(samples)
    n_enc = _bucket(max(len(s["enc"]) for s in samples), enc_buckets, max_enc)
    n_dec = _bucket(max(len(s["dec"]) for s in samples), dec_buckets, max_dec)
    enc_index = np.zeros((B, n_enc), np.int64)
    enc_pad = np.ones((B, n_enc), bool)
    dec = {k: np.zeros((B, n_dec), np.int64) for k in ("index", "mod", "pos")}
    dec_pad = np.ones((B, n_dec), bool)
    dec_causal = np.zeros((B, n_dec), bool)
    for b, s in enumerate(samples):
        e = s["enc"]
        if len(e) > n_enc:
            e = list(rng.choice(e, n_enc, replace=False))
        enc_index[b, :len(e)], enc_pad[b, :len(e)] = e, False
        d = s["dec"]
        if len(d) > n_dec:   # drop image targets first: sequence targets must stay whole
            seq = [t for t in d if t[3]]
            img = [t for t in d if not t[3]]
            keep = max(0, n_dec - len(seq))
            d = (seq + [img[i] for i in rng.permutation(len(img))[:keep]])[:n_dec]
        for j, (idx, mi, pos, causal) in enumerate(d):
            dec["index"][b, j], dec["mod"][b, j], dec["pos"][b, j], dec_causal[b, j] = idx, mi, pos, causal
        dec_pad[b, :len(d)] = False
        dec["mod"][b, len(d):] = -1
    stack = lambda key, n: torch.from_numpy(np.stack([s[key][n] for s in samples]).astype(np.int64))
    return {
        "ids": {n: stack("ids", n) for n in samples[0]["ids"]},
        "seq_enc": {n: stack("seq_enc", n) for n in samples[0]["seq_enc"]},
        "seq_dec_in": {n: stack("seq_dec_in", n) for n in samples[0]["seq_dec_in"]},
        "seq_dec_label": {n: stack("seq_dec_label", n) for n in samples[0]["seq_dec_label"]},
        "enc_index": torch.from_numpy(enc_index), "enc_pad": torch.from_numpy(enc_pad),
        "dec_index": torch.from_numpy(dec["index"]), "dec_pad": torch.from_numpy(dec_pad),
        "dec_mod": torch.from_numpy(dec["mod"]), "dec_pos": torch.from_numpy(dec["pos"]),
        "dec_causal": torch.from_numpy(dec_causal),
    }
