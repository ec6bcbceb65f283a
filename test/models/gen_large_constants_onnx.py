#!/usr/bin/env python3
"""A model with 288 MiB of constants, generated at test time (never committed): Y1 = Gather(A, ids) over a
72 Mi-element table A, and Y2 = x + B with a small B that the constants plan places after A, so the Add
dispatch receives a view 288 MiB into the constants. Also writes the inputs and Y2's expected value.

    gen_large_constants_onnx.py DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    n = 72 * 1024 * 1024  # 288 MiB of f32: past the 256 MiB that a 29-bit constant GEP index reaches
    a = numpy_helper.from_array(np.zeros(n, np.float32), "A")
    b_values = np.arange(64, dtype=np.float32)
    b = numpy_helper.from_array(b_values, "B")
    nodes = [helper.make_node("Gather", ["A", "ids"], ["Y1"], name="gather"),
             helper.make_node("Add", ["x", "B"], ["Y2"], name="add")]
    graph = helper.make_graph(nodes, "large_constants",
                              [helper.make_tensor_value_info("ids", TensorProto.INT64, [4]),
                               helper.make_tensor_value_info("x", TensorProto.FLOAT, [64])],
                              [helper.make_tensor_value_info("Y1", TensorProto.FLOAT, [4]),
                               helper.make_tensor_value_info("Y2", TensorProto.FLOAT, [64])], [a, b])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, os.path.join(out, "model.onnx"))
    x = np.linspace(-1, 1, 64, dtype=np.float32)
    np.save(os.path.join(out, "ids.npy"), np.array([0, 1, n - 2, n - 1], np.int64))
    np.save(os.path.join(out, "x.npy"), x)
    os.makedirs(os.path.join(out, "expected"), exist_ok=True)
    np.save(os.path.join(out, "expected", "Y2.npy"), x + b_values)
    np.save(os.path.join(out, "expected", "Y1.npy"), np.zeros(4, np.float32))


if __name__ == "__main__":
    main()
