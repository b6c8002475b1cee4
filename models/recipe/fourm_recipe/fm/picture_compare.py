"""Side-by-side pictures of FM checkpoints on held-out scenes (PyTorch path), to look at while training.

Rows: held-out scenes. Columns: the condition layout, the real picture, then for every weights file
semseg→RGB and caption→RGB (ROAR, temperature, guidance as given).
Usage: python -m fourm_recipe.fm.picture_compare --weights A.safetensors B.pt … --out grid.png [--scenes 0 1 2 3]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw
from tokenizers import Tokenizer

from ..tokenizers.data import DATA_ROOT, load_modality
from ..tokenizers.train import RUNS
from .evaluate import decode, full
from .generate import generate_image
from .own_context_check import load
from .tokenizer_io import load_tokenizer
from .train import special_ids

RGB, SEM = "tok_rgb@128", "tok_semseg@128"
SEM_COLOURS = np.array([[110, 160, 230], [120, 100, 70], [230, 60, 60], [60, 200, 80], [240, 200, 40], [160, 80, 220]], np.uint8)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", type=Path, nargs="+", required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--scenes", type=int, nargs="+", default=[0, 1, 2, 3])
    ap.add_argument("--steps", type=int, default=8)
    ap.add_argument("--temp", type=float, default=0.7)
    ap.add_argument("--cfg", type=float, default=2.0)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    z = np.load(DATA_ROOT / "tokens" / "eval.npz")
    real = load_modality("eval", "rgb")
    sem_px = load_modality("eval", "semseg")
    text = Tokenizer.from_file(str(RUNS / "text" / "text_tokenizer.json"))
    eos = special_ids(text).eos
    tok = load_tokenizer("rgb")
    nets = [load(w) for w in args.weights]
    rows, labels = [], ["layout", "real"] + [f"{k} {s}" for _, s in nets for k in ("sem→rgb", "cap→rgb")]
    for i in args.scenes:
        tiles = [SEM_COLOURS[sem_px[i]], real[i]]
        cap = z["caption"][i, : z["caption_len"][i]].tolist() + [eos]
        for net, _ in nets:
            for state, cond in (({SEM: full(z[SEM][i])}, SEM), ({"caption": full(cap)}, "caption")):
                ids = generate_image(net, state, RGB, steps=args.steps, temp=args.temp, cfg=args.cfg, cond_names=(cond,), seed=i)
                tiles.append(decode({"rgb": tok}, "rgb", ids))
        rows.append(np.concatenate([np.asarray(t, np.uint8) for t in tiles], 1))
    grid = Image.fromarray(np.concatenate(rows, 0))
    canvas = Image.new("RGB", (grid.width, grid.height + 14), "white")
    canvas.paste(grid, (0, 14))
    draw = ImageDraw.Draw(canvas)
    for c, lab in enumerate(labels):
        draw.text((c * 128 + 2, 1), lab, fill="black")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    canvas.save(args.out)
    print("wrote", args.out, "columns:", labels)


if __name__ == "__main__":
    main()
