"""Writes 3x3 stride-1 convolutions that sinter-conv-to-winograd rewrites, with an input and float64 NumPy
references, covering the fused ukernel's cases: a batch of 2 (tile blocks spanning images), 24 channels
(a partial channel chunk), 70 filters (two filter chunks, a partial register tile), a bias with ReLU and a
residual add (prologue and epilogue in the ukernel), no bias (zero init), an epilogue it does not take
(Sigmoid), and an odd 11x11 output (padded to whole tiles and sliced). Every conv's result is an output.
Usage: conv_winograd.py DIR"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(os.path.join(out, "ref"), exist_ok=True)
rng = np.random.default_rng(11)
x = rng.standard_normal((2, 24, 14, 14)).astype(np.float32)


def weight(f, c):
    return (rng.standard_normal((f, c, 3, 3)) * (2.0 / (9 * c)) ** 0.5).astype(np.float32)


w1, b1 = weight(70, 24), rng.standard_normal(70).astype(np.float32)
w2 = weight(70, 70)
w3, b3 = weight(40, 70), rng.standard_normal(40).astype(np.float32)
w4, b4 = weight(32, 40), rng.standard_normal(32).astype(np.float32)


def conv(x, w, b, pads):
    top, left, bottom, right = pads
    x = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (top, bottom), (left, right)))
    f = w.shape[0]
    oh, ow = x.shape[2] - 2, x.shape[3] - 2
    y = np.zeros((x.shape[0], f, oh, ow))
    for i in range(3):
        for j in range(3):
            y += np.einsum("fc,nchw->nfhw", w[:, :, i, j].astype(np.float64), x[:, :, i:i + oh, j:j + ow])
    return y + (0 if b is None else b.reshape(1, -1, 1, 1))


y1 = np.maximum(conv(x, w1, b1, (1, 1, 1, 1)), 0)
y2 = conv(y1.astype(np.float32), w2, None, (1, 1, 1, 1)) + y1
y3 = 1 / (1 + np.exp(-conv(y2.astype(np.float32), w3, b3, (0, 0, 0, 0))))
y4 = conv(y3.astype(np.float32), w4, b4, (1, 1, 0, 0))
nodes = [helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]),
         helper.make_node("Relu", ["c1"], ["y1"]),
         helper.make_node("Conv", ["y1", "w2"], ["c2"], pads=[1, 1, 1, 1]),
         helper.make_node("Add", ["c2", "y1"], ["y2"]),
         helper.make_node("Conv", ["y2", "w3", "b3"], ["c3"]),
         helper.make_node("Sigmoid", ["c3"], ["y3"]),
         helper.make_node("Conv", ["y3", "w4", "b4"], ["y4"], pads=[1, 1, 0, 0])]
inits = [numpy_helper.from_array(v, n) for n, v in
         (("w1", w1), ("b1", b1), ("w2", w2), ("w3", w3), ("b3", b3), ("w4", w4), ("b4", b4))]
outputs = (("y1", y1), ("y2", y2), ("y3", y3), ("y4", y4))
graph = helper.make_graph(nodes, "conv_winograd", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
                          [helper.make_tensor_value_info(n, TensorProto.FLOAT, v.shape) for n, v in outputs], inits)
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), os.path.join(out, "model.onnx"))
np.save(os.path.join(out, "x.npy"), x)
for name, value in outputs:
    np.save(os.path.join(out, "ref", name + ".npy"), value.astype(np.float32))
