"""Writes a MelWeightMatrix model with run-time inputs (num_mel_bins 10, dft_length 64, sample_rate 16000,
edges 100 and 7000 Hz: triangles several bins wide), its inputs as .npy files, and the reference output,
computed as the ONNX backend test computes it (onnx/backend/test/case/node/melweightmatrix.py).
Usage: mel_weight_matrix.py DIR"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

out = sys.argv[1]
os.makedirs(os.path.join(out, "ref"), exist_ok=True)
mel_bins, dft, rate, lower, upper = np.int32(10), np.int32(64), np.int32(16000), np.float32(100), np.float32(7000)
names = ["num_mel_bins", "dft_length", "sample_rate", "lower_edge_hertz", "upper_edge_hertz"]
values = [mel_bins, dft, rate, lower, upper]
spec_bins = dft // 2 + 1
graph = helper.make_graph(
    [helper.make_node("MelWeightMatrix", names, ["output"])], "mel",
    [helper.make_tensor_value_info(n, TensorProto.INT32 if i < 3 else TensorProto.FLOAT, []) for i, n in enumerate(names)],
    [helper.make_tensor_value_info("output", TensorProto.FLOAT, [int(spec_bins), int(mel_bins)])])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), os.path.join(out, "mel.onnx"))
for n, v in zip(names, values):
    np.save(os.path.join(out, n + ".npy"), v)
np.save(os.path.join(out, "bins12.npy"), np.int32(12))

bins = np.arange(0, mel_bins + 2)
low_mel = 2595 * np.log10(1 + lower / 700)
high_mel = 2595 * np.log10(1 + upper / 700)
step = (high_mel - low_mel) / bins.shape[0]
bins = 700 * (np.power(10, (bins * step + low_mel) / 2595) - 1)
bins = (((dft + 1) * bins) // rate).astype(int)
ref = np.zeros((spec_bins, mel_bins))
for i in range(mel_bins):
    left, center, right = bins[i], bins[i + 1], bins[i + 2]
    if center == left:
        ref[center, i] = 1
    else:
        for j in range(left, center + 1):
            ref[j, i] = (j - left) / (center - left)
    if right > center:
        for j in range(center, right):
            ref[j, i] = (right - j) / (right - center)
assert len(set(bins)) > 8 and np.count_nonzero((ref > 0) & (ref < 1)) > 10, "the case should have real triangles"
np.save(os.path.join(out, "ref", "output.npy"), ref.astype(np.float32))
