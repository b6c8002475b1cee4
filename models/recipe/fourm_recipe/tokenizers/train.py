"""Train one modality's FSQ-VAE tokenizer; resumable, logged as JSON lines.

Usage: python -m fourm_recipe.tokenizers.train --modality rgb --minutes 30 [--threads 1]
Writes runs/tok_<modality>/{last.pt, best.pt, log.jsonl}. Re-running resumes from last.pt.
"""
from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch

from .data import load_modality
from .metrics import reconstruction_report
from .modalities import CONFIGS, from_network, loss_of, target_of, to_network
from .vqvae import ImageTokenizer

RUNS = Path(__file__).resolve().parents[2] / "runs"


def evaluate(net: ImageTokenizer, modality: str, data: np.ndarray, batch: int = 25) -> dict:
    net.eval()
    preds = []
    with torch.no_grad():
        for i in range(0, len(data), batch):
            ids = net.encode(to_network(modality, data[i:i + batch]))
            preds.append(from_network(modality, net.decode(ids)))
    net.train()
    return reconstruction_report(modality, np.concatenate(preds), data)


def lr_at(step: int, total: int, peak: float) -> float:
    if step < 200:
        return peak * (step + 1) / 200
    frac = min(1.0, (step - 200) / max(1, total - 200))
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--modality", choices=list(CONFIGS), required=True)
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--total-steps", type=int, default=4000, help="length of the LR schedule")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--train-shards", type=int, default=None)
    ap.add_argument("--eval-every", type=int, default=500)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    m = args.modality
    out = RUNS / f"tok_{m}"
    out.mkdir(parents=True, exist_ok=True)
    train = load_modality("train", m, args.train_shards)
    held = load_modality("eval", m)[:200]
    net = ImageTokenizer(CONFIGS[m])
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4, betas=(0.9, 0.99))
    step, best = 0, None
    if (out / "last.pt").exists():
        ck = torch.load(out / "last.pt", weights_only=False)
        net.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, best = ck["step"], ck.get("best")
    rng = np.random.default_rng(step)
    log = open(out / "log.jsonl", "a")
    deadline = time.time() + args.minutes * 60
    t0, losses = time.time(), []
    while time.time() < deadline and step < args.total_steps:
        idx = rng.integers(0, len(train), args.batch)
        x = to_network(m, train[idx])
        y = target_of(m, train[idx])
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args.total_steps, args.lr)
        loss = loss_of(m, net(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
        step += 1
        if step % 50 == 0:
            rec = {"step": step, "loss": float(np.mean(losses)), "lr": opt.param_groups[0]["lr"],
                   "sec_per_step": (time.time() - t0) / len(losses), "train_images": len(train)}
            losses, t0 = [], time.time()
            if step % args.eval_every == 0:
                rec["eval"] = evaluate(net, m, held)
                score = next(iter(rec["eval"].values()))
                lower_better = m in ("depth", "normal")
                if best is None or (score < best if lower_better else score > best):
                    best = score
                    torch.save({"model": net.state_dict(), "config": CONFIGS[m].__dict__, "step": step, "eval": rec["eval"]}, out / "best.pt")
            log.write(json.dumps(rec) + "\n")
            log.flush()
            print(json.dumps(rec), flush=True)
        if step % 200 == 0:
            torch.save({"model": net.state_dict(), "opt": opt.state_dict(), "step": step, "best": best}, out / "last.pt")
    torch.save({"model": net.state_dict(), "opt": opt.state_dict(), "step": step, "best": best}, out / "last.pt")
    final = evaluate(net, m, held)
    torch.save({"model": net.state_dict(), "config": CONFIGS[m].__dict__, "step": step, "eval": final}, out / "final.pt")
    log.write(json.dumps({"step": step, "final_eval": final}) + "\n")
    print("final", step, final, flush=True)


if __name__ == "__main__":
    main()
