"""Quick teacher-forced checks on held-out scenes: does the model use the part of a picture it can see?

For each case, a fixed set of eval scenes and fixed masks: the loss (nats) and top-1 accuracy on the
target tokens the encoder did not see. "rgb | semseg 50 %" = full semseg + a random half of the RGB
tokens in, the other half out — one ROAR step in the middle of semseg→RGB generation.
Usage: python -m fourm_recipe.fm.own_context_check [--weights runs/fm/last.pt | …safetensors] [--n 48]
Prints one JSON line (and appends it to --log when given), so checks along a run form a learning curve.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from safetensors import safe_open
from tokenizers import Tokenizer

from ..tokenizers.data import DATA_ROOT
from ..tokenizers.train import RUNS
from .code_embedding import add_code_features
from .evaluate import load_fm
from .masking import Layout, MixConfig, Task, collate, sample_one
from .train import TokenData, special_ids

RGB, SEM = "tok_rgb@128", "tok_semseg@128"
CASES = {   # name: (target, visible fraction, condition)
    "rgb|semseg 0%": (RGB, 0.0, SEM), "rgb|semseg 50%": (RGB, 0.5, SEM), "rgb|semseg 90%": (RGB, 0.9, SEM),
    "rgb|none 0%": (RGB, 0.0, "none"), "rgb|caption 0%": (RGB, 0.0, "caption"), "semseg|rgb 0%": (SEM, 0.0, RGB),
}


def load(weights: Path):
    if weights.suffix == ".pt":
        ck = torch.load(weights, weights_only=False)
        net = load_fm(RUNS / "fm" / "weights.safetensors")
        if ck.get("code_features"):
            add_code_features(net)
        net.load_state_dict(ck["model"])
        return net.eval(), ck["step"]
    with safe_open(str(weights), "pt") as f:
        step = int(f.metadata().get("step", -1))
    return load_fm(weights), step


@torch.no_grad()
def target_scores(net, batch, target: str) -> tuple[float, float]:
    """Mean cross-entropy and top-1 on the target's decoder tokens (the training forward's maths)."""
    ex, ee, dx, de, lab = net.candidate_tables(batch)
    gather = lambda t, idx: torch.gather(t, 1, idx[..., None].expand(-1, -1, t.shape[-1]))
    keep = (~batch["enc_pad"])[..., None].float()
    context = net.encode(gather(ex, batch["enc_index"]) * keep, gather(ee, batch["enc_index"]) * keep, batch["enc_pad"])
    y = gather(dx, batch["dec_index"]) + gather(de, batch["dec_index"])
    mod, pad = batch["dec_mod"], batch["dec_pad"]
    blocked = (mod[:, :, None] != mod[:, None, :]) | pad[:, None, :]
    hidden = net.decode(y, context, batch["enc_pad"], blocked)
    sel = (mod == net.names.index(target)) & ~pad
    logits = net.decoder_embeddings[target].to_logits(hidden[sel])
    labels = torch.gather(lab, 1, batch["dec_index"])[sel]
    return float(F.cross_entropy(logits, labels)), float((logits.argmax(-1) == labels).float().mean())


def run(weights: Path, n: int = 48, batch: int = 16) -> dict:
    net, step = load(weights)
    text = Tokenizer.from_file(str(RUNS / "text" / "text_tokenizer.json"))
    mods = json.loads((RUNS / "fm" / "config.json").read_text())["modalities"]
    layout, sp, mix = Layout(net.names, mods), special_ids(text), MixConfig()
    data = TokenData(DATA_ROOT / "tokens" / "eval.npz", net.names)
    out = {"step": step, "weights": str(weights), "scenes": n}
    for name, (target, visible, cond) in CASES.items():
        rng = np.random.default_rng(0)   # the same masks for every checkpoint
        losses, tops = [], []
        for s in range(0, n, batch):
            task = Task("own_context", target, visible, cond)
            samples = [sample_one(data.example(i), layout, sp, mix, rng, task) for i in range(s, min(n, s + batch))]
            b = collate(samples, layout, 10 ** 4, 10 ** 4, rng)
            loss, top = target_scores(net, b, target)
            losses.append(loss)
            tops.append(top)
        out[name] = {"loss": round(float(np.mean(losses)), 3), "top1": round(float(np.mean(tops)), 3)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", type=Path, default=RUNS / "fm" / "weights.safetensors")
    ap.add_argument("--n", type=int, default=48)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--log", type=Path)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    rec = run(args.weights, args.n)
    line = json.dumps(rec)
    print(line, flush=True)
    if args.log:
        with open(args.log, "a") as f:
            f.write(line + "\n")


if __name__ == "__main__":
    main()
