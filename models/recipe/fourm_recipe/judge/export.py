"""Export the judge for the TypeScript evaluation: models/eval/judge/judge.onnx + judge.json.

judge.json holds the classes, the held-out scores of the exported graph (ONNX Runtime, on the
validation pictures, clean and through the RGB tokenizer), the training curve, and the Gaussian
(mean, covariance) of the judge's features on real held-out pictures (eval seeds 9_002_000 + i,
apart from the test fixture's 9_000_000 + i and the validation's 9_001_000 + i): the reference of the
evaluation's Fréchet distance.
Usage: python -m fourm_recipe.judge.export [--checkpoint best|last]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch

from ..tokenizers.metrics import miou, object_kind_accuracy
from .data import chunk_files, load_chunks
from .despeckle import despeckle
from .net import CLASSES, WIDTHS, JudgeNet, MultiScaleAveraged
from .train import RUN, VAL_SEED_BASE

REPO = Path(__file__).resolve().parents[4]
OUT = REPO / "models" / "eval" / "judge"
REF_ROOT = Path(__file__).resolve().parents[2] / "data" / "judge_ref"
REF_SEED_BASE = 9_002_000


def run_onnx(sess: ort.InferenceSession, rgb: np.ndarray, batch: int = 25) -> tuple[np.ndarray, np.ndarray]:
    classes, feats = [], []
    for i in range(0, len(rgb), batch):
        x = rgb[i:i + batch].transpose(0, 3, 1, 2).astype(np.float32)
        logits, f = sess.run(None, {"rgb": x})
        classes.append(logits.argmax(1).astype(np.uint8))
        feats.append(f)
    return np.concatenate(classes), np.concatenate(feats)


def scores(pred: np.ndarray, gt: np.ndarray) -> tuple[float, float]:
    kinds = [k for k in (object_kind_accuracy(p, g) for p, g in zip(pred, gt)) if k is not None]
    return float(np.mean([miou(p, g, len(CLASSES)) for p, g in zip(pred, gt)])), float(np.mean(kinds))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", default="best", choices=["best", "last"])
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--run", default=str(RUN), help="the training run folder to export from")
    ap.add_argument("--scales", default="1,1.5", help="reading scales averaged by the exported graph (the first must be 1)")
    ap.add_argument("--ref-root", default=str(REF_ROOT), help="chunks of real held-out pictures for the feature Gaussian")
    args = ap.parse_args()
    torch.set_num_threads(1)
    run = Path(args.run)
    ck = torch.load(run / f"{args.checkpoint}.pt", weights_only=False, map_location="cpu")
    widths = tuple(ck.get("widths", WIDTHS))
    net = JudgeNet(widths=widths)
    net.load_state_dict(ck["model"])
    net.eval()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    onnx_path = out / "judge.onnx"
    scales = tuple(float(v) for v in args.scales.split(","))
    net = MultiScaleAveraged(net, scales).eval()
    torch.onnx.export(net, (torch.zeros(1, 3, 128, 128),), str(onnx_path), input_names=["rgb"], output_names=["logits", "features"],
                      dynamic_axes={"rgb": {0: "batch"}, "logits": {0: "batch"}, "features": {0: "batch"}}, opset_version=17, dynamo=False)
    net.eval()   # export restores the mode it found; say it again for the parity check
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    sess = ort.InferenceSession(str(onnx_path), so, providers=["CPUExecutionProvider"])

    val = np.load(Path(__file__).resolve().parents[2] / "data" / "judge" / f"val_{VAL_SEED_BASE}.npz")
    x = torch.from_numpy(val["rgb"][:8]).permute(0, 3, 1, 2).float()
    with torch.no_grad():
        ref_logits, _ = net(x)
    parity = float(np.abs(sess.run(None, {"rgb": x.numpy()})[0] - ref_logits.numpy()).max())
    clean = run_onnx(sess, val["rgb"])[0]
    decoded = run_onnx(sess, val["rgb_rt"])[0]
    m, k = scores(np.stack([despeckle(p) for p in clean]), val["semseg"])
    mr, kr = scores(np.stack([despeckle(p) for p in decoded]), val["semseg"])
    m_raw, _ = scores(clean, val["semseg"])
    heldout = {"mIoU": m, "kind accuracy": k, "mIoU through the RGB tokenizer": mr, "kind accuracy through the RGB tokenizer": kr,
               "mIoU without speck removal": m_raw}

    ref = load_chunks(chunk_files(Path(args.ref_root)))
    _, feats = run_onnx(sess, ref["rgb"])
    feats = feats.astype(np.float64)
    mean, cov = feats.mean(0), np.cov(feats, rowvar=False)

    curve = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines() if line.strip()]
    last = ck["eval"]
    trained = f"{last['minutes']:.0f} min: {last['samples']:,} samples"
    init = ck["state"].get("init")
    if init:   # a fine-tuning run (train --init): say what it started from
        start = torch.load(init, weights_only=False, map_location="cpu")
        # A widened start (judge.widen) has no evaluation of its own: the checkpoint it was widened from has.
        widened = "eval" not in start and "widened_from" in start
        first = torch.load(start["widened_from"], weights_only=False, map_location="cpu")["eval"] if widened else start["eval"]
        trained = (f"{first['minutes']:.0f} min ({first['samples']:,} samples), then "
                   f"{'widened to ' + str(widths[0]) + ' channels at full resolution and ' if widened else ''}fine-tuned {last['minutes']:.0f} min "
                   f"({last['samples']:,} samples, half the crops enlarged up to 1.6×),")
    summary = (f"A U-Net of {sum(p.numel() for p in net.parameters()):,} parameters (`fourm_recipe.judge`), trained on the CPU for "
               f"{trained} from {last['pictures']:,} rendered training pictures (train seeds "
               f"1,500,000 + i), half of them shown through the RGB tokenizer, with crops, flips and colour jitter; it reads each picture and its mirror image "
               f"at {' and '.join(f'{v:g}×' for v in scales)} size and averages.")
    info = {
        "format": "4m-studio.judge/1",
        "classes": list(CLASSES),
        "imageSize": 128,
        "featureDim": widths[-1],
        "reference": {"count": int(len(feats)), "seeds": f"eval seeds {REF_SEED_BASE:,}–{REF_SEED_BASE + len(feats) - 1:,}",
                      "mean": [round(float(v), 6) for v in mean], "cov": [round(float(v), 7) for v in cov.ravel()]},
        "heldout": {k: round(v, 4) for k, v in heldout.items()},
        "training": {"summary": summary, "checkpoint": args.checkpoint, "parityMaxAbs": parity,
                     "validation": f"200 held-out pictures, eval seeds {VAL_SEED_BASE:,} + i", "curve": curve},
    }
    (out / "judge.json").write_text(json.dumps(info, indent=1))
    print(json.dumps({"heldout": info["heldout"], "parity": parity, "bytes": onnx_path.stat().st_size}))


if __name__ == "__main__":
    main()
