"""Train the default 4M model on tokenized world data; resumable and logged as JSON lines.

Usage: python -m fourm_recipe.fm.train --minutes 80 [--total-steps 30000] [--batch 32] [--threads 2]
State: runs/fm/last.pt (weights + optimizer + step, local only) and runs/fm/weights.safetensors
(fp16 weights + step, small enough to commit so a later session on another machine can resume).
"""
from __future__ import annotations

import argparse
import json
import math
import signal
import time
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer

from ..tokenizers.data import DATA_ROOT
from ..tokenizers.train import RUNS
from .code_embedding import add_code_features, has_code_features, plain_state_dict
from .masking import DEC_BUCKETS, ENC_BUCKETS, MIX_FLAGS, Layout, MixConfig, SpecialIds, choose_task, collate, sample_one
from .model import FMConfig, FourM
from .spec import fm_modalities

OUT = RUNS / "fm"


class TokenData:
    def __init__(self, path: Path, names: list[str]):
        z = np.load(path)
        self.arrays = {k: z[k] for k in z.files if k != "objects"}
        self.n = len(self.arrays["seed"])
        self.names = names

    def example(self, i: int) -> dict:
        ex = {}
        for n in self.names:
            if n.startswith("tok_"):
                ex[n] = self.arrays[n][i].astype(np.int64)
            else:
                ex[n] = self.arrays[n][i, : self.arrays[n + "_len"][i]].astype(np.int64).tolist()
        return ex


def special_ids(text: Tokenizer) -> SpecialIds:
    return SpecialIds(text.token_to_id("[PAD]"), text.token_to_id("[EOS]"), text.token_to_id("[S_1]"), text.token_to_id("[S_2]"))


def lr_at(step: int, warmup: int, total: int, peak: float, rewarm_from: int | None = None) -> float:
    """Linear warm-up, then cosine to 5 % of peak at `total`. After a weights-only resume the
    optimizer's moments are new, so the rate ramps up again over 200 steps from `rewarm_from`."""
    if rewarm_from is not None and step < rewarm_from + 200:
        return lr_at(step, warmup, total, peak) * (step - rewarm_from + 1) / 200
    if step < warmup:
        return peak * (step + 1) / warmup
    frac = min(1.0, (step - warmup) / max(1, total - warmup))
    return peak * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))


def lr_by_time(step: int, warmup: int, spent_s: float, budget_s: float, peak: float) -> float:
    """Warm-up by steps, then cosine to 5 % of peak by elapsed time: the schedule ends with the
    time budget however fast the (shared) CPU turns out to be."""
    warm = min(1.0, (step + 1) / warmup)
    frac = min(1.0, spent_s / max(1.0, budget_s))
    return peak * warm * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))


def param_groups(net: torch.nn.Module, weight_decay: float) -> list[dict]:
    """AdamW groups: weight decay on the matrices of linear layers only. Token tables, the mask token,
    modality embeddings and norm gains are not shrunk toward zero (decay there erases rarely-seen ids
    and fights the fixed positional vectors' scale)."""
    decay, keep = [], []
    for name, p in net.named_parameters():
        table = "token_emb" in name or "to_logits" in name
        (decay if p.ndim == 2 and not table else keep).append(p)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": keep, "weight_decay": 0.0}]


def save_weights(net: FourM, step: int, path: Path) -> None:
    # Tied/shared tensors are written once each under every name; fp16 halves the committed size.
    # Reparametrized tables (--code-features) are written evaluated, under 4M's keys.
    sd = {k: v.detach().to(torch.float16).clone().contiguous() for k, v in plain_state_dict(net).items()}
    save_file(sd, str(path), metadata={"step": str(step)})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--total-steps", type=int, default=30000)
    ap.add_argument("--warmup", type=int, default=300)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=6e-4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--save-every", type=int, default=100)
    ap.add_argument("--tokens", type=Path, default=DATA_ROOT / "tokens" / "train.npz")
    ap.add_argument("--no-compile", action="store_true", help="eager mode (torch.compile is ~2.5x faster on CPU)")
    # Fine-tuning a resumed model: a task mix of its own, and a fresh warm-up + cosine over the next
    # --total-steps steps (instead of the absolute step, which a long accelerator run has left far past).
    ap.add_argument("--p-all2all", type=float, default=None)
    ap.add_argument("--p-derive", type=float, default=None)
    ap.add_argument("--p-derive-from-rgb", type=float, default=None)
    ap.add_argument("--p-read-rgb", type=float, default=None)
    ap.add_argument("--p-own-context", type=float, default=None, help="share of own-context batches (masking.py)")
    ap.add_argument("--restart-schedule", action="store_true")
    ap.add_argument("--schedule-by-time", action="store_true",
                    help="cosine over --minutes of wall time instead of --total-steps (kept in last.pt across resumes)")
    ap.add_argument("--code-features", action="store_true",
                    help="train image token tables as table + MLP(FSQ code) (see code_embedding.py); saved folded")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    OUT.mkdir(parents=True, exist_ok=True)
    text = Tokenizer.from_file(str(RUNS / "text" / "text_tokenizer.json"))
    mods = fm_modalities(text.get_vocab_size())
    net = FourM(FMConfig(mods))
    (OUT / "config.json").write_text(json.dumps({"modalities": mods, "dim": 256, "encoder_depth": 6, "decoder_depth": 4,
                                                 "num_heads": 4, "mlp_ratio": 4.0}, indent=1))
    step, rewarm_from, opt_state, base = 0, None, None, 0
    time_schedule = None   # {"budget_s", "spent_s"} of a --schedule-by-time run
    if (OUT / "last.pt").exists():
        ck = torch.load(OUT / "last.pt", weights_only=False)
        if ck.get("code_features"):
            add_code_features(net)
        net.load_state_dict(ck["model"])
        step = ck["step"]
        base = ck.get("schedule_from", 0)   # a resumed fine-tune keeps its schedule
        time_schedule = ck.get("time_schedule")
        if bool(ck.get("code_features")) == args.code_features:
            opt_state = ck["opt"]
        elif not args.code_features:
            raise SystemExit("last.pt was trained with --code-features: pass it again to resume")
        else:
            rewarm_from = step   # new parameters: fresh Adam moments, ramp the rate up again
    elif (OUT / "weights.safetensors").exists():   # resume on a fresh machine: weights only, new optimizer
        sd = load_file(str(OUT / "weights.safetensors"))
        net.load_state_dict({k: v.float() for k, v in sd.items()})
        from safetensors import safe_open
        with safe_open(str(OUT / "weights.safetensors"), "pt") as f:
            step = int(f.metadata()["step"])
        rewarm_from = step   # fresh Adam moments: ramp the rate up again
    if args.code_features and not has_code_features(net):
        add_code_features(net)   # its MLP starts at zero: the loaded model is unchanged
    opt = torch.optim.AdamW(param_groups(net, 0.05), lr=args.lr, betas=(0.9, 0.95))
    if opt_state is not None:
        if len(opt_state["param_groups"]) == len(opt.param_groups):
            opt.load_state_dict(opt_state)
        else:   # a checkpoint from before the weight-decay groups: fresh moments, ramp the rate up again
            rewarm_from = step
    data = TokenData(args.tokens, net.names)
    model = net if args.no_compile else torch.compile(net)
    mix = MixConfig()
    for field in MIX_FLAGS:
        if getattr(args, field) is not None:
            setattr(mix, field, getattr(args, field))
    layout, sp = Layout(net.names, mods), special_ids(text)
    if args.restart_schedule:   # the schedule's step 0; resuming the same run: leave the flag out
        base, rewarm_from = step, None   # the fresh warm-up ramps the new Adam moments in
        time_schedule = None
    if args.schedule_by_time and time_schedule is None:
        time_schedule = {"budget_s": args.minutes * 60, "spent_s": 0.0}
    # Every log record of a fine-tune says how it was trained (run_info reads the chain from these).
    log_run = {}
    if base or mix != MixConfig() or args.code_features:
        log_run = {"mix": {f: getattr(mix, f) for f in MIX_FLAGS}, "schedule_from": base}
        if args.code_features:
            log_run["code_features"] = True
    rng = np.random.default_rng(step + 12345)
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    log = open(OUT / "log.jsonl", "a")
    deadline = time.time() + args.minutes * 60
    t0, acc, tasks = time.time(), [], {}

    def checkpoint():
        torch.save({"model": net.state_dict(), "opt": opt.state_dict(), "step": step, "schedule_from": base,
                    "time_schedule": time_schedule,
                    "code_features": has_code_features(net)}, OUT / "last.pt")
        save_weights(net, step, OUT / "weights.safetensors")

    while time.time() < deadline and step - base < args.total_steps and not stop["now"]:
        t_step = time.time()
        idx = rng.integers(0, data.n, args.batch)
        task = choose_task(mix, rng, net.names)
        batch = collate([sample_one(data.example(int(i)), layout, sp, mix, rng, task) for i in idx], layout, ENC_BUCKETS[-1], DEC_BUCKETS[-1], rng,
                        enc_buckets=ENC_BUCKETS, dec_buckets=DEC_BUCKETS)
        for g in opt.param_groups:
            if time_schedule is not None:
                g["lr"] = lr_by_time(step - base, args.warmup, time_schedule["spent_s"], time_schedule["budget_s"], args.lr)
            else:
                g["lr"] = lr_at(step - base, args.warmup, args.total_steps, args.lr, None if rewarm_from is None else rewarm_from - base)
        loss, parts = model(batch)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        step += 1
        if time_schedule is not None:
            time_schedule["spent_s"] += time.time() - t_step
        acc.append((loss.item(), {k: v.item() for k, v in parts.items()}, gn.item()))
        tasks[task.kind] = tasks.get(task.kind, 0) + 1
        if step % 20 == 0:
            per_mod: dict[str, list] = {}
            for _, p, _ in acc:
                for k, v in p.items():
                    per_mod.setdefault(k, []).append(v)
            rec = {"step": step, "tasks": tasks, "loss": float(np.mean([a[0] for a in acc])), "lr": opt.param_groups[0]["lr"],
                   "grad_norm": float(np.mean([a[2] for a in acc])), "sec_per_step": (time.time() - t0) / len(acc),
                   "samples_seen": step * args.batch, "batch": args.batch, "per_modality": {k: round(float(np.mean(v)), 4) for k, v in per_mod.items()},
                   **log_run}
            log.write(json.dumps(rec) + "\n")
            log.flush()
            print(json.dumps(rec), flush=True)
            acc, t0, tasks = [], time.time(), {}
        if step % args.save_every == 0:
            checkpoint()
    checkpoint()
    print("stopped at step", step, flush=True)


if __name__ == "__main__":
    main()
