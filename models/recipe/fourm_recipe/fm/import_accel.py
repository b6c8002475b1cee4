"""Bring a train_accel run home: join its weight shards into runs/fm/weights.safetensors (the file that
export, evaluation and a later CPU resume read) and keep its log beside the CPU run's.

Usage: python -m fourm_recipe.fm.import_accel DIR [--continued]   (DIR holds weights-*.safetensors, log.jsonl)
--continued: the run started from the current runs/fm weights (train_accel --init); its steps add to
theirs and its log is appended to log_accel.jsonl instead of replacing it.
"""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from safetensors import safe_open
from safetensors.torch import load_file, save_file

from ..tokenizers.train import RUNS


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("run", type=Path)
    ap.add_argument("--continued", action="store_true")
    args = ap.parse_args()
    shards = sorted(args.run.glob("weights-*.safetensors"))
    if not shards:
        raise SystemExit(f"no weights-*.safetensors in {args.run}")
    sd, metas = {}, []
    for p in shards:
        sd.update(load_file(str(p)))
        with safe_open(str(p), "pt") as f:
            metas.append(f.metadata())
    steps = {m["step"] for m in metas}
    if len(steps) != 1 or any(m["shard"].split("/")[1] != str(len(shards)) for m in metas):
        raise SystemExit(f"shards from different checkpoints or missing shards: {metas}")
    out = RUNS / "fm"
    out.mkdir(parents=True, exist_ok=True)
    meta = {k: v for k, v in metas[0].items() if k != "shard"}
    if args.continued:
        with safe_open(str(out / "weights.safetensors"), "pt") as f:
            meta["step"] = str(int(f.metadata()["step"]) + int(meta["step"]))
    save_file(sd, str(out / "weights.safetensors"), metadata=meta)
    if (args.run / "log.jsonl").exists():
        if args.continued:
            with open(out / "log_accel.jsonl", "a") as log:
                log.write((args.run / "log.jsonl").read_text())
        else:
            shutil.copy(args.run / "log.jsonl", out / "log_accel.jsonl")
    print("imported", len(sd), "tensors", meta)


if __name__ == "__main__":
    main()
