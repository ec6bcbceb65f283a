#!/usr/bin/python3
"""Build the hand-written (onnx.helper-only) test models for Sinter.

    /usr/bin/python3 test/models/gen_onnx_models.py

Writes:
  longconv_dft_op17.onnx  FFT-based causal long convolution with the DFT op.
  bad/*.onnx              malformed / unsupported inputs the importer must
                          reject with a good diagnostic, plus
                          bad/dynamic_input.onnx (valid; needs a bound dim).

bad/truncated.onnx is cut from mlp_op17.onnx, so run gen_torch_models.py first.
Everything is seeded; regenerating gives identical bytes.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
BAD = os.path.join(HERE, "bad")
SEED = 1234


def _model(graph, opset=17):
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                          producer_name="sinter-test-gen", producer_version="1")
    m.ir_version = 8  # onnx 1.12 / opset 17
    return m


def _save(m, path):
    with open(path, "wb") as f:
        f.write(m.SerializeToString())
    ops = sorted({n.op_type for n in m.graph.node})
    print(f"{os.path.relpath(path, HERE)}: {os.path.getsize(path)} B, ops: {' '.join(ops)}")


def _i64(name, vals):
    return numpy_helper.from_array(np.asarray(vals, dtype=np.int64), name)


# ---------------------------------------------------------------- DFT longconv
L, C, N = 64, 8, 128  # sequence length, channels, FFT length (2L)


def dft_kernel_and_spectrum():
    rng = np.random.default_rng(SEED)
    k = (rng.standard_normal((L, C)) / np.sqrt(L)).astype(np.float32)  # causal kernel [L, C]
    kp = np.zeros((N, C), dtype=np.float64)
    kp[:L] = k
    H = np.fft.fft(kp, axis=0)  # [N, C] complex
    spec = np.stack([H.real, H.imag], axis=-1)[None].astype(np.float32)  # [1, N, C, 2]
    return k, spec


def longconv_dft():
    k, spec = dft_kernel_and_spectrum()
    inits = [
        numpy_helper.from_array(spec, "filter_spectrum"),
        _i64("pads", [0, 0, 0, 0, N - L, 0]),
        _i64("axes_last", [-1]),
        _i64("re_start", [0]), _i64("re_end", [1]),
        _i64("im_start", [1]), _i64("im_end", [2]),
        _i64("out_starts", [0, 0]), _i64("out_ends", [L, 1]), _i64("out_axes", [1, 3]),
        _i64("squeeze_axes", [3]),
    ]
    mk = helper.make_node
    nodes = [
        mk("Pad", ["x", "pads"], ["x_pad"], name="pad0", mode="constant"),           # [1,128,8]
        mk("Unsqueeze", ["x_pad", "axes_last"], ["x_c"], name="unsq0"),             # [1,128,8,1]
        mk("DFT", ["x_c"], ["X"], name="dft0", axis=1, inverse=0, onesided=0),       # [1,128,8,2]
        mk("Slice", ["X", "re_start", "re_end", "axes_last"], ["Xr"], name="x_re"),
        mk("Slice", ["X", "im_start", "im_end", "axes_last"], ["Xi"], name="x_im"),
        mk("Slice", ["filter_spectrum", "re_start", "re_end", "axes_last"], ["Hr"], name="h_re"),
        mk("Slice", ["filter_spectrum", "im_start", "im_end", "axes_last"], ["Hi"], name="h_im"),
        mk("Mul", ["Xr", "Hr"], ["XrHr"], name="mul_rr"),
        mk("Mul", ["Xi", "Hi"], ["XiHi"], name="mul_ii"),
        mk("Mul", ["Xr", "Hi"], ["XrHi"], name="mul_ri"),
        mk("Mul", ["Xi", "Hr"], ["XiHr"], name="mul_ir"),
        mk("Sub", ["XrHr", "XiHi"], ["Yr"], name="y_re"),
        mk("Add", ["XrHi", "XiHr"], ["Yi"], name="y_im"),
        mk("Concat", ["Yr", "Yi"], ["Y"], name="y_cplx", axis=-1),                  # [1,128,8,2]
        mk("DFT", ["Y"], ["y_c"], name="idft0", axis=1, inverse=1, onesided=0),     # [1,128,8,2]
        mk("Slice", ["y_c", "out_starts", "out_ends", "out_axes"], ["y_r"], name="y_take"),  # [1,64,8,1]
        mk("Squeeze", ["y_r", "squeeze_axes"], ["y"], name="sq0"),                  # [1,64,8]
    ]
    g = helper.make_graph(
        nodes, "longconv_dft",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, L, C])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, L, C])],
        initializer=inits)
    m = _model(g, 17)
    onnx.checker.check_model(m, full_check=True)
    _self_test_dft(k, spec)
    return m


def _self_test_dft(k, spec):
    """Numpy emulation of the graph == direct causal depthwise convolution."""
    rng = np.random.default_rng(SEED + 1)
    x = rng.standard_normal((1, L, C)).astype(np.float32)
    xp = np.concatenate([x, np.zeros((1, N - L, C), np.float32)], axis=1)
    X = np.fft.fft(xp, axis=1)
    H = spec[..., 0] + 1j * spec[..., 1]
    y = np.fft.ifft(X * H, axis=1).real[:, :L]
    ref = np.zeros_like(x)
    for t in range(L):
        for j in range(t + 1):
            ref[0, t] += k[j] * x[0, t - j]
    err = np.abs(y - ref).max()
    assert err < 1e-4, err
    print(f"longconv_dft numpy self-test: max |fft - direct| = {err:.2e}")


# ------------------------------------------------------------------- bad inputs
def vi(name, dtype, shape):
    return helper.make_tensor_value_info(name, dtype, shape)


def bad_models():
    os.makedirs(BAD, exist_ok=True)
    F = TensorProto.FLOAT
    rng = np.random.default_rng(SEED)

    # truncated: first half of a valid model's bytes
    src = os.path.join(HERE, "mlp_op17.onnx")
    if not os.path.exists(src):
        sys.exit("mlp_op17.onnx missing: run gen_torch_models.py first")
    data = open(src, "rb").read()
    with open(os.path.join(BAD, "truncated.onnx"), "wb") as f:
        f.write(data[: len(data) // 2])
    print(f"bad/truncated.onnx: {len(data) // 2} B (first half of mlp_op17.onnx)")

    # random bytes
    with open(os.path.join(BAD, "random_bytes.onnx"), "wb") as f:
        f.write(np.random.default_rng(SEED).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    print("bad/random_bytes.onnx: 4096 B")

    # unknown op in the default domain
    g = helper.make_graph(
        [helper.make_node("FooBar", ["X"], ["Y"], name="mystery")], "unknown_op",
        [vi("X", F, [2, 3])], [vi("Y", F, [2, 3])])
    _save(_model(g), os.path.join(BAD, "unknown_op.onnx"))

    # illegal attribute value
    w = numpy_helper.from_array(rng.standard_normal((1, 1, 3, 3)).astype(np.float32), "W")
    g = helper.make_graph(
        [helper.make_node("Conv", ["X", "W"], ["Y"], name="conv0", auto_pad="SAME_MIDDLE",
                          kernel_shape=[3, 3])], "bad_attribute",
        # Output dims left symbolic so the illegal auto_pad is the only defect
        # (onnx 1.12 checker + shape inference accept it; the importer must not).
        [vi("X", F, [1, 1, 4, 4])], [vi("Y", F, ["n", "c", "h", "w"])], initializer=[w])
    _save(_model(g), os.path.join(BAD, "bad_attribute.onnx"))

    # dangling input "W"
    g = helper.make_graph(
        [helper.make_node("MatMul", ["X", "W"], ["Y"], name="mm0")], "missing_initializer",
        [vi("X", F, [2, 3])], [vi("Y", F, [2, 4])])
    _save(_model(g), os.path.join(BAD, "missing_initializer.onnx"))

    # incompatible MatMul shapes
    w = numpy_helper.from_array(rng.standard_normal((4, 5)).astype(np.float32), "W")
    g = helper.make_graph(
        [helper.make_node("MatMul", ["X", "W"], ["Y"], name="mm0")], "shape_mismatch",
        [vi("X", F, [2, 3])], [vi("Y", F, [2, 5])], initializer=[w])
    _save(_model(g), os.path.join(BAD, "shape_mismatch.onnx"))

    # string tensor (valid ONNX, unsupported by the compiler)
    g = helper.make_graph(
        [helper.make_node("Identity", ["S"], ["T"], name="id0")], "unsupported_dtype",
        [vi("S", TensorProto.STRING, [2])], [vi("T", TensorProto.STRING, [2])])
    _save(_model(g), os.path.join(BAD, "unsupported_dtype.onnx"))

    # dynamic batch dimension (valid; the compiler must be told a value for "batch")
    w = numpy_helper.from_array(rng.standard_normal((16, 4)).astype(np.float32), "W")
    g = helper.make_graph(
        [helper.make_node("MatMul", ["X", "W"], ["Y"], name="mm0")], "dynamic_input",
        [vi("X", F, ["batch", 16])], [vi("Y", F, ["batch", 4])], initializer=[w])
    m = _model(g)
    onnx.checker.check_model(m, full_check=True)
    _save(m, os.path.join(BAD, "dynamic_input.onnx"))

    # If with a run-time condition (refused before the loader expanded control flow; now imported)
    branch = lambda name, v: helper.make_graph(  # noqa: E731
        [helper.make_node("Constant", [], [name + "_out"], name=name + "_c",
                          value=numpy_helper.from_array(np.array([v], np.float32)))],
        name, [], [vi(name + "_out", F, [1])])
    g = helper.make_graph(
        [helper.make_node("If", ["C"], ["Y"], name="if0", then_branch=branch("then", 1.0),
                          else_branch=branch("else", 0.0))], "subgraph_op",
        [vi("C", TensorProto.BOOL, [])], [vi("Y", F, [1])])
    _save(_model(g), os.path.join(BAD, "subgraph_op.onnx"))

    # an operator from another domain (ONNX Runtime's contrib ops)
    g = helper.make_graph(
        [helper.make_node("FastGelu", ["X"], ["Y"], name="gelu0", domain="com.microsoft")], "custom_domain",
        [vi("X", F, [2, 3])], [vi("Y", F, [2, 3])])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)],
                          producer_name="sinter-test-gen", producer_version="1")
    m.ir_version = 8
    _save(m, os.path.join(BAD, "custom_domain.onnx"))

    # an opset newer than the ONNX library knows
    g = helper.make_graph([helper.make_node("Relu", ["X"], ["Y"], name="relu0")], "opset18",
                          [vi("X", F, [2])], [vi("Y", F, [2])])
    _save(_model(g, opset=18), os.path.join(BAD, "opset18.onnx"))

    # an initializer whose data does not fill its shape (10 floats for [4, 5])
    w = numpy_helper.from_array(rng.standard_normal(10).astype(np.float32), "W")
    w.dims[:] = [4, 5]
    g = helper.make_graph(
        [helper.make_node("MatMul", ["X", "W"], ["Y"], name="mm0")], "short_initializer",
        [vi("X", F, [2, 4])], [vi("Y", F, [2, 5])], initializer=[w])
    _save(_model(g), os.path.join(BAD, "short_initializer.onnx"))


def external_data_model():
    """A valid MatMul model whose weight lives in a file beside it (external data)."""
    out = os.path.join(HERE, "external")
    os.makedirs(out, exist_ok=True)
    F = TensorProto.FLOAT
    w = numpy_helper.from_array(
        np.arange(16 * 4, dtype=np.float32).reshape(16, 4) / 64.0, "W")
    g = helper.make_graph(
        [helper.make_node("MatMul", ["X", "W"], ["Y"], name="mm0")], "external_data",
        [vi("X", F, [2, 16])], [vi("Y", F, [2, 4])], initializer=[w])
    m = _model(g)
    data_file = os.path.join(out, "matmul_external.bin")
    if os.path.exists(data_file):  # onnx appends to an existing data file
        os.remove(data_file)
    onnx.external_data_helper.convert_model_to_external_data(
        m, all_tensors_to_one_file=True, location="matmul_external.bin", size_threshold=0)
    onnx.save_model(m, os.path.join(out, "matmul_external.onnx"))
    print("external/matmul_external.onnx + matmul_external.bin")


def unsigned_add_model():
    """uint8 Add with wrap-around: unsigned types cross the function boundary."""
    out = os.path.join(HERE, "dtypes")
    os.makedirs(out, exist_ok=True)
    U8 = TensorProto.UINT8
    g = helper.make_graph([helper.make_node("Add", ["A", "B"], ["C"], name="add0")], "uint8_add",
                          [vi("A", U8, [4]), vi("B", U8, [4])], [vi("C", U8, [4])])
    _save(_model(g), os.path.join(out, "uint8_add.onnx"))


def main():
    _save(longconv_dft(), os.path.join(HERE, "longconv_dft_op17.onnx"))
    bad_models()
    external_data_model()
    unsigned_add_model()


if __name__ == "__main__":
    main()
