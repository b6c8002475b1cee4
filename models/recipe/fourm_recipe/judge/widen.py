"""Widen a trained judge without changing what it computes, as the start of a fine-tune.

The judge's remaining errors lie at class borders (80 % of its wrong pixels within 2 px of one), which
only the full-resolution layers can place, and those are 8 channels wide. Training a wider net from
scratch costs the 90 minutes the shipped one took, so this copies a checkpoint into wider layers:
every new channel's incoming weights are random (so it can learn) and its outgoing weights are zero (so
the widened net gives exactly the old logits and features until training moves them).
Usage: python -m fourm_recipe.judge.widen runs/judge-ft/best.pt runs/judge-w16.init.pt --widths 16,24,40,64,96
"""
from __future__ import annotations

import argparse
from pathlib import Path

import torch

from .net import JudgeNet


def widen(old: JudgeNet, widths: tuple[int, ...]) -> JudgeNet:
    """A JudgeNet with `widths` (each ≥ the old one) computing the same function as `old`."""
    if any(n < o for n, o in zip(widths, old.widths)):
        raise ValueError(f"widths {widths} narrower than the checkpoint's {old.widths}")
    new = JudgeNet(n_classes=old.head.out_channels, widths=widths)
    src, dst = old.state_dict(), new.state_dict()
    # Each conv's input channels, in concatenation order, as (old count, new count) blocks: the up
    # convs read [upsampled deeper stage, skip] side by side.
    ow, nw = old.widths, widths
    blocks: dict[str, list[tuple[int, int]]] = {"stem.0": [(3, 3)], "head": [(ow[0], nw[0])]}
    for i in range(4):
        blocks[f"down.{i}.0.0"] = [(ow[i], nw[i])]
        blocks[f"down.{i}.1.0"] = [(ow[i + 1], nw[i + 1])]
        blocks[f"up.{i}.0"] = [(ow[i + 1], nw[i + 1]), (ow[i], nw[i])]
    with torch.no_grad():
        for name, t in dst.items():
            s = src[name]
            if s.shape == t.shape:
                t.copy_(s)
                continue
            prefix = name.rsplit(".", 1)[0]
            if t.dim() == 4:
                # Conv weight (out, in, k, k): old outputs read their old inputs and nothing new (zero);
                # new output channels keep their random init over every input.
                t[:s.shape[0]] = 0
                o_at, n_at = 0, 0
                for o_n, n_n in blocks[prefix]:
                    t[:s.shape[0], n_at:n_at + o_n] = s[:, o_at:o_at + o_n]
                    o_at, n_at = o_at + o_n, n_at + n_n
            else:   # batch-norm vectors (and running stats): old channels copied, new ones at init
                t[:s.shape[0]] = s
    return new


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--widths", required=True, help="channels at 128, 64, 32, 16 and 8 px")
    args = ap.parse_args()
    ck = torch.load(args.src, weights_only=False)
    old = JudgeNet(widths=tuple(ck.get("widths", (8, 24, 40, 64, 96))))
    old.load_state_dict(ck["model"])
    widths = tuple(int(v) for v in args.widths.split(","))
    new = widen(old, widths)
    # The same logits on a random picture, or the widening is wrong.
    old.eval(), new.eval()
    x = torch.rand(2, 3, 64, 64) * 255
    with torch.no_grad():
        (a, fa), (b, fb) = old(x), new(x)
    diff = max((a - b).abs().max().item(), (fa - fb[:, :fa.shape[1]]).abs().max().item())
    if diff > 1e-4:
        raise SystemExit(f"widened net differs from the checkpoint by {diff}")
    Path(args.dst).parent.mkdir(parents=True, exist_ok=True)
    torch.save({"model": new.state_dict(), "widths": list(widths), "widened_from": str(args.src)}, args.dst)
    print(f"{args.src} {old.widths} → {args.dst} {widths}; logits differ by {diff:.2e}")


if __name__ == "__main__":
    main()
