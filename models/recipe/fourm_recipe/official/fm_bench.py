"""The official sampler's half of the 4M-B bench (`BENCH_4M_B=1 npm run bench` with ML4M_DIR set).

The TypeScript bench writes the random-weight official-format checkpoint (bench/random-official-fm.ts)
and a spec (`bench-spec.json`: the checkpoint folder, inputs, each flow's targets with the app's
sampling settings, runs, threads), then runs this from models/recipe:

    ML4M_DIR=/path/to/ml-4m python -m fourm_recipe.official.fm_bench --spec <cache>/bench-spec.json

It builds the official `FM` (fourm/models/fm.py) from the folder's config.json, copies the file's
tensors into it one at a time (the shared `mod_emb` under both names, as the header's alias map
says), and times the official `GenerationSampler.generate` on each flow: one warm-up, then the
median of `runs`. Independent flows run each target as its own generate() call from the inputs
alone. The last line of stdout is `FM_BENCH_RESULT <json>`.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path

import torch

from .official_import import import_official


def load_model(fm_mod, folder: Path):
    from safetensors import safe_open

    config = json.loads((folder / "config.json").read_text())
    model = fm_mod.FM(config=dict(config)).eval()
    state = model.state_dict(keep_vars=True)
    loaded: set[str] = set()
    with torch.no_grad(), safe_open(str(folder / "model.safetensors"), framework="pt") as f:
        meta = f.metadata() or {}
        for key in f.keys():
            tensor = f.get_tensor(key)
            for name in [key] + [alias for alias, kept in meta.items() if kept == key]:
                if name in state:
                    state[name].copy_(tensor)
                    loaded.add(name)
    missing = sorted(set(state) - loaded)
    if missing:
        raise SystemExit(f"{folder}: the checkpoint lacks {len(missing)} tensors of the official FM, e.g. {missing[:3]}")
    return model


def text_tokenizer(ml4m: Path):
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(ml4m / "fourm" / "utils" / "tokenizer" / "trained" / "text_tokenizer_4m_wordpiece_30k.json"))


def run_flow(gen_mod, sampler, info, tok, flow: dict, seed: int) -> tuple[dict, dict]:
    """One pass of a flow: (seconds per target, the final mod dicts per target)."""

    def conditions() -> dict:
        d: dict = {}
        for domain, ids in flow["inputs"].items():
            d[domain] = {"tensor": torch.tensor([ids], dtype=torch.int64)}
            gen_mod.init_full_input_modality(d, info, domain, "cpu", eos_id=3)
        return d

    def schedule(targets: list[dict], cond: list[str]) -> list[dict]:
        return gen_mod.build_chained_generation_schedules(
            cond, [t["domain"] for t in targets], [t["numTokens"] for t in targets], [t["scheme"] for t in targets],
            [t["steps"] for t in targets], [t["tokenSchedule"] for t in targets], [float(t["temperature"]) for t in targets],
            [t["temperatureSchedule"] for t in targets], [float(t["cfgScale"]) for t in targets], ["constant"] * len(targets),
            cfg_grow_conditioning=True, modality_info=info)

    groups = [[t] for t in flow["targets"]] if flow["independentTargets"] else [flow["targets"]]
    seconds: dict = {}
    results: dict = {}
    for group in groups:
        if len({(t["topK"], t["topP"]) for t in group}) != 1:
            raise SystemExit("a chained flow needs one top-k / top-p: the official generate() takes them per call")
        d = conditions()
        for t in group:
            gen_mod.init_empty_target_modality(d, info, t["domain"], 1, t["numTokens"], "cpu")
        sched = schedule(group, list(flow["inputs"]))
        t0 = time.perf_counter()
        out = sampler.generate(d, sched, top_k=float(group[0]["topK"]), top_p=float(group[0]["topP"]), text_tokenizer=tok, seed=seed)
        dt = time.perf_counter() - t0
        for t in group:
            seconds[t["domain"]] = dt / len(group)
            results[t["domain"]] = out[t["domain"]]
    return seconds, results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spec", type=Path, required=True)
    ap.add_argument("--ml4m", default=None, help="checkout of github.com/apple/ml-4m (default $ML4M_DIR or /tmp/ml-4m)")
    args = ap.parse_args()
    spec = json.loads(args.spec.read_text())
    torch.set_num_threads(int(spec["threads"]))
    ml4m = Path(args.ml4m or os.environ.get("ML4M_DIR", "/tmp/ml-4m"))
    fm_mod, gen_mod, _ = import_official(ml4m)

    t0 = time.perf_counter()
    model = load_model(fm_mod, Path(spec["checkpoint"]))
    sampler = gen_mod.GenerationSampler(model)
    load_s = time.perf_counter() - t0
    info = model.modality_info
    tok = text_tokenizer(ml4m)

    flows: dict = {}
    with torch.inference_mode():
        for name, flow in spec["flows"].items():
            t0 = time.perf_counter()
            run_flow(gen_mod, sampler, info, tok, flow, spec["seed"])  # warm-up
            first_s = time.perf_counter() - t0
            totals, per_target, results = [], [], {}
            for _ in range(int(spec["runs"])):
                seconds, results = run_flow(gen_mod, sampler, info, tok, flow, spec["seed"])
                totals.append(sum(seconds.values()))
                per_target.append(seconds)
            median = sorted(totals)[len(totals) // 2]  # the TypeScript half's median (odd runs: the middle one)
            run = per_target[totals.index(median)]
            generated = {d: int(r["tensor"].shape[1]) for d, r in results.items() if info[d]["type"] in ("seq", "seq_token")}
            flows[name] = {"medianS": median, "firstS": first_s, "perTargetS": run, "sequenceTokens": generated}

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "loadS": load_s, "peakRssMiB": peak_mib, "flows": flows}
    print("FM_BENCH_RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
