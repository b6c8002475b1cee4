"""Train the judge on rendered pictures (fourm_recipe.judge.data chunks) on the CPU (--threads).

The learning rate follows elapsed time (warm-up, then cosine to 5 % at --minutes), so the schedule
completes whatever the machine's load. Every --eval-every minutes it scores held-out pictures (eval seeds
9_001_000 + i: never trained on, and apart from the 50 test-fixture scenes 9_000_000 + i) and appends to
runs/judge/log.jsonl; last.pt resumes, best.pt keeps the best held-out mIoU.
Half of the training pictures are shown as the RGB tokenizer gives them back, so that the judge reads
generated (always tokenizer-decoded) pictures as well as clean renders.
Usage: python -m fourm_recipe.judge.train --minutes 45
"""
from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from ..tokenizers.metrics import miou, object_kind_accuracy
from .data import DEFAULT_ROOT, chunk_files, load_chunks, render_pictures, tokenizer_round_trip
from .net import CLASSES, WIDTHS, JudgeNet

RUN = Path(__file__).resolve().parents[2] / "runs" / "judge"
VAL_SEED_BASE = 9_001_000


def held_out(n: int, cache: Path) -> dict[str, np.ndarray]:
    if cache.exists():
        z = np.load(cache)
        return {k: z[k] for k in z.files}
    arrays = render_pictures(range(VAL_SEED_BASE, VAL_SEED_BASE + n))
    arrays["rgb_rt"] = tokenizer_round_trip(arrays["rgb"])
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.savez(cache, **arrays)
    return arrays


def to_input(rgb: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(rgb).permute(0, 3, 1, 2).float().contiguous(memory_format=torch.channels_last)


@torch.no_grad()
def predict(net: JudgeNet, rgb: np.ndarray, batch: int = 50) -> np.ndarray:
    net.eval()
    out = np.concatenate([net(to_input(rgb[i:i + batch]))[0].argmax(1).to(torch.uint8).numpy() for i in range(0, len(rgb), batch)])
    net.train()
    return out


def score(net: JudgeNet, rgb: np.ndarray, semseg: np.ndarray) -> dict[str, float]:
    pred = predict(net, rgb)
    kinds = [k for k in (object_kind_accuracy(p, g) for p, g in zip(pred, semseg)) if k is not None]
    return {"miou": float(np.mean([miou(p, g, len(CLASSES)) for p, g in zip(pred, semseg)])), "kind": float(np.mean(kinds))}


def augment(rgb: torch.Tensor, y: torch.Tensor, g: torch.Generator, crop: int, max_zoom: float = 1.0) -> tuple[torch.Tensor, torch.Tensor]:
    """A random crop (the net is fully convolutional; crops cost less per sample), left-right flips (the
    world has no handedness), brightness/contrast jitter and pixel noise. With max_zoom > 1, half the
    batches are a smaller crop enlarged to the crop side (zoom drawn from 1..max_zoom), so that the net
    also reads pictures enlarged for its multi-scale reading (export: scales 1 and 1.5)."""
    b, _, h, w = rgb.shape
    zoom = 1.0
    if max_zoom > 1 and torch.rand(1, generator=g).item() < 0.5:
        zoom = 1 + (max_zoom - 1) * torch.rand(1, generator=g).item()
    side = min(h, int(round(crop / zoom)))
    if side < h:
        top, left = (int(v) for v in torch.randint(0, h - side + 1, (2,), generator=g))
        rgb, y = rgb[:, :, top:top + side, left:left + side], y[:, top:top + side, left:left + side]
    if side != crop:
        rgb = F.interpolate(rgb, size=(crop, crop), mode="bilinear", align_corners=False)
        y = F.interpolate(y[:, None].float(), size=(crop, crop), mode="nearest")[:, 0].long()
    flip = torch.rand(b, generator=g) < 0.5
    rgb = torch.where(flip[:, None, None, None], rgb.flip(3), rgb)
    y = torch.where(flip[:, None, None], y.flip(2), y)
    gain = 1 + 0.15 * (torch.rand(b, 1, 1, 1, generator=g) * 2 - 1)
    shift = 15 * (torch.rand(b, 1, 1, 1, generator=g) * 2 - 1)
    noise = torch.randn(rgb.shape, generator=g) * (torch.rand(b, 1, 1, 1, generator=g) * 6)
    return (rgb * gain + shift + noise).clamp(0, 255), y


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=45)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--eval-every", type=float, default=4.0, help="minutes")
    ap.add_argument("--data", default=str(DEFAULT_ROOT))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--crop", type=int, default=96, help="training crop side (multiple of 16)")
    ap.add_argument("--widths", default=",".join(map(str, WIDTHS)), help="channels at 128, 64, 32, 16 and 8 px (a resumed run keeps its own)")
    ap.add_argument("--run", default=str(RUN), help="run folder (log.jsonl, last.pt, best.pt): variants side by side")
    ap.add_argument("--object-weight", type=float, default=4.0,
                    help="loss weight of object pixels: they are a few percent of a picture, and telling their kinds apart is the hard part")
    ap.add_argument("--max-zoom", type=float, default=1.0, help="enlarge half the crops by up to this factor (see augment)")
    ap.add_argument("--init", default=None, help="a checkpoint (.pt) whose weights start a new run (fresh optimiser and schedule): fine-tuning")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    run = Path(args.run)
    run.mkdir(parents=True, exist_ok=True)
    val = held_out(200, Path(args.data) / "val_9001000.npz")

    # Resume this run's last.pt, else start from --init's weights (a fine-tune), else from scratch;
    # the checkpoint is read once and gives the widths too.
    resume = (run / "last.pt").exists()
    start = torch.load(run / "last.pt" if resume else args.init, weights_only=False) if resume or args.init else None
    widths = tuple(start.get("widths", WIDTHS)) if start else tuple(int(v) for v in args.widths.split(","))
    net = JudgeNet(widths=widths).to(memory_format=torch.channels_last)
    class_weight = torch.tensor([1.0, 1.0] + [args.object_weight] * (len(CLASSES) - 2))
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    state = {"step": 0, "samples": 0, "elapsed": 0.0, "best": -1.0}
    if start:
        net.load_state_dict(start["model"])
    if resume:
        opt.load_state_dict(start["opt"])
        state = start["state"]
    elif args.init:
        state["init"] = str(args.init)
    g = torch.Generator().manual_seed(state["step"])
    rng = np.random.default_rng(state["step"])
    log = open(run / "log.jsonl", "a")

    files: list[Path] = []
    data: dict[str, np.ndarray] = {}
    t_start = time.time() - state["elapsed"]
    next_eval = state["elapsed"] / 60 + args.eval_every
    budget = args.minutes * 60
    while not chunk_files(Path(args.data)):
        print("waiting for the first chunk of pictures", flush=True)
        time.sleep(10)
    t_start = time.time() - state["elapsed"]   # waiting for data is not training time
    while True:
        elapsed = time.time() - t_start
        if (not files or state["step"] % 200 == 0) and len(chunk_files(Path(args.data))) > len(files):
            files = chunk_files(Path(args.data))
            data = load_chunks(files)
            print(f"training pictures: {len(data['rgb'])}", flush=True)
        done = elapsed >= budget
        if elapsed / 60 >= next_eval or done:
            clean, decoded = score(net, val["rgb"], val["semseg"]), score(net, val["rgb_rt"], val["semseg"])
            rec = {"step": state["step"], "samples": state["samples"], "minutes": round(elapsed / 60, 2), "pictures": len(data["rgb"]),
                   "val_miou": clean["miou"], "val_kind": clean["kind"], "val_rt_miou": decoded["miou"], "val_rt_kind": decoded["kind"]}
            log.write(json.dumps(rec) + "\n")
            log.flush()
            print(rec, flush=True)
            state["elapsed"] = elapsed
            state["threads"] = args.threads
            ck = {"model": net.state_dict(), "opt": opt.state_dict(), "state": state, "eval": rec, "widths": list(widths)}
            if clean["miou"] > state["best"]:
                state["best"] = clean["miou"]
                torch.save(ck, run / "best.pt")
            torch.save(ck, run / "last.pt")
            next_eval += args.eval_every
        if done:
            break
        frac = elapsed / budget
        lr = args.lr * min(1.0, (state["step"] + 1) / 100) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))
        for group in opt.param_groups:
            group["lr"] = lr
        idx = rng.integers(0, len(data["rgb"]), args.batch)
        decoded = rng.random(args.batch) < 0.5
        rgb = np.where(decoded[:, None, None, None], data["rgb_rt"][idx], data["rgb"][idx])
        x, y = augment(torch.from_numpy(rgb).permute(0, 3, 1, 2).float(), torch.from_numpy(data["semseg"][idx]).long(), g, args.crop, args.max_zoom)
        logits, _ = net(x.contiguous(memory_format=torch.channels_last))
        loss = F.cross_entropy(logits, y, weight=class_weight)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        state["step"] += 1
        state["samples"] += args.batch
        if state["step"] % 50 == 0:
            print(f"step {state['step']} loss {loss.item():.4f} lr {lr:.2e} {elapsed / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
