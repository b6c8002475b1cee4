"""Int8 weight quantisation of a package's FM graphs (encoder, decoders, heads), into a copy of the package.

Usage: python -m fourm_recipe.export.quantize SRC_PACKAGE OUT_DIR [--per-channel] [--reduce-range]
The tokenizer graphs stay float32. The copy's manifest gets the new file hashes and sizes and a
"quantization" note; the source package is never touched. The FM graphs get ONNX Runtime's dynamic
quantisation of the MatMuls with a constant weight (uint8 activations per call, int8 weights); the
attention products (activation × activation) stay float32. (MatMulNBits was not tried: its quantiser
needs onnx_ir, which the recipe's environment lacks.)
The export's float16 storage (a Cast after each half initializer, onnx_fp16.py) is folded back to
float32 first, so the quantiser sees the weights as constants.
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

from .file_hash import sha256


def fold_half_casts(model: onnx.ModelProto) -> onnx.ModelProto:
    """Replace each float16 initializer + Cast-to-float32 by a float32 initializer of the Cast's name."""
    graph = model.graph
    halves = {i.name: i for i in graph.initializer if i.data_type == onnx.TensorProto.FLOAT16}
    keep_nodes, used = [], set()
    for node in graph.node:
        if node.op_type == "Cast" and len(node.input) == 1 and node.input[0] in halves:
            arr = numpy_helper.to_array(halves[node.input[0]]).astype(np.float32)
            graph.initializer.append(numpy_helper.from_array(arr, node.output[0]))
            used.add(node.input[0])
            continue
        keep_nodes.append(node)
    del graph.node[:]
    graph.node.extend(keep_nodes)
    rest = [i for i in graph.initializer if i.name not in used]
    del graph.initializer[:]
    graph.initializer.extend(rest)
    return model


def quantize_graph(src: Path, dst: Path, per_channel: bool, reduce_range: bool) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = fold_half_casts(onnx.load(str(src)))  # loads external data (the shared decoder weights) too
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "plain.onnx"
        onnx.save(model, str(plain))
        quantize_dynamic(str(plain), str(dst), op_types_to_quantize=["MatMul"], per_channel=per_channel,
                         reduce_range=reduce_range, weight_type=QuantType.QInt8,
                         extra_options={"MatMulConstBOnly": True})
    # Whatever float32 tensor the quantiser left large (e.g. a bias) goes back to float16 storage.
    from .onnx_fp16 import shrink_initializers
    shrink_initializers(str(dst))


def quantize_package(pkg: Path, per_channel: bool = False, reduce_range: bool = False) -> str:
    """Quantise the FM graphs of the package at `pkg` in place and rewrite its manifest's files; returns the note."""
    manifest = json.loads((pkg / "manifest.json").read_text())
    fm = manifest["fm"]
    graphs = [fm["encoder"], fm["decoder"], *fm["heads"].values(), *fm.get("decoderCache", {}).values()]
    with tempfile.TemporaryDirectory() as tmp:
        for rel in graphs:
            staged = Path(tmp) / rel
            staged.parent.mkdir(parents=True, exist_ok=True)
            quantize_graph(pkg / rel, staged, per_channel, reduce_range)
        for rel in graphs:
            shutil.move(str(Path(tmp) / rel), str(pkg / rel))
    # The decoders now carry their own int8 weights inline; the shared float16 blob is unused.
    for rel in list(manifest["files"]):
        if rel.endswith(".bin") and rel.startswith("fm/"):
            (pkg / rel).unlink()
    note = "dynamic int8 MatMul weights" + (", per channel" if per_channel else "") + (", reduced range" if reduce_range else "")
    manifest["quantization"] = {"fm": note, "tokenizers": "float32 (float16 storage)"}
    manifest["files"] = {rel: {"sha256": sha256(pkg / rel), "bytes": (pkg / rel).stat().st_size}
                         for rel in manifest["files"] if (pkg / rel).exists()}
    (pkg / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return note


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--per-channel", action="store_true")
    ap.add_argument("--reduce-range", action="store_true")
    args = ap.parse_args()
    src, out = args.src.resolve(), args.out.resolve()
    if out == src:
        raise SystemExit("quantize: OUT_DIR must differ from the source package")
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(src, out)
    note = quantize_package(out, args.per_channel, args.reduce_range)
    manifest = json.loads((out / "manifest.json").read_text())
    fm_bytes = sum(v["bytes"] for k, v in manifest["files"].items() if k.startswith("fm/"))
    print(f"{out}: FM graphs quantised ({note}); fm/ now {fm_bytes / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
