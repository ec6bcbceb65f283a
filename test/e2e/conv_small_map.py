"""Writes convolutions over small output maps, which sinter-conv-to-im2col multiplies positions-as-rows
(transpose-small-maps), with inputs and NumPy references (float64): a 3x3 stride-1 conv with bias and ReLU
on a 7x7 map, a 3x3 stride-2 conv with bias from 13x13 (7x7 out, odd padding), and a bias-free 1x1 stride-2
conv, chained so that every output is checked. Usage: conv_small_map.py DIR"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(os.path.join(out, "ref"), exist_ok=True)
rng = np.random.default_rng(7)
x = rng.standard_normal((1, 16, 13, 13)).astype(np.float32)
w1 = (rng.standard_normal((64, 16, 3, 3)) * 0.1).astype(np.float32)
b1 = rng.standard_normal(64).astype(np.float32)
w2 = (rng.standard_normal((96, 64, 3, 3)) * 0.1).astype(np.float32)
b2 = rng.standard_normal(96).astype(np.float32)
w3 = (rng.standard_normal((64, 16, 1, 1)) * 0.1).astype(np.float32)


def conv(x, w, b, stride, pad):
    x = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    f, _, kh, kw = w.shape
    oh = (x.shape[2] - kh) // stride + 1
    ow = (x.shape[3] - kw) // stride + 1
    y = np.zeros((1, f, oh, ow))
    for i in range(kh):
        for j in range(kw):
            patch = x[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]
            y += np.einsum("fc,nchw->nfhw", w[:, :, i, j].astype(np.float64), patch)
    return y + (0 if b is None else b.reshape(1, -1, 1, 1))


# a: 13x13 -> 7x7 (stride 2, pad 1) with bias; b: 7x7 -> 7x7 (pad 1) with bias, ReLU; c: 1x1 stride 2 of x.
a = conv(x, w1, b1, 2, 1)
b = np.maximum(conv(a.astype(np.float32), w2, b2, 1, 1), 0)
c = conv(x, w3, None, 2, 0)
nodes = [helper.make_node("Conv", ["x", "w1", "b1"], ["a"], strides=[2, 2], pads=[1, 1, 1, 1]),
         helper.make_node("Conv", ["a", "w2", "b2"], ["b_pre"], pads=[1, 1, 1, 1]),
         helper.make_node("Relu", ["b_pre"], ["b"]),
         helper.make_node("Conv", ["x", "w3"], ["c"], strides=[2, 2])]
inits = [numpy_helper.from_array(v, n) for n, v in (("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2), ("w3", w3))]
graph = helper.make_graph(nodes, "conv_small_map", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
                          [helper.make_tensor_value_info("a", TensorProto.FLOAT, a.shape),
                           helper.make_tensor_value_info("b", TensorProto.FLOAT, b.shape),
                           helper.make_tensor_value_info("c", TensorProto.FLOAT, c.shape)], inits)
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), os.path.join(out, "model.onnx"))
np.save(os.path.join(out, "x.npy"), x)
for name, value in (("a", a), ("b", b), ("c", c)):
    np.save(os.path.join(out, "ref", name + ".npy"), value.astype(np.float32))
