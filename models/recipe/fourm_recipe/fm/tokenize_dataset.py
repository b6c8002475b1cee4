"""Turn rendered shards into 4M training examples: image token ids from the trained tokenizers and
WordPiece ids for caption, boxes and palette. Output: data/tokens/<split>.npz (+ the text tokenizer used).

Usage: python -m fourm_recipe.fm.tokenize_dataset --split train [--threads 2]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer

from ..text.serialize import det_text, palette_text
from ..tokenizers.data import DATA_ROOT, load_meta, shard_paths
from ..tokenizers.modalities import to_network
from ..tokenizers.train import RUNS
from .spec import IMAGE_MODALITIES
from .tokenizer_io import load_tokenizer


def encode_split(split: str, text: Tokenizer, root: Path = DATA_ROOT) -> dict[str, np.ndarray]:
    out: dict[str, list] = {name: [] for name in IMAGE_MODALITIES}
    nets = {m: load_tokenizer(m) for m in IMAGE_MODALITIES.values()}
    for p in shard_paths(split, root):
        arrays = np.load(p)
        with torch.no_grad():
            for name, m in IMAGE_MODALITIES.items():
                data = arrays[m]
                ids = [nets[m].encode(to_network(m, data[i:i + 50])) for i in range(0, len(data), 50)]
                out[name].append(torch.cat(ids).reshape(len(data), -1).numpy().astype(np.int16))
        print("tokenized", p, flush=True)
    result = {k: np.concatenate(v) for k, v in out.items()}
    meta = load_meta(split, root=root)
    texts = {
        "caption": [m["caption"] for m in meta],
        "det": [det_text(m["boxes"]) for m in meta],
        "color_palette": [palette_text(m["palette"]) for m in meta],
    }
    for name, strings in texts.items():
        ids = [text.encode(s).ids for s in strings]
        L = max(len(i) for i in ids)
        arr = np.zeros((len(ids), L), np.int16)
        for i, seq in enumerate(ids):
            arr[i, :len(seq)] = seq
        result[name] = arr
        result[name + "_len"] = np.array([len(i) for i in ids], np.int16)
    result["seed"] = np.array([m["seed"] for m in meta], np.int64)
    result["objects"] = np.array(json.dumps([m["objects"] for m in meta]))
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="train")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--root", type=Path, default=DATA_ROOT, help="rendered shards (another root for extra scenes)")
    ap.add_argument("--name", help="output file name (default <split>.npz)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    text = Tokenizer.from_file(str(RUNS / "text" / "text_tokenizer.json"))
    res = encode_split(args.split, text, args.root)
    dst = DATA_ROOT / "tokens"
    dst.mkdir(parents=True, exist_ok=True)
    name = args.name or f"{args.split}.npz"
    np.savez(dst / name, **res)
    print("wrote", dst / name, {k: v.shape for k, v in res.items()})


if __name__ == "__main__":
    main()
