"""How much of the semantic segmentation (object kinds) can be read off the RGB tokens, and by what?

Each reader is trained to predict the 128×128 semseg from the full RGB token grid, then scored on
held-out scenes with the evaluation's mIoU and the kind accuracy inside true objects:

- `codes` (default): a small dilated conv net on the tokens' FSQ codes (16×16×5, no tokenizer decoder in
  between). It bounds from below what the FM could read from the same tokens.
- `fm-frozen`: the shipped FM's encoder, frozen, with a per-token MLP that predicts the token's 8×8
  semseg pixels: do the encoder's features hold the kinds?
- `fm-tuned`: the same, with the encoder trained too: how fast does this transformer learn to read
  kinds when it gets dense pixel supervision, instead of 4M's semseg tokens?

Usage: python -m fourm_recipe.fm.kind_probe [--reader codes|fm-frozen|fm-tuned] [--minutes 8] [--threads 2]
Measured on 2 cores, 200 held-out scenes (mIoU / kind accuracy inside objects; chance for kinds 0.25):
  codes, 8 min, 57,632 samples                       0.757 / 0.792
  fm-frozen, 10 min, 3,067 × 64 over 8,000 scenes    0.372 / 0.197
  fm-tuned, 15 min, 16,416 samples                   0.354 / 0.221
  the FM itself (2.8 M samples), RGB→semseg 1 step   0.430 / 0.348  (first 50 of these scenes)
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..tokenizers.data import DATA_ROOT, load_modality
from ..tokenizers.fsq import FSQ
from ..tokenizers.metrics import miou, object_kind_accuracy
from ..tokenizers.modalities import CONFIGS
from ..world.scene import CLASSES


class Res(nn.Module):
    def __init__(self, ch: int, dilation: int):
        super().__init__()
        self.n1, self.n2 = nn.GroupNorm(8, ch), nn.GroupNorm(8, ch)
        self.c1 = nn.Conv2d(ch, ch, 3, padding=dilation, dilation=dilation)
        self.c2 = nn.Conv2d(ch, ch, 3, padding=1)

    def forward(self, x):
        return x + self.c2(F.silu(self.n2(self.c1(F.silu(self.n1(x))))))


class CodeProbe(nn.Module):
    def __init__(self, levels: list[int], grid: int, patch: int, ch: int = 128):
        super().__init__()
        self.register_buffer("codebook", FSQ(levels).codebook(), persistent=False)
        self.grid, self.patch = grid, patch
        self.inp = nn.Conv2d(len(levels), ch, 3, padding=1)
        self.body = nn.Sequential(*[Res(ch, d) for d in (1, 2, 1, 4, 1, 2)])
        self.out = nn.Sequential(nn.GroupNorm(8, ch), nn.SiLU(), nn.Conv2d(ch, len(CLASSES) * patch * patch, 3, padding=1))

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        x = self.codebook[ids].view(-1, self.grid, self.grid, self.codebook.shape[1]).permute(0, 3, 1, 2)
        return F.pixel_shuffle(self.out(self.body(self.inp(x))), self.patch)


class EncoderReader(nn.Module):
    """The shipped FM's encoder on the whole RGB grid + a per-token MLP → that token's patch of semseg."""

    def __init__(self, grid: int, patch: int, train_encoder: bool):
        super().__init__()
        from .evaluate import load_fm   # the recipe's FM and its weights; only this reader needs them
        self.fm, self.name, self.grid, self.patch = load_fm(), "tok_rgb@128", grid, patch
        self.fm.requires_grad_(train_encoder)
        d = self.fm.cfg.dim
        self.head = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 512), nn.GELU(), nn.Linear(512, len(CLASSES) * patch * patch))

    def features(self, ids: torch.Tensor) -> torch.Tensor:
        e = self.fm.encoder_embeddings[self.name]
        h = e.token_emb(ids) + e.pos_emb + e.mod_emb
        no_pad = torch.zeros(1, 1, 1, ids.shape[1], dtype=torch.bool)
        for blk in self.fm.encoder:
            h = blk(h, no_pad)
        return self.fm.encoder_norm(h)

    def pixels(self, feats: torch.Tensor) -> torch.Tensor:
        logits = self.head(feats).transpose(1, 2).reshape(feats.shape[0], -1, self.grid, self.grid)
        return F.pixel_shuffle(logits, self.patch)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return self.pixels(self.features(ids))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reader", choices=("codes", "fm-frozen", "fm-tuned"), default="codes")
    ap.add_argument("--minutes", type=float, default=8)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--eval-scenes", type=int, default=200)
    ap.add_argument("--cache-scenes", type=int, default=8000, help="fm-frozen: training scenes whose features are cached")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    cfg = CONFIGS["rgb"]
    grid = cfg.image_size // cfg.patch
    x_train = torch.from_numpy(np.load(DATA_ROOT / "tokens" / "train.npz")["tok_rgb@128"].astype(np.int64))
    y_train = load_modality("train", "semseg")[: len(x_train)]
    x_eval = torch.from_numpy(np.load(DATA_ROOT / "tokens" / "eval.npz")["tok_rgb@128"][: args.eval_scenes].astype(np.int64))
    y_eval = load_modality("eval", "semseg")[: args.eval_scenes]
    if args.reader == "codes":
        net, lr, batch = CodeProbe(cfg.levels, grid, cfg.patch), 2e-3, 32
        params, run = net.parameters(), net
    else:
        frozen = args.reader == "fm-frozen"
        net = EncoderReader(grid, cfg.patch, train_encoder=not frozen)
        lr, batch = (1e-3, 64) if frozen else (3e-4, 32)
        params = net.head.parameters() if frozen else net.parameters()
        run = net
        if frozen:   # the encoder never changes: compute its features once, train only the head
            with torch.no_grad():
                x_train = torch.cat([net.features(x_train[i:i + 64]) for i in range(0, args.cache_scenes, 64)])
                x_eval = torch.cat([net.features(x_eval[i:i + 64]) for i in range(0, len(x_eval), 64)])
            run = net.pixels
    opt = torch.optim.AdamW(params, lr, weight_decay=0.01)
    t0, step = time.time(), 0
    while time.time() - t0 < args.minutes * 60:
        idx = rng.integers(0, len(x_train), batch)
        for g in opt.param_groups:
            g["lr"] = lr * min(1.0, (step + 1) / 100)
        loss = F.cross_entropy(run(x_train[idx]), torch.from_numpy(y_train[idx]).long())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
    net.eval()
    with torch.no_grad():
        pred = torch.cat([run(x_eval[i:i + 50]) for i in range(0, len(x_eval), 50)]).argmax(1).numpy()
    scores, kinds = [], []
    for p, g in zip(pred, y_eval):
        scores.append(miou(p, g, len(CLASSES)))
        k = object_kind_accuracy(p, g)
        if k is not None:
            kinds.append(k)
    print(f"{args.reader} → semseg probe: {step} steps × {batch} = {step * batch:,} samples in {args.minutes:g} min; "
          f"held-out mIoU {np.mean(scores):.3f}, kind accuracy inside objects {np.mean(kinds):.3f}")


if __name__ == "__main__":
    main()
