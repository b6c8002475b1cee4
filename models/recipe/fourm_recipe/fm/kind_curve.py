"""How object-kind reading grew with training: every FM checkpoint the repository has committed, scored.

For each version of runs/fm/weights.safetensors in git history: RGB→semseg in one step (mIoU, and the
kind accuracy inside true objects, chance 0.25) and RGB→caption object-kind recall, on held-out scenes,
on the PyTorch path. It is the evidence for how far the kind targets are at this training scale.

Usage: python -m fourm_recipe.fm.kind_curve [--n 50] [--threads 2]
Measured (50 held-out scenes; samples from the run history in models/zoo/*/EVAL.md and the git log):
  step   662 (CPU,       21 k samples)  mIoU 0.197  kinds 0.000  caption recall 0.278
  step  1095 (CPU,       35 k samples)  mIoU 0.173  kinds 0.000  caption recall 0.403
  step  4057 (H100,    2.08 M samples)  mIoU 0.407  kinds 0.285  caption recall 0.555
  step  5548 (+H200,   2.84 M samples)  mIoU 0.419  kinds 0.343  caption recall 0.470
  step  6868 (+CPU FT, 2.88 M samples)  mIoU 0.430  kinds 0.348  caption recall 0.517   (shipped)
"""
from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import torch
from safetensors import safe_open
from tokenizers import Tokenizer

from ..tokenizers.data import DATA_ROOT, load_meta, load_modality
from ..tokenizers.metrics import kind_recall, miou, object_kind_accuracy
from ..tokenizers.train import RUNS
from ..world.scene import CLASSES
from .evaluate import IMG, REPO, decode, full, load_fm
from .generate import generate_image, generate_sequence
from .model import FourM
from .tokenizer_io import load_tokenizer
from .train import special_ids

WEIGHTS = "models/recipe/runs/fm/weights.safetensors"


def committed_versions() -> list[tuple[str, str]]:
    """(commit, subject) for every commit that changed the FM weights, oldest first."""
    out = subprocess.run(["git", "log", "--reverse", "--format=%h\t%s", "--", WEIGHTS], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout
    return [tuple(line.split("\t", 1)) for line in out.splitlines() if line]


def score(net: FourM, n: int, text: Tokenizer, tok: dict, z, meta: list, gt: np.ndarray) -> dict:
    sp = special_ids(text)
    scores, kinds, recall = [], [], []
    for i in range(n):
        state = {IMG["rgb"]: full(z[IMG["rgb"]][i])}
        sem = decode(tok, "semseg", generate_image(net, state, IMG["semseg"], steps=1))
        scores.append(miou(sem, gt[i], len(CLASSES)))
        k = object_kind_accuracy(sem, gt[i])
        if k is not None:
            kinds.append(k)
        r = kind_recall(text.decode(generate_sequence(net, state, "caption", sp.s1, sp.s2, sp.eos)), meta[i]["objects"])
        if r is not None:
            recall.append(r)
    return {"miou": float(np.mean(scores)), "kinds": float(np.mean(kinds)), "caption_recall": float(np.mean(recall))}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    text = Tokenizer.from_file(str(RUNS / "text" / "text_tokenizer.json"))
    tok = {"semseg": load_tokenizer("semseg")}
    z, meta, gt = np.load(DATA_ROOT / "tokens" / "eval.npz"), load_meta("eval"), load_modality("eval", "semseg")
    with tempfile.TemporaryDirectory() as tmp:
        for commit, subject in committed_versions():
            path = Path(tmp) / f"{commit}.safetensors"
            path.write_bytes(subprocess.run(["git", "show", f"{commit}:{WEIGHTS}"], cwd=REPO, capture_output=True, check=True).stdout)
            with safe_open(str(path), "pt") as f:
                step = f.metadata().get("step", "?")
            s = score(load_fm(path), args.n, text, tok, z, meta, gt)
            print(f"{commit} step {step:>5}  mIoU {s['miou']:.3f}  kinds {s['kinds']:.3f}  caption recall "
                  f"{s['caption_recall']:.3f}  — {subject[:70]}", flush=True)


if __name__ == "__main__":
    main()
