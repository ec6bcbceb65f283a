#!/usr/bin/python3
"""Writes small ai.onnx.preview.training models for the importer's tests (no default-domain opset, as in
ONNX's own optimizer tests):

    gen_training_onnx.py adam DIR       Adam updating two tensors ([2] and [2, 3]) -> DIR/model.onnx
    gen_training_onnx.py gradient DIR   a Gradient node (not imported) -> DIR/model.onnx
"""
import os
import sys

import onnx
from onnx import TensorProto, helper

TRAINING = "ai.onnx.preview.training"


def vi(name, dtype, shape):
    return helper.make_tensor_value_info(name, dtype, shape)


def adam():
    shapes = {"1": [2], "2": [2, 3]}
    inputs = [vi("R", TensorProto.FLOAT, []), vi("T", TensorProto.INT64, [])]
    for group in ("X", "G", "V", "H"):
        inputs += [vi(group + k, TensorProto.FLOAT, s) for k, s in shapes.items()]
    outputs = [vi(group + k + "_new", TensorProto.FLOAT, s) for group in ("X", "V", "H") for k, s in shapes.items()]
    node = helper.make_node("Adam", [i.name for i in inputs], [o.name for o in outputs], name="adam",
                            domain=TRAINING, alpha=0.8, beta=0.99, norm_coefficient=0.01)
    graph = helper.make_graph([node], "adam", inputs, outputs)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid(TRAINING, 1)])


def gradient():
    x = vi("X", TensorProto.FLOAT, [2])
    node = helper.make_node("Gradient", ["X"], ["dY_dX"], name="grad", domain=TRAINING, xs=["X"], y="X")
    graph = helper.make_graph([node], "gradient", [x], [vi("dY_dX", TensorProto.FLOAT, [2])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid(TRAINING, 1), helper.make_opsetid("", 17)])


def main():
    kind, out = sys.argv[1], sys.argv[2]
    model = {"adam": adam, "gradient": gradient}[kind]()
    os.makedirs(out, exist_ok=True)
    onnx.save(model, os.path.join(out, "model.onnx"))


if __name__ == "__main__":
    sys.exit(main())
