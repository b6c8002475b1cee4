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
        # One start/end pair per run; a continued run (--init) adds its steps to the previous ones.
        recs = [json.loads(l) for l in accel.read_text().splitlines() if l.strip()]
        starts = [r for r in recs if r.get("event") == "start"]
        ends = [r for r in recs if r.get("event") == "end"]
        accel_steps = sum(e["step"] for e in ends)
        if starts and len(starts) == len(ends):
            runs = " + ".join(f"{e['train_s'] / 60:.1f} min on one {s['device']}" for s, e in zip(starts, ends))
            last = ends[-1]
            accel_line = (f"{accel_steps} steps × batch {starts[0]['batch']} = {sum(e['samples_seen'] for e in ends):,} samples in "
                          f"{runs} (bf16, `fourm_recipe.fm.train_accel`; held-out loss "
                          f"{min(last['held_out_raw'], last['held_out_ema']):.3f})")
            if str(accel_steps) == step:
                return accel_line + "."
            # CPU fine-tunes resumed from the accelerator weights (train.py --restart-schedule), each
            # starting where the previous one stopped.
            log = [json.loads(l) for l in (RUNS / "fm" / "log.jsonl").read_text().splitlines() if l.strip()]
            parts, start = [], accel_steps
            while True:
                ft = [r for r in log if r.get("schedule_from") == start]
                if not ft:
                    break
                # Logged every 20 steps; the final save may come a few steps after the last record.
                end = next((int(r["schedule_from"]) for r in log if r.get("schedule_from", start) > start
                            and 0 <= int(r["schedule_from"]) - ft[-1]["step"] < 20), None)
                end = end if end is not None else (int(step) if 0 <= int(step) - ft[-1]["step"] < 20 else None)
                if end is None:
                    break
                n = end - start
                hours = sum(r["sec_per_step"] * 20 for r in ft) / 3600
                b = ft[-1].get("batch", 32)
                parts.append(f"a CPU fine-tune of {n} steps × batch {b} = {n * b:,} samples in ≈ {hours:.2f} h on 2 cores "
                             f"(`fourm_recipe.fm.train --restart-schedule`, task mix {ft[-1].get('mix', {})})")
                start = end
            if parts and str(start) == step:
                return f"{accel_line}, then " + ", then ".join(parts) + "."
    log = [json.loads(l) for l in (RUNS / "fm" / "log.jsonl").read_text().splitlines() if l.strip()]
    steps = log[-1]["step"] if log else 0
    secs = sum(r["sec_per_step"] * 20 for r in log)
    return f"{steps} steps × batch 32 = {steps * 32:,} samples, ≈ {secs / 3600:.2f} h on 2 CPU cores."
