"""Store large float32 initializers as float16 with a Cast back to float32 at load.

ONNX Runtime constant-folds the Casts when the session is created, so inference still runs in float32
on every execution provider while the shipped files are half the size.
"""
from __future__ import annotations

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
