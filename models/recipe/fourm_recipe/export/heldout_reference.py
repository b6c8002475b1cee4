"""PyTorch's per-scene numbers for the deterministic metrics of the held-out evaluation, so a test can hold
the TypeScript evaluation (`4m eval`) to them on the first scenes of the exported held-out set.

Only what involves no sampling is recorded: tokenizer round trips, greedy one-step RGB→X and greedy
RGB→caption (same code and settings as fm.evaluate). The shipped package they belong to is named by its
trainingSteps and the sha256 of fm/embeddings.safetensors from its manifest, so a test skips a stale
reference instead of failing after the model is retrained. Run it after `export` (the zoo package and
runs/fm then hold the same weights), or give --weights for the package's checkpoint.

Usage: python -m fourm_recipe.export.heldout_reference [--n 3] [--weights runs/fm/weights.safetensors]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer

from ..fm.evaluate import IMG, decode, full, load_fm
from ..fm.generate import generate_image, generate_sequence
from ..fm.model import FourM
from ..fm.tokenizer_io import load_tokenizer
from ..fm.train import special_ids
from ..tokenizers.data import DATA_ROOT, load_meta, load_modality
from ..tokenizers.metrics import abs_rel, delta1, kind_recall, miou, normal_angle_deg, pixel_accuracy, psnr
from ..tokenizers.train import RUNS
from ..world.scene import CLASSES
from .heldout_fixture import DEFAULT_OUT, REPO


def scene_scores(net: FourM, tok: dict, text: Tokenizer, sp, z, meta: list, gt: dict, i: int) -> dict:
    rgb_state = {IMG["rgb"]: full(z[IMG["rgb"]][i])}
    ids = {m: torch.as_tensor(z[IMG[m]][i]).long() for m in ("rgb", "semseg", "depth")}
    g_depth = gt["depth"][i].astype(np.float32)
    sem = decode(tok, "semseg", generate_image(net, rgb_state, IMG["semseg"], steps=1))
    dep = decode(tok, "depth", generate_image(net, rgb_state, IMG["depth"], steps=1))
    nrm = decode(tok, "normal", generate_image(net, rgb_state, IMG["normal"], steps=1))
    words = text.decode(generate_sequence(net, rgb_state, "caption", sp.s1, sp.s2, sp.eos))
    s = {
        "tok_psnr": psnr(decode(tok, "rgb", ids["rgb"]), gt["rgb"][i]),
        "tok_sem_acc": pixel_accuracy(decode(tok, "semseg", ids["semseg"]), gt["semseg"][i]),
        "tok_depth_absrel": abs_rel(decode(tok, "depth", ids["depth"]), g_depth),
        "rgb2sem": miou(sem, gt["semseg"][i], len(CLASSES)),
        "rgb2depth_d1": delta1(dep, g_depth),
        "rgb2depth_absrel": abs_rel(dep, g_depth),
        "rgb2normal": normal_angle_deg(nrm, gt["normal"][i]),
    }
    recall = kind_recall(words, meta[i]["objects"])
    if recall is not None:
        s["rgb2cap_recall"] = recall
    return {"scene": f"{i:04d}", "seed": meta[i]["seed"], "caption": words, "scores": {k: float(v) for k, v in s.items()}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3)
    ap.add_argument("--weights", type=Path, default=RUNS / "fm" / "weights.safetensors")
    ap.add_argument("--id", default="world-4m-small")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT / "pytorch_reference.json")
    args = ap.parse_args()
    torch.set_num_threads(2)
    manifest = json.loads((REPO / "models" / "zoo" / args.id / "manifest.json").read_text())
    net = load_fm(args.weights)
    text = Tokenizer.from_file(str(RUNS / "text" / "text_tokenizer.json"))
    tok = {m: load_tokenizer(m) for m in ("rgb", "depth", "normal", "semseg")}
    z = np.load(DATA_ROOT / "tokens" / "eval.npz")
    meta = load_meta("eval")
    gt = {m: load_modality("eval", m)[: args.n] for m in ("rgb", "depth", "normal", "semseg")}
    scenes = [scene_scores(net, tok, text, special_ids(text), z, meta, gt, i) for i in range(args.n)]
    ref = {
        "package": {"id": args.id, "trainingSteps": manifest["trainingSteps"],
                    "embeddingsSha256": manifest["files"][manifest["fm"]["embeddings"]]["sha256"]},
        "note": "PyTorch (fourm_recipe.fm.evaluate's code and settings), deterministic metrics only",
        "scenes": scenes,
    }
    args.out.write_text(json.dumps(ref, indent=1) + "\n")
    print(json.dumps(ref, indent=1))


if __name__ == "__main__":
    main()
