"""Train the default 4M on an accelerator inside a fixed wall-clock budget (a borrowed GPU for minutes).

Same model, objective and data as `train.py`; what differs is the shape of the run:
- batches are built by DataLoader worker processes (the per-sample masking is Python, so one CPU core
  cannot keep a GPU fed) and carry per-modality loss positions, so a step never waits on the GPU;
- bf16 autocast, fused AdamW, an EMA of the weights;
- the learning rate follows the *elapsed time* (warm-up, then cosine to 5 % at the deadline), so the
  schedule ends properly however fast the machine turns out to be;
- a held-out loss on fixed eval batches, and at the end whichever of raw / EMA weights scores lower is
  written as fp16 safetensors shards small enough to come back from the machine.

Usage: python -m fourm_recipe.fm.train_accel --tokens DIR --out DIR --minutes 8 [--batch 512]
DIR holds train.npz and eval.npz from tokenize_dataset (plain or compressed).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import time
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer

from ..tokenizers.train import RUNS
from .code_embedding import add_code_features, plain_state_dict
from .masking import DEC_BUCKETS, ENC_BUCKETS, MIX_FLAGS, Layout, MixConfig, choose_task, collate, sample_one
from .model import FMConfig, FourM
from .spec import fm_modalities
from .train import TokenData, param_groups, special_ids



def make_batch(data: TokenData, layout: Layout, sp, mix: MixConfig, rng, size: int, names: list[str]) -> dict:
    idx = rng.integers(0, data.n, size)
    task = choose_task(mix, rng, names)
    batch = collate([sample_one(data.example(int(i)), layout, sp, mix, rng, task) for i in idx], layout, ENC_BUCKETS[-1], DEC_BUCKETS[-1], rng,
                    enc_buckets=ENC_BUCKETS, dec_buckets=DEC_BUCKETS)
    mod, pad = batch["dec_mod"].numpy(), batch["dec_pad"].numpy()
    flat_mod = np.where(pad, -1, mod).reshape(-1)
    batch["loss_index"] = {n: torch.from_numpy(np.flatnonzero(flat_mod == i)) for i, n in enumerate(names)
                           if (flat_mod == i).any()}
    batch["task"] = task.kind
    return batch


class BatchStream(torch.utils.data.IterableDataset):
    """Endless training batches; each worker draws from its own seeded generator."""

    def __init__(self, tokens: Path, names, mods, sp, batch: int, seed: int, mix: MixConfig):
        self.tokens, self.names, self.mods, self.sp, self.batch, self.seed, self.mix = tokens, names, mods, sp, batch, seed, mix

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        wid = info.id if info else 0
        rng = np.random.default_rng([self.seed, wid])
        data = TokenData(self.tokens, self.names)
        layout = Layout(self.names, self.mods)
        while True:
            yield make_batch(data, layout, self.sp, self.mix, rng, self.batch, self.names)


def to_device(x, device):
    if isinstance(x, torch.Tensor):
        return x.to(device, non_blocking=True)
    if isinstance(x, dict):
        return {k: to_device(v, device) for k, v in x.items()}
    return x


def lr_at(elapsed: float, budget: float, step: int, warmup: int, peak: float) -> float:
    warm = min(1.0, (step + 1) / warmup)
    frac = min(1.0, elapsed / budget)
    return peak * warm * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))


def fp16_state(net: FourM, weights: dict[str, torch.Tensor] | None = None) -> dict[str, torch.Tensor]:
    """fp16 state under 4M's keys (reparametrized tables evaluated), of the live parameters or of `weights`
    (e.g. the EMA) swapped in for the moment."""
    params = dict(net.named_parameters())   # tied tensors appear once here, so copying sets every alias
    backup = {k: p.detach().clone() for k, p in params.items()} if weights is not None else None
    with torch.no_grad():
        if weights is not None:
            for k, p in params.items():
                p.copy_(weights[k])
        sd = plain_state_dict(net)
        if backup is not None:
            for k, p in params.items():
                p.copy_(backup[k])
    return {k: v.detach().to(torch.float16).cpu().clone().contiguous() for k, v in sd.items()}


def tied_aliases(net: FourM) -> list[str]:
    """State-dict names whose tensor already appeared under an earlier name (tied or shared weights)."""
    seen, out = set(), []
    for k, v in net.state_dict(keep_vars=True).items():
        if v.data_ptr() in seen:
            out.append(k)
        seen.add(v.data_ptr())
    return out


def save_shards(sd: dict[str, torch.Tensor], out: Path, step: int, meta: dict, shard_bytes: int = 15 << 20) -> None:
    """fp16 weights in shards of at most ~15 MB (the machine hands back files of at most 16 MiB)."""
    shards, cur, size = [], {}, 0
    for k in sorted(sd):
        n = sd[k].numel() * 2
        if cur and size + n > shard_bytes:
            shards.append(cur)
            cur, size = {}, 0
        cur[k] = sd[k]
        size += n
    shards.append(cur)
    for i, s in enumerate(shards):
        tmp = out / f"weights-{i}.tmp"
        save_file(s, str(tmp), metadata={"step": str(step), "shard": f"{i}/{len(shards)}", **{k: str(v) for k, v in meta.items()}})
        os.replace(tmp, out / f"weights-{i}.safetensors")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokens", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--minutes", type=float, default=8)
    ap.add_argument("--batch", type=int, default=512)
    ap.add_argument("--lr", type=float, default=1.5e-3)
    ap.add_argument("--warmup", type=int, default=200, help="steps (after --init: ramps up from the loaded weights)")
    ap.add_argument("--ema", type=float, default=0.997)
    ap.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) - 2))
    ap.add_argument("--save-every", type=float, default=90, help="seconds between checkpoints")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--init", type=Path, help="fp16 weights to start from (weights.safetensors)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--code-features", action="store_true", help="image token tables as table + MLP(FSQ code), saved folded")
    for field in MIX_FLAGS:   # the training task mix (masking.MixConfig)
        ap.add_argument("--" + field.replace("_", "-"), type=float, default=getattr(MixConfig(), field))
    ap.add_argument("--eval-batches", type=int, default=12)
    ap.add_argument("--amp", action="store_true", help="bf16 autocast off the GPU too (to test the GPU path on a CPU)")
    args = ap.parse_args()
    t_start = time.time()
    dev = torch.device(args.device)
    cuda = dev.type == "cuda"
    amp = cuda or args.amp
    torch.manual_seed(args.seed)
    if cuda:
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    else:
        torch.set_num_threads(2)
    args.out.mkdir(parents=True, exist_ok=True)
    text = Tokenizer.from_file(str(RUNS / "text" / "text_tokenizer.json"))
    mods = fm_modalities(text.get_vocab_size())
    net = FourM(FMConfig(mods))
    if args.init:
        # The init file may hold each tied tensor once (see dedupe_tied); loading one alias sets both.
        missing, unexpected = net.load_state_dict({k: v.float() for k, v in load_file(str(args.init)).items()}, strict=False)
        aliases = set(tied_aliases(net))
        if unexpected or set(missing) - aliases:
            raise SystemExit(f"--init {args.init}: missing {sorted(set(missing) - aliases)}, unexpected {unexpected}")
    if args.code_features:
        add_code_features(net)   # after --init: the MLP starts at zero, so the loaded model is unchanged
    net.to(dev)
    names, sp = net.names, special_ids(text)
    (args.out / "config.json").write_text(json.dumps({"modalities": mods, "dim": 256, "encoder_depth": 6, "decoder_depth": 4,
                                                     "num_heads": 4, "mlp_ratio": 4.0}, indent=1))
    params = dict(net.named_parameters())
    opt = torch.optim.AdamW(param_groups(net, 0.05), lr=args.lr, betas=(0.9, 0.95), fused=cuda)
    ema = {k: p.detach().clone() for k, p in params.items()}

    # Fixed held-out batches: the same masks every time, so the numbers compare across the run.
    eval_data = TokenData(args.tokens / "eval.npz", names)
    erng, layout, mix = np.random.default_rng(999), Layout(names, mods), MixConfig()
    eval_batches = [make_batch(eval_data, layout, sp, mix, erng, 128 if cuda else 8, names) for _ in range(args.eval_batches)]

    def held_out(weights: dict[str, torch.Tensor] | None) -> float:
        backup = None
        if weights is not None:
            backup = {k: p.detach().clone() for k, p in params.items()}
            with torch.no_grad():
                for k, p in params.items():
                    p.copy_(weights[k])
        net.eval()
        with torch.no_grad(), torch.autocast(dev.type, dtype=torch.bfloat16, enabled=amp):
            vals = [float(net(to_device(b, dev))[0]) for b in eval_batches]
        net.train()
        if backup is not None:
            with torch.no_grad():
                for k, p in params.items():
                    p.copy_(backup[k])
        return float(np.mean(vals))

    loader = torch.utils.data.DataLoader(
        BatchStream(args.tokens / "train.npz", names, mods, sp, args.batch, args.seed,
                    MixConfig(**{f: getattr(args, f) for f in MIX_FLAGS})),
        batch_size=None, num_workers=args.workers, pin_memory=cuda, prefetch_factor=4 if args.workers else None,
        persistent_workers=bool(args.workers))
    log = open(args.out / "log.jsonl", "a")

    def emit(rec: dict) -> None:
        log.write(json.dumps(rec) + "\n")
        log.flush()
        print(json.dumps(rec), flush=True)

    budget = args.minutes * 60
    emit({"event": "start", "device": str(torch.cuda.get_device_name() if cuda else "cpu"), "batch": args.batch,
          "workers": args.workers, "budget_s": budget, "setup_s": round(time.time() - t_start, 1),
          "mix": {f: getattr(args, f) for f in MIX_FLAGS},
          "code_features": args.code_features})
    step, t0, last_save, window_t = 0, None, time.time(), time.time()
    sums: dict[str, torch.Tensor] = {}
    counts: dict[str, int] = {}
    tasks: dict[str, int] = {}
    loss_sum, gn_sum, n_window = torch.zeros((), device=dev), torch.zeros((), device=dev), 0
    for batch in loader:
        if t0 is None:
            t0 = time.time()   # the clock starts at the first batch: worker start-up is not training time
        elapsed = time.time() - t0
        if elapsed >= budget:
            break
        task = batch.pop("task")
        batch = to_device(batch, dev)
        for g in opt.param_groups:
            g["lr"] = lr_at(elapsed, budget, step, args.warmup, args.lr)
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=amp):
            loss, parts = net(batch)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        with torch.no_grad():
            decay = min(args.ema, (1 + step) / (10 + step))
            torch._foreach_lerp_(list(ema.values()), [params[k].detach() for k in ema], 1 - decay)
        step += 1
        loss_sum += loss.detach()
        gn_sum += gn.detach()
        n_window += 1
        for k, v in parts.items():
            sums[k] = sums.get(k, 0) + v
            counts[k] = counts.get(k, 0) + 1
        tasks[task] = tasks.get(task, 0) + 1
        if step % 50 == 0:
            now = time.time()
            emit({"step": step, "elapsed_s": round(now - t0, 1), "loss": round(float(loss_sum) / n_window, 4),
                  "lr": opt.param_groups[0]["lr"], "grad_norm": round(float(gn_sum) / n_window, 3),
                  "sec_per_step": round((now - window_t) / n_window, 4), "samples_seen": step * args.batch, "tasks": tasks,
                  "per_modality": {k: round(float(v) / counts[k], 4) for k, v in sums.items()}})
            sums, counts, tasks, n_window, window_t = {}, {}, {}, 0, now
            loss_sum.zero_()
            gn_sum.zero_()
        if time.time() - last_save > args.save_every:
            val = held_out(None)
            emit({"step": step, "held_out_loss": round(val, 4)})
            save_shards(fp16_state(net), args.out, step, {"kind": "raw", "held_out_loss": val})
            last_save = time.time()
    raw, averaged = held_out(None), held_out(ema)
    best = "ema" if averaged < raw else "raw"
    emit({"event": "end", "step": step, "samples_seen": step * args.batch, "held_out_raw": round(raw, 4),
          "held_out_ema": round(averaged, 4), "kept": best, "train_s": round(time.time() - (t0 or t_start), 1)})
    save_shards(fp16_state(net, ema if best == "ema" else None), args.out, step,
                {"kind": best, "held_out_loss": min(raw, averaged)})
    print("done", step, flush=True)
    os._exit(0)   # skip joining persistent workers


if __name__ == "__main__":
    main()
