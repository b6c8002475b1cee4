"""Store large float32 initializers as float16 with a Cast back to float32 at load.

ONNX Runtime constant-folds the Casts when the session is created, so inference still runs in float32
on every execution provider while the shipped files are half the size.
"""
from __future__ import annotations

import hashlib
import os

import numpy as np
import onnx
from onnx import helper, numpy_helper


def shrink_initializers(path: str, min_elements: int = 4096) -> None:
    model = onnx.load(path)
    graph = model.graph
    casts, keep = [], []
    for init in graph.initializer:
        if init.data_type != onnx.TensorProto.FLOAT or np.prod(init.dims) < min_elements:
            keep.append(init)
            continue
        arr = numpy_helper.to_array(init).astype(np.float16)
        half = numpy_helper.from_array(arr, init.name + "__fp16")
        keep.append(half)
        casts.append(helper.make_node("Cast", [half.name], [init.name], to=onnx.TensorProto.FLOAT, name=init.name + "__cast"))
    del graph.initializer[:]
    graph.initializer.extend(keep)
    nodes = list(graph.node)
    del graph.node[:]
    graph.node.extend(casts + nodes)
    onnx.checker.check_model(model)
    onnx.save(model, path)


def share_initializers(paths: list[str], blob: str, min_bytes: int = 1 << 14) -> None:
    """Move the large initializers of several graphs (in one folder) into one external-data file,
    storing each distinct tensor once. The decoder graphs (full, incremental step, context K/V) hold the
    same trained weights; without this the package would carry them two to three times."""
    folder = os.path.dirname(paths[0])
    offsets: dict[str, tuple[int, int]] = {}
    with open(os.path.join(folder, blob), "wb") as out:
        for path in paths:
            model = onnx.load(path)
            for init in model.graph.initializer:
                raw = init.raw_data
                if len(raw) < min_bytes:
                    continue
                key = f"{init.data_type}:{list(init.dims)}:{hashlib.sha256(raw).hexdigest()}"
                if key not in offsets:
                    out.write(b"\0" * (-out.tell() % 64))   # aligned, so ORT may map it directly
                    offsets[key] = (out.tell(), len(raw))
                    out.write(raw)
                offset, length = offsets[key]
                init.ClearField("raw_data")
                init.data_location = onnx.TensorProto.EXTERNAL
                del init.external_data[:]
                for k, v in (("location", blob), ("offset", str(offset)), ("length", str(length))):
                    init.external_data.add(key=k, value=v)
            onnx.save(model, path)
    for path in paths:
        onnx.checker.check_model(path)
