"""Build the tiny placeholder ONNX graph the app skeleton runs end to end.

Until the trained default 4M model ships, the inference host needs *some* real
ONNX graph to load, so that the whole path (EP selection, session, job queue,
progress, result drawing) is exercised for real. This graph is deterministic,
has dynamic height/width, and needs nothing but the ONNX standard opset.

    next = 0.5 * box3x3(state) + 0.5 * (1 - luma(image))

Iterating it from state = 0 converges towards a smoothed inverted luminance: a
crude "pseudo depth" whose previews visibly change from step to step.

Usage: /work/venv/bin/python models/recipe/placeholder/make_placeholder_onnx.py
Writes models/zoo/placeholder/placeholder-relief.onnx (a few hundred bytes).
"""
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = Path(__file__).resolve().parents[2] / "zoo" / "placeholder" / "placeholder-relief.onnx"


def build() -> onnx.ModelProto:
    image = helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, "H", "W"])
    state = helper.make_tensor_value_info("state", TensorProto.FLOAT, [1, 1, "H", "W"])
    nxt = helper.make_tensor_value_info("next", TensorProto.FLOAT, [1, 1, "H", "W"])

    # Rec. 601 luma weights as a 1x1 convolution over RGB in [0, 1].
    luma_w = np.array([0.299, 0.587, 0.114], np.float32).reshape(1, 3, 1, 1)
    box_w = np.full((1, 1, 3, 3), 1.0 / 9.0, np.float32)
    inits = [
        numpy_helper.from_array(luma_w, "luma_w"),
        numpy_helper.from_array(box_w, "box_w"),
        numpy_helper.from_array(np.array(0.5, np.float32), "half"),
        numpy_helper.from_array(np.array(1.0, np.float32), "one"),
    ]
    nodes = [
        helper.make_node("Conv", ["image", "luma_w"], ["luma"]),
        helper.make_node("Sub", ["one", "luma"], ["inv"]),
        helper.make_node("Conv", ["state", "box_w"], ["blur"], pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["blur", "inv"], ["sum"]),
        helper.make_node("Mul", ["sum", "half"], ["next"]),
    ]
    graph = helper.make_graph(nodes, "placeholder_relief", [image, state], [nxt], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8  # readable by every onnxruntime >= 1.14
    model.producer_name = "4m-studio/make_placeholder_onnx.py"
    onnx.checker.check_model(model)
    return model


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(build(), OUT)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
