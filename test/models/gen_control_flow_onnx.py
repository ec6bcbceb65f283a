#!/usr/bin/python3
"""Small ONNX models with If / Loop / Scan for the importer's control-flow expansion tests.

    gen_control_flow_onnx.py CASE OUTDIR

Writes OUTDIR/model.onnx. The cases with a numeric check also write, per input set, OUTDIR/<set>/inputs/*.npy
and OUTDIR/<set>/expected/*.npy: the outputs computed here with NumPy from the ONNX semantics (independently
of Sinter), for sinter-run and test/tools/compare-npy.py. Everything is seeded and deterministic.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F = TensorProto.FLOAT
rng = np.random.default_rng(1234)


def vi(name, dtype, shape):
    return helper.make_tensor_value_info(name, dtype, shape)


def const(name, array):
    return helper.make_node("Constant", [], [name], name=name, value=numpy_helper.from_array(np.asarray(array), name))


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def model(graph):
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="sinter-tests")
    m.ir_version = 8
    onnx.checker.check_model(m, full_check=True)
    return m


def save_set(out, name, inputs, expected):
    for kind, arrays in (("inputs", inputs), ("expected", expected)):
        os.makedirs(os.path.join(out, name, kind), exist_ok=True)
        for k, v in arrays.items():
            np.save(os.path.join(out, name, kind, k + ".npy"), v)


# ---- If ---------------------------------------------------------------------------------------------------


def if_runtime(out):
    """A run-time [1] bool condition; branches read outer values (X, B) and a branch initializer (W)."""
    b = rng.standard_normal(3).astype(np.float32)
    w = rng.standard_normal((2, 3)).astype(np.float32)
    then = helper.make_graph(
        [const("two", np.float32(2)), helper.make_node("Mul", ["X", "two"], ["t1"], name="t_mul"),
         helper.make_node("Add", ["t1", "B"], ["t_y"], name="t_add"),
         const("axes1", np.array([1], np.int64)),
         helper.make_node("ReduceSum", ["X", "axes1"], ["t_z"], name="t_sum", keepdims=0)],
        "then", [], [vi("t_y", F, [2, 3]), vi("t_z", F, [2])])
    other = helper.make_graph(
        [helper.make_node("Sub", ["X", "W"], ["e1"], name="e_sub"),
         helper.make_node("Abs", ["e1"], ["e_y"], name="e_abs"),
         helper.make_node("ReduceMax", ["X"], ["e_z"], name="e_max", axes=[1], keepdims=0)],
        "else", [], [vi("e_y", F, [2, 3]), vi("e_z", F, [2])], initializer=[init("W", w)])
    g = helper.make_graph([helper.make_node("If", ["C"], ["Y", "Z"], name="if0", then_branch=then, else_branch=other)],
                          "if_runtime", [vi("C", TensorProto.BOOL, [1]), vi("X", F, [2, 3])],
                          [vi("Y", F, [2, 3]), vi("Z", F, [2])], initializer=[init("B", b)])
    onnx.save(model(g), os.path.join(out, "model.onnx"))
    x = rng.standard_normal((2, 3)).astype(np.float32)
    save_set(out, "true", {"C": np.array([True]), "X": x}, {"Y": x * 2 + b, "Z": x.sum(axis=1)})
    save_set(out, "false", {"C": np.array([False]), "X": x}, {"Y": np.abs(x - w), "Z": x.max(axis=1)})


def if_folded(out):
    """A Constant false condition (else taken) and one that folds from shape math (X has 2 rows: then)."""
    def branch(name, op, src):
        return helper.make_graph([helper.make_node(op, [src], [name + "_out"], name=name + "_" + op.lower())], name,
                                 [], [vi(name + "_out", F, [2, 3])])
    g = helper.make_graph(
        [const("no", np.array(False)),
         helper.make_node("If", ["no"], ["A"], name="if_const", then_branch=branch("neg", "Neg", "X"),
                          else_branch=branch("relu", "Relu", "X")),
         helper.make_node("Shape", ["X"], ["shape"], name="shape"),
         const("zero", np.int64(0)), const("two", np.int64(2)),
         helper.make_node("Gather", ["shape", "zero"], ["rows"], name="rows"),
         helper.make_node("Equal", ["rows", "two"], ["is2"], name="is2"),
         helper.make_node("If", ["is2"], ["Y"], name="if_folded", then_branch=branch("sig", "Sigmoid", "A"),
                          else_branch=branch("tanh", "Tanh", "A"))],
        "if_folded", [vi("X", F, [2, 3])], [vi("Y", F, [2, 3])])
    onnx.save(model(g), os.path.join(out, "model.onnx"))


def if_mismatch(out):
    """A run-time condition with branch outputs of different shapes: Where cannot select between them."""
    def branch(name, n):
        return helper.make_graph([const(name + "_out", np.ones(n, np.float32))], name, [], [vi(name + "_out", F, [n])])
    g = helper.make_graph([helper.make_node("If", ["C"], ["Y"], name="if_shapes", then_branch=branch("then", 2),
                                            else_branch=branch("else", 3))],
                          "if_mismatch", [vi("C", TensorProto.BOOL, [])], [vi("Y", F, ["n"])])
    onnx.save(model(g), os.path.join(out, "model.onnx"))


def if_random(out):
    """A run-time condition with a random op in a branch: computing the untaken branch is not harmless."""
    then = helper.make_graph([helper.make_node("RandomUniformLike", ["X"], ["r"], name="rand")], "then", [],
                             [vi("r", F, [2])])
    other = helper.make_graph([helper.make_node("Identity", ["X"], ["x"], name="id")], "else", [], [vi("x", F, [2])])
    g = helper.make_graph([helper.make_node("If", ["C"], ["Y"], name="if_rand", then_branch=then, else_branch=other)],
                          "if_random", [vi("C", TensorProto.BOOL, []), vi("X", F, [2])], [vi("Y", F, [2])])
    onnx.save(model(g), os.path.join(out, "model.onnx"))


# ---- Scan -------------------------------------------------------------------------------------------------


def scan(out):
    """An RNN-like Scan: states h [4] and s (scalar); X1 scanned along axis 0, X2 along axis 1 backwards;
    outputs stacked along axis 0 and along axis -1 backwards; the body reads outer weights W and U."""
    w = (rng.standard_normal((3, 4)) * 0.5).astype(np.float32)
    u = (rng.standard_normal((4, 4)) * 0.5).astype(np.float32)
    body = helper.make_graph(
        [helper.make_node("MatMul", ["x1", "W"], ["xw"], name="xw"),
         helper.make_node("MatMul", ["h", "U"], ["hu"], name="hu"),
         helper.make_node("Add", ["xw", "hu"], ["a1"], name="a1"),
         helper.make_node("Add", ["a1", "x2"], ["a2"], name="a2"),
         helper.make_node("Tanh", ["a2"], ["h_out"], name="tanh"),
         helper.make_node("ReduceSum", ["h_out"], ["hs"], name="hs", keepdims=0),
         helper.make_node("Add", ["s", "hs"], ["s_out"], name="s_add"),
         helper.make_node("Identity", ["h_out"], ["y1"], name="y1"),
         helper.make_node("Mul", ["h_out", "s_out"], ["y2"], name="y2")],
        "body", [vi("h", F, [4]), vi("s", F, []), vi("x1", F, [3]), vi("x2", F, [4])],
        [vi("h_out", F, [4]), vi("s_out", F, []), vi("y1", F, [4]), vi("y2", F, [4])])
    node = helper.make_node("Scan", ["H0", "S0", "X1", "X2"], ["H", "S", "Y1", "Y2"], name="scan0", body=body,
                            num_scan_inputs=2, scan_input_axes=[0, 1], scan_input_directions=[0, 1],
                            scan_output_axes=[0, -1], scan_output_directions=[0, 1])
    g = helper.make_graph([node], "scan",
                          [vi("H0", F, [4]), vi("S0", F, []), vi("X1", F, [5, 3]), vi("X2", F, [4, 5])],
                          [vi("H", F, [4]), vi("S", F, []), vi("Y1", F, [5, 4]), vi("Y2", F, [4, 5])],
                          initializer=[init("W", w), init("U", u)])
    onnx.save(model(g), os.path.join(out, "model.onnx"))
    h0 = rng.standard_normal(4).astype(np.float32)
    s0 = np.float32(0.25)
    x1 = rng.standard_normal((5, 3)).astype(np.float32)
    x2 = rng.standard_normal((4, 5)).astype(np.float32)
    h, s, y1, y2 = h0, s0, [], []
    for t in range(5):
        h = np.tanh(x1[t] @ w + h @ u + x2[:, 4 - t]).astype(np.float32)
        s = np.float32(s + h.sum())
        y1.append(h)
        y2.append(h * s)
    save_set(out, "data", {"H0": h0, "S0": np.array(s0, np.float32), "X1": x1, "X2": x2},
             {"H": h, "S": np.array(s, np.float32), "Y1": np.stack(y1, 0), "Y2": np.stack(y2[::-1], -1)})


def scan_too_long(out):
    """A scan over 5000 steps: above the unroll limit."""
    body = helper.make_graph([helper.make_node("Add", ["s", "x"], ["s_out"], name="add")], "body",
                             [vi("s", F, [1]), vi("x", F, [1])], [vi("s_out", F, [1])])
    g = helper.make_graph([helper.make_node("Scan", ["S0", "X"], ["S"], name="long_scan", body=body,
                                            num_scan_inputs=1)],
                          "scan_too_long", [vi("S0", F, [1]), vi("X", F, [5000, 1])], [vi("S", F, [1])])
    onnx.save(model(g), os.path.join(out, "model.onnx"))


def scan8(out):
    """Opset 8's Scan: a batch axis (2) on every input and output, scan axis 1, the scan input read
    backwards. IR version 3, like the ONNX backend test test_scan_sum."""
    body = helper.make_graph(
        [helper.make_node("Add", ["s", "x"], ["s_out"], name="add"),
         helper.make_node("Mul", ["s_out", "x"], ["y"], name="mul")], "body",
        [vi("s", F, [2]), vi("x", F, [2])], [vi("s_out", F, [2]), vi("y", F, [2])])
    node = helper.make_node("Scan", ["", "S0", "X"], ["S", "Y"], name="scan8", body=body, num_scan_inputs=1,
                            directions=[1])
    g = helper.make_graph([node], "scan8", [vi("S0", F, [2, 2]), vi("X", F, [2, 3, 2])],
                          [vi("S", F, [2, 2]), vi("Y", F, [2, 3, 2])])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 8)], producer_name="sinter-tests")
    m.ir_version = 3
    onnx.checker.check_model(m, full_check=True)
    onnx.save(m, os.path.join(out, "model.onnx"))
    s0 = rng.standard_normal((2, 2)).astype(np.float32)
    x = rng.standard_normal((2, 3, 2)).astype(np.float32)
    s, ys = s0.copy(), np.zeros_like(x)
    for b in range(2):
        for t in range(3):
            s[b] = s[b] + x[b, 2 - t]
            ys[b, t] = s[b] * x[b, 2 - t]
    save_set(out, "data", {"S0": s0, "X": x}, {"S": s, "Y": ys})


# ---- Loop -------------------------------------------------------------------------------------------------


def loop(out):
    """A Loop whose trip count folds from shape math (rows(X) + 1 = 4), condition constant true, one carried
    value and one scan output; the body holds an If on the iteration number (folded after unrolling) whose
    then-branch reads X from two scopes out."""
    then = helper.make_graph([helper.make_node("Add", ["y1", "X"], ["t_out"], name="add_x")], "then", [],
                             [vi("t_out", F, [3, 2])])
    other = helper.make_graph([helper.make_node("Identity", ["y1"], ["e_out"], name="keep")], "else", [],
                              [vi("e_out", F, [3, 2])])
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"], name="cond"),
         helper.make_node("Cast", ["i"], ["fi"], name="fi", to=F),
         const("half", np.float32(0.5)),
         helper.make_node("Mul", ["y", "half"], ["y0"], name="scale"),
         helper.make_node("Add", ["y0", "fi"], ["y1"], name="add_i"),
         const("iter2", np.int64(2)),
         helper.make_node("Equal", ["i", "iter2"], ["is2"], name="is2"),
         helper.make_node("If", ["is2"], ["y_out"], name="inner_if", then_branch=then, else_branch=other),
         helper.make_node("ReduceSum", ["y_out"], ["total"], name="total", keepdims=0)],
        "body", [vi("i", TensorProto.INT64, []), vi("cond_in", TensorProto.BOOL, []), vi("y", F, [3, 2])],
        [vi("cond_out", TensorProto.BOOL, []), vi("y_out", F, [3, 2]), vi("total", F, [])])
    g = helper.make_graph(
        [helper.make_node("Shape", ["X"], ["shape"], name="shape"),
         const("zero", np.int64(0)), const("one", np.int64(1)), const("yes", np.array(True)),
         helper.make_node("Gather", ["shape", "zero"], ["rows"], name="rows"),
         helper.make_node("Add", ["rows", "one"], ["trips"], name="trips"),
         helper.make_node("Loop", ["trips", "yes", "X"], ["Y", "S"], name="loop0", body=body)],
        "loop", [vi("X", F, [3, 2])], [vi("Y", F, [3, 2]), vi("S", F, [4])])
    onnx.save(model(g), os.path.join(out, "model.onnx"))
    x = rng.standard_normal((3, 2)).astype(np.float32)
    y, totals = x, []
    for i in range(4):
        y = (y * np.float32(0.5) + np.float32(i)).astype(np.float32)
        if i == 2:
            y = y + x
        totals.append(y.sum())
    save_set(out, "data", {"X": x}, {"Y": y, "S": np.array(totals, np.float32)})


def loop_nested(out):
    """A Loop (3 trips) whose body holds another Loop (2 trips); the inner body reads the outer body's value
    `a` and both iteration numbers, so renaming must reach into the nested graph."""
    def cond_nodes(prefix):
        return [helper.make_node("Identity", [prefix + "cond_in"], [prefix + "cond_out"], name=prefix + "cond")]
    inner = helper.make_graph(
        cond_nodes("in_") + [
            helper.make_node("Cast", ["j"], ["fj"], name="fj", to=F),
            helper.make_node("Mul", ["z", "a"], ["za"], name="za"),
            helper.make_node("Add", ["za", "fj"], ["zj"], name="zj"),
            helper.make_node("Add", ["zj", "fi"], ["z_out"], name="zi")],
        "inner", [vi("j", TensorProto.INT64, []), vi("in_cond_in", TensorProto.BOOL, []), vi("z", F, [2])],
        [vi("in_cond_out", TensorProto.BOOL, []), vi("z_out", F, [2])])
    outer = helper.make_graph(
        cond_nodes("out_") + [
            helper.make_node("Cast", ["i"], ["fi"], name="fi", to=F),
            helper.make_node("Add", ["y", "fi"], ["a"], name="a"),
            const("two", np.int64(2)),
            helper.make_node("Loop", ["two", "", "a"], ["y_out"], name="inner_loop", body=inner)],
        "outer", [vi("i", TensorProto.INT64, []), vi("out_cond_in", TensorProto.BOOL, []), vi("y", F, [2])],
        [vi("out_cond_out", TensorProto.BOOL, []), vi("y_out", F, [2])])
    g = helper.make_graph([helper.make_node("Loop", ["three", "", "Y0"], ["Y"], name="outer_loop", body=outer)],
                          "loop_nested", [vi("Y0", F, [2])], [vi("Y", F, [2])],
                          initializer=[init("three", np.int64(3))])
    onnx.save(model(g), os.path.join(out, "model.onnx"))
    y0 = (rng.standard_normal(2) * 0.5).astype(np.float32)
    y = y0
    for i in range(3):
        a = y + np.float32(i)
        z = a
        for j in range(2):
            z = z * a + np.float32(j) + np.float32(i)
        y = z.astype(np.float32)
    save_set(out, "data", {"Y0": y0}, {"Y": y})


def loop_growing(out):
    """A Loop whose carried value grows every iteration (Concat): ONNX types it [n], unrolling gives each
    iteration its own static shape."""
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"], name="cond"),
         helper.make_node("Concat", ["y", "X"], ["y_out"], name="grow", axis=0),
         helper.make_node("ReduceSum", ["y_out"], ["total"], name="total", keepdims=0)],
        "body", [vi("i", TensorProto.INT64, []), vi("cond_in", TensorProto.BOOL, []), vi("y", F, ["n"])],
        [vi("cond_out", TensorProto.BOOL, []), vi("y_out", F, ["n"]), vi("total", F, [])])
    g = helper.make_graph([helper.make_node("Loop", ["three", "", "X"], ["Y", "S"], name="grow_loop", body=body)],
                          "loop_growing", [vi("X", F, [2])], [vi("Y", F, ["n"]), vi("S", F, ["m"])],
                          initializer=[init("three", np.int64(3))])
    onnx.save(model(g), os.path.join(out, "model.onnx"))
    x = rng.standard_normal(2).astype(np.float32)
    y, totals = x, []
    for _ in range(3):
        y = np.concatenate([y, x])
        totals.append(y.sum(dtype=np.float32))
    save_set(out, "data", {"X": x}, {"Y": y, "S": np.array(totals, np.float32)})


def loop_refusals(out):
    """Three loops Sinter cannot unroll, one model each: run-time trip count, early exit, no trip count."""
    def body(cond_nodes):
        return helper.make_graph(
            cond_nodes + [helper.make_node("Add", ["y", "y"], ["y_out"], name="double")], "body",
            [vi("i", TensorProto.INT64, []), vi("cond_in", TensorProto.BOOL, []), vi("y", F, [2])],
            [vi("cond_out", TensorProto.BOOL, []), vi("y_out", F, [2])])
    passthrough = [helper.make_node("Identity", ["cond_in"], ["cond_out"], name="cond")]
    early_exit = [helper.make_node("ReduceSum", ["y"], ["total"], name="total", keepdims=0),
                  const("ten", np.float32(10)), helper.make_node("Less", ["total", "ten"], ["cond_out"], name="less")]
    cases = {
        "runtime_trip": ([helper.make_node("Loop", ["M", "", "Y0"], ["Y"], name="loop_m", body=body(passthrough))],
                         [vi("M", TensorProto.INT64, []), vi("Y0", F, [2])], []),
        "early_exit": ([helper.make_node("Loop", ["three", "", "Y0"], ["Y"], name="loop_exit", body=body(early_exit))],
                       [vi("Y0", F, [2])], [init("three", np.int64(3))]),
        "while": ([helper.make_node("Loop", ["", "C", "Y0"], ["Y"], name="loop_while", body=body(passthrough))],
                  [vi("C", TensorProto.BOOL, []), vi("Y0", F, [2])], []),
    }
    for name, (nodes, inputs, inits) in cases.items():
        g = helper.make_graph(nodes, "loop_" + name, inputs, [vi("Y", F, [2])], initializer=inits)
        onnx.save(model(g), os.path.join(out, name + ".onnx"))


def loop_runtime_trip(out):
    """A Loop with a run-time trip count M and condition C (passed through), one carried value Y and one scan
    output S declared [3, 2]: unrolled 3 times behind a run-time check that C and M == 3."""
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"], name="cond"),
         helper.make_node("Add", ["y", "y"], ["y_out"], name="double"),
         helper.make_node("Identity", ["y_out"], ["s"], name="scan")], "body",
        [vi("i", TensorProto.INT64, []), vi("cond_in", TensorProto.BOOL, []), vi("y", F, [2])],
        [vi("cond_out", TensorProto.BOOL, []), vi("y_out", F, [2]), vi("s", F, [2])])
    g = helper.make_graph([helper.make_node("Loop", ["M", "C", "Y0"], ["Y", "S"], name="loop_m", body=body)],
                          "loop_runtime_trip", [vi("M", TensorProto.INT64, []), vi("C", TensorProto.BOOL, []),
                                                vi("Y0", F, [2])], [vi("Y", F, [2]), vi("S", F, [3, 2])])
    onnx.save(model(g), os.path.join(out, "model.onnx"))


def range_pinned(out):
    """Range over a run-time limit, scaled and offset before the output declared [5]: ONNX infers a symbolic
    length, which the declared output pins to 5."""
    g = helper.make_graph(
        [const("zero", np.float32(0)), const("one", np.float32(1)), const("half", np.float32(0.5)),
         helper.make_node("Range", ["zero", "N", "one"], ["r"], name="range"),
         helper.make_node("Mul", ["r", "half"], ["scaled"], name="scale"),
         helper.make_node("Add", ["scaled", "scaled"], ["Y"], name="twice")],
        "range_pinned", [vi("N", F, [])], [vi("Y", F, [5])])
    onnx.save(model(g), os.path.join(out, "model.onnx"))


CASES = {f.__name__: f for f in (if_runtime, if_folded, if_mismatch, if_random, scan, scan8, scan_too_long, loop,
                                  loop_nested, loop_growing, loop_refusals, loop_runtime_trip, range_pinned)}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in CASES:
        sys.exit(f"usage: {sys.argv[0]} {{{'|'.join(CASES)}}} OUTDIR")
    os.makedirs(sys.argv[2], exist_ok=True)
    CASES[sys.argv[1]](sys.argv[2])
