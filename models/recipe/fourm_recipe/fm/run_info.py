"""What training produced the current FM weights, in one line (for EVAL.md and the package manifest)."""
from __future__ import annotations

import json

from safetensors import safe_open

from ..tokenizers.train import RUNS


def training_compute() -> str:
    """Describe the run that produced the evaluated weights: the accelerator run when its log ends at
    the weights' step, else the CPU run (train.py)."""
    weights = RUNS / "fm" / "weights.safetensors"
    with safe_open(str(weights), "pt") as f:
        step = f.metadata().get("step")
    accel = RUNS / "fm" / "log_accel.jsonl"
    if accel.exists():
        recs = [json.loads(l) for l in accel.read_text().splitlines() if l.strip()]
        start = next((r for r in recs if r.get("event") == "start"), None)
        end = next((r for r in reversed(recs) if r.get("event") == "end"), None)
        if start and end and str(end["step"]) == step:
            return (f"{end['step']} steps × batch {start['batch']} = {end['samples_seen']:,} samples in "
                    f"{end['train_s'] / 60:.1f} min on one {start['device']} (bf16, `fourm_recipe.fm.train_accel`; "
                    f"held-out loss {min(end['held_out_raw'], end['held_out_ema']):.3f}).")
    log = [json.loads(l) for l in (RUNS / "fm" / "log.jsonl").read_text().splitlines() if l.strip()]
    steps = log[-1]["step"] if log else 0
    secs = sum(r["sec_per_step"] * 20 for r in log)
    return f"{steps} steps × batch 32 = {steps * 32:,} samples, ≈ {secs / 3600:.2f} h on 2 CPU cores."
