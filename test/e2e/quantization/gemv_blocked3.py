#!/usr/bin/python3
"""Writes DIR/model.onnx, a decode-shaped pair of linear layers (x [1, 512] -> MatMul 512x768 -> Relu ->
MatMul 768x256 -> y), and DIR/x.npy, for the blocked 3-bit GEMV test (gemv-blocked3.test)."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    out = sys.argv[1]
    rng = np.random.default_rng(5)
    w1 = rng.standard_normal((512, 768)).astype(np.float32) * 0.05
    w2 = rng.standard_normal((768, 256)).astype(np.float32) * 0.05
    nodes = [helper.make_node("MatMul", ["x", "w1"], ["h"]), helper.make_node("Relu", ["h"], ["r"]),
             helper.make_node("MatMul", ["r", "w2"], ["y"])]
    graph = helper.make_graph(nodes, "gemv3", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 512])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 256])],
                              [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(w2, "w2")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, "model.onnx"))
    np.save(os.path.join(out, "x.npy"), rng.standard_normal((1, 512)).astype(np.float32))


if __name__ == "__main__":
    main()
