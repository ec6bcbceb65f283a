#!/usr/bin/python3
"""Small already-quantized ONNX models, generated at test time, with a NumPy reference of ONNX Runtime's
semantics (inputs and expected outputs as .npy) for the import and end-to-end tests.

    gen_quantized_onnx.py nbits DIR --k K --n N --bits B --block BS [--m M] [--rank R]
        [--zero-points none|packed|float|default] [--bias] [--g-idx] [--runtime-b] [--fp16-scales] [--seed S]
        com.microsoft MatMulNBits: DIR/model.onnx, DIR/input/A.npy, DIR/expected/Y.npy
    gen_quantized_onnx.py dq DIR --k K --n N [--dtype int8|uint8] [--per tensor|column|row] [--gemm] [--m M]
        [--symmetric] [--seed S]
        DequantizeLinear(constant weight) -> MatMul (or Gemm with transB = 1, alpha 0.5, bias C)
    gen_quantized_onnx.py blob-check DIR INITIALIZER RESOURCE
        prints a FileCheck line expecting the IR's dense_resource RESOURCE to hold INITIALIZER's bytes

MatMulNBits reference (ONNX Runtime contrib spec): B is uint8 [N][k_blocks][blob_size], blob_size =
block_size * bits / 8, code j of a block at bits [j*bits, j*bits + bits) of its blob (low bits first);
w[n][k] = (code - zero_point[n][k // block_size]) * scale[n][k // block_size], zero_point 2^(bits-1) when
absent; packed uint8 zero points are [N][ceil(k_blocks * bits / 8)] in B's bit order; Y = A . w^T + bias.
Codes past K in a short last block are random: a correct importer ignores them.
"""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def pack_low_first(codes, bits):
    """codes [..., L] (L * bits a multiple of 8) -> bytes [..., L * bits / 8], code j at bits [j*bits, +bits)
    of the byte string, bit i being bit i % 8 of byte i // 8."""
    c = codes.astype(np.uint8)
    planes = np.stack([(c >> i) & 1 for i in range(bits)], axis=-1)   # [..., L, bits], LSB first
    stream = planes.reshape(codes.shape[:-1] + (codes.shape[-1] * bits,))
    return np.packbits(stream, axis=-1, bitorder="little")


def dequantize_nbits(codes, scales, zeros, k, block):
    """codes [N][k_blocks*block], scales/zeros [N][k_blocks] -> w [N][K] (ORT's formula, in float64)."""
    rep = lambda t: np.repeat(t.astype(np.float64), block, axis=1)[:, :k]
    return (codes[:, :k].astype(np.float64) - rep(zeros)) * rep(scales)


def save(dirname, model, inputs, outputs):
    os.makedirs(os.path.join(dirname, "input"), exist_ok=True)
    os.makedirs(os.path.join(dirname, "expected"), exist_ok=True)
    onnx.save(model, os.path.join(dirname, "model.onnx"))
    for name, v in inputs.items():
        np.save(os.path.join(dirname, "input", name + ".npy"), v)
    for name, v in outputs.items():
        np.save(os.path.join(dirname, "expected", name + ".npy"), v)


def make_nbits(a):
    rng = np.random.default_rng(a.seed)
    k, n, bits, block = a.k, a.n, a.bits, a.block
    blocks = -(-k // block)
    codes = rng.integers(0, 1 << bits, size=(n, blocks * block), dtype=np.int64)
    b = pack_low_first(codes, bits).reshape(n, blocks, block * bits // 8)
    scales = (rng.uniform(0.5, 1.5, size=(n, blocks)) * 0.02).astype(np.float32)
    default = 1 << (bits - 1)
    inits = [numpy_helper.from_array(b, "B"),
             numpy_helper.from_array(scales.astype(np.float16) if a.fp16_scales else scales, "scales")]
    inputs = ["A", "B", "scales"]
    zeros = np.full((n, blocks), default, np.int64)
    if a.zero_points in ("packed", "float", "default"):
        if a.zero_points != "default":
            zeros = rng.integers(0, 1 << bits, size=(n, blocks), dtype=np.int64)
        if a.zero_points == "float":
            zp = zeros.astype(np.float32)
            if a.fractional_zero:
                zp[0, 0] += 0.5
            inits.append(numpy_helper.from_array(zp, "zero_points"))
        else:
            padded = np.zeros((n, -(-blocks * bits // 8) * 8 // bits), np.int64)
            padded[:, :blocks] = zeros
            inits.append(numpy_helper.from_array(pack_low_first(padded, bits), "zero_points"))
        inputs.append("zero_points")
    if a.g_idx:
        inputs += [""] * (4 - len(inputs)) + ["g_idx"]
        inits.append(numpy_helper.from_array((np.arange(k) // block).astype(np.int32), "g_idx"))
    bias = (rng.standard_normal(n) * 0.1).astype(np.float32)
    if a.bias:
        inputs += [""] * (5 - len(inputs)) + ["bias"]
        inits.append(numpy_helper.from_array(bias, "bias"))
    shape = [a.m] if a.rank == 1 else [1] * (a.rank - 2) + [a.m, k]
    if a.rank == 1:
        shape = [k]
    graph_inputs = [helper.make_tensor_value_info("A", TensorProto.FLOAT, shape)]
    if a.runtime_b:
        graph_inputs.append(helper.make_tensor_value_info("B", TensorProto.UINT8, list(b.shape)))
        inits = [t for t in inits if t.name != "B"]
    node = helper.make_node("MatMulNBits", inputs, ["mm"], name="qmm", domain="com.microsoft", K=k, N=n,
                            bits=bits, block_size=block, accuracy_level=a.accuracy_level)
    # A plain ONNX op after it: strict shape inference must see MatMulNBits' output typed.
    relu = helper.make_node("Relu", ["mm"], ["Y"], name="relu")
    out_shape = shape[:-1] + [n]
    graph = helper.make_graph([node, relu], "nbits", graph_inputs,
                              [helper.make_tensor_value_info("Y", TensorProto.FLOAT, out_shape)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", a.opset),
                                                    helper.make_opsetid("com.microsoft", 1)])
    model.ir_version = 8
    x = rng.standard_normal(shape).astype(np.float32)
    w = dequantize_nbits(codes, scales.astype(np.float16).astype(np.float64) if a.fp16_scales else scales,
                         zeros, k, block)
    xr = x.astype(np.float64)
    if a.expect_int8_a:
        # accuracy_level 4 lets A be rounded to int8 per block: step max|A_block| / 127, half away from zero.
        blocks_of = x.reshape(-1, k // block, block)
        amax = np.abs(blocks_of).max(axis=-1, keepdims=True)
        scaled = blocks_of * (np.float32(127) / amax)  # float32, as the kernel computes it
        rounded = np.sign(scaled) * np.floor(np.abs(scaled) + np.float32(0.5))
        xr = (rounded * (amax / np.float32(127))).reshape(x.shape).astype(np.float64)
    y = xr @ w.T + (bias if a.bias else 0)
    save(a.dir, model, {"A": x}, {"Y": np.maximum(y, 0).astype(np.float32)})


def make_dq(a):
    rng = np.random.default_rng(a.seed)
    k, n = a.k, a.n
    lo, hi, npt = (-128, 128, np.int8) if a.dtype == "int8" else (0, 256, np.uint8)
    q = rng.integers(lo, hi, size=(k, n)).astype(npt)            # MatMul's B [K][N]
    if a.per == "tensor":
        scale = np.float32(0.01)
        zp = np.array(0 if a.dtype == "int8" else 128, npt) if a.symmetric else np.array(rng.integers(lo // 2 + 64, hi // 2 + 64) if a.dtype == "uint8" else 3, npt)
        w = (q.astype(np.float64) - zp.astype(np.float64)) * np.float64(scale)
        scale_t, zp_t, axis = np.array(scale, np.float32), zp, None
    else:
        count = n if a.per == "column" else k
        scale_t = (rng.uniform(0.5, 1.5, count) * 0.01).astype(np.float32)
        zp_t = (np.zeros(count, npt) if a.dtype == "int8" else np.full(count, 128, npt)) if a.symmetric else \
            rng.integers(lo // 2, hi // 2 + (64 if a.dtype == "uint8" else 0), size=count).astype(npt)
        axis = 1 if a.per == "column" else 0
        bshape = (1, n) if axis == 1 else (k, 1)
        w = (q.astype(np.float64) - zp_t.reshape(bshape).astype(np.float64)) * scale_t.reshape(bshape)
    inits = [numpy_helper.from_array(scale_t, "w_scale"), numpy_helper.from_array(zp_t, "w_zero")]
    shape = [a.m, k]
    x = rng.standard_normal(shape).astype(np.float32)
    if a.gemm:
        # Gemm's B is [N][K] with transB = 1: quantize along axis 0 (output rows) for per-column scales.
        inits.append(numpy_helper.from_array(np.ascontiguousarray(q.T), "w_q"))
        dq_axis = None if axis is None else 1 - axis
        bias = (rng.standard_normal(n) * 0.1).astype(np.float32)
        inits.append(numpy_helper.from_array(bias, "c"))
        nodes = [helper.make_node("DequantizeLinear", ["w_q", "w_scale", "w_zero"], ["w"], name="dq",
                                  **({} if dq_axis is None else {"axis": dq_axis})),
                 helper.make_node("Gemm", ["x", "w", "c"], ["Y"], name="gemm", transB=1, alpha=0.5)]
        y = 0.5 * (x.astype(np.float64) @ w) + bias
    else:
        inits.append(numpy_helper.from_array(q, "w_q"))
        nodes = [helper.make_node("DequantizeLinear", ["w_q", "w_scale", "w_zero"], ["w"], name="dq",
                                  **({} if axis is None else {"axis": axis})),
                 helper.make_node("MatMul", ["x", "w"], ["Y"], name="mm")]
        y = x.astype(np.float64) @ w
    graph = helper.make_graph(nodes, "dq", [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
                              [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [a.m, n])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    save(a.dir, model, {"x": x}, {"Y": y.astype(np.float32)})


def blob_check(a):
    model = onnx.load(os.path.join(a.dir, "model.onnx"))
    init = next(t for t in model.graph.initializer if t.name == a.initializer)
    data = numpy_helper.to_array(init).tobytes()
    # MLIR prints a blob as its alignment (4 bytes, little-endian) followed by the bytes.
    print('CHECK: %s: "0x08000000%s"' % (a.resource, data.hex().upper()))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    nb = sub.add_parser("nbits")
    nb.add_argument("dir")
    nb.add_argument("--k", type=int, required=True)
    nb.add_argument("--n", type=int, required=True)
    nb.add_argument("--bits", type=int, default=4)
    nb.add_argument("--block", type=int, default=32)
    nb.add_argument("--m", type=int, default=1)
    nb.add_argument("--rank", type=int, default=2)
    nb.add_argument("--zero-points", default="none", choices=["none", "packed", "float", "default"])
    nb.add_argument("--fractional-zero", action="store_true")
    nb.add_argument("--bias", action="store_true")
    nb.add_argument("--g-idx", action="store_true")
    nb.add_argument("--runtime-b", action="store_true")
    nb.add_argument("--fp16-scales", action="store_true")
    nb.add_argument("--accuracy-level", type=int, default=4)
    nb.add_argument("--expect-int8-a", action="store_true",
                    help="reference with A rounded to int8 per block (what accuracy_level 4 allows; K a multiple "
                         "of the block)")
    nb.add_argument("--opset", type=int, default=17)
    nb.add_argument("--seed", type=int, default=7)
    dq = sub.add_parser("dq")
    dq.add_argument("dir")
    dq.add_argument("--k", type=int, required=True)
    dq.add_argument("--n", type=int, required=True)
    dq.add_argument("--m", type=int, default=2)
    dq.add_argument("--dtype", default="int8", choices=["int8", "uint8"])
    dq.add_argument("--per", default="column", choices=["tensor", "column", "row"])
    dq.add_argument("--gemm", action="store_true")
    dq.add_argument("--symmetric", action="store_true")
    dq.add_argument("--seed", type=int, default=7)
    bc = sub.add_parser("blob-check")
    bc.add_argument("dir")
    bc.add_argument("initializer")
    bc.add_argument("resource")
    a = p.parse_args()
    {"nbits": make_nbits, "dq": make_dq, "blob-check": blob_check}[a.cmd](a)


if __name__ == "__main__":
    main()
