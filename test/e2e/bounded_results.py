#!/usr/bin/python3
"""End-to-end check of the ops whose result shape depends on input values: NonZero, Compress, Unique,
NonMaxSuppression. Builds small ONNX models (outputs declared without shapes), compiles each with
sinter-compile, runs it with sinter-run on seeded random inputs and compares every output's shape, dtype and
values with a NumPy reference written from the ONNX operator definitions (Unique: np.unique, unsorted order
as ONNX's backend test derives it; NonMaxSuppression: the greedy algorithm of ONNX Runtime's CPU kernel).
All these outputs are copies or indices: they must match exactly (tolerance 0).

    bounded_results.py --compile PATH/sinter-compile --run PATH/sinter-run --work DIR
"""
import argparse
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

DTYPES = {np.dtype(np.float32): TensorProto.FLOAT, np.dtype(np.int64): TensorProto.INT64,
          np.dtype(np.int32): TensorProto.INT32, np.dtype(np.bool_): TensorProto.BOOL,
          np.dtype(np.uint8): TensorProto.UINT8, np.dtype(np.float64): TensorProto.DOUBLE}


def model(op, inputs, outputs, attrs, initializers=(), opset=17):
    """inputs: [(name, array)] fed at run time; initializers: [(name, array)] baked into the model."""
    node = helper.make_node(op, [n for n, _ in inputs] + [n for n, _ in initializers] if not attrs.get('_order')
                            else attrs.pop('_order'), [n for n, _, _ in outputs], **attrs)
    graph = helper.make_graph(
        [node], op.lower(),
        [helper.make_tensor_value_info(n, DTYPES[a.dtype], a.shape) for n, a in inputs],
        # Outputs declared with symbolic dims only: their shapes come from the op.
        [helper.make_tensor_value_info(n, t, ["%s_d%d" % (n, i) for i in range(rank)]) for n, t, rank in outputs],
        [numpy_helper.from_array(a, n) for n, a in initializers])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    onnx.checker.check_model(m)
    return m


class Runner:
    def __init__(self, args):
        self.args = args
        self.count = 0
        self.failures = []

    def check(self, label, m, feeds, expected):
        self.count += 1
        d = os.path.join(self.args.work, "case%03d" % self.count)
        os.makedirs(d, exist_ok=True)
        onnx.save(m, os.path.join(d, "model.onnx"))
        cmd = [self.args.compile, os.path.join(d, "model.onnx"), "-o", os.path.join(d, "model.sinter")]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            self.failures.append("%s: compile failed: %s" % (label, r.stderr.strip()))
            return
        run = [self.args.run, os.path.join(d, "model.sinter"), "--output-dir", os.path.join(d, "out")]
        for name, a in feeds:
            np.save(os.path.join(d, name + ".npy"), a)
            run += ["--input", "%s=%s" % (name, os.path.join(d, name + ".npy"))]
        r = subprocess.run(run, capture_output=True, text=True)
        if r.returncode != 0:
            self.failures.append("%s: run failed: %s" % (label, r.stderr.strip()))
            return
        for name, want in expected.items():
            got = np.load(os.path.join(d, "out", name + ".npy"))
            want = np.asarray(want)
            if got.shape != want.shape or got.dtype != want.dtype or not np.array_equal(got, want):
                self.failures.append("%s: output %s: got %s %s %s, want %s %s %s" % (
                    label, name, got.dtype, got.shape, got.tolist(), want.dtype, want.shape, want.tolist()))


def unique_reference(x, axis, sorted_):
    y, indices, inverse, counts = np.unique(x, True, True, True, axis=axis)
    if not sorted_:
        order = np.argsort(indices)
        remap = {int(i): si for si, i in enumerate(order)}
        indices = indices[order]
        y = np.take(x, indices, axis=0 if axis is None else axis) if axis is not None else x.flatten()[indices]
        inverse = np.asarray([remap[int(i)] for i in inverse.reshape(-1)])
        counts = counts[order]
    return y, indices.astype(np.int64), inverse.reshape(-1).astype(np.int64), counts.astype(np.int64)


def suppress(b1, b2, center, threshold):
    def corners(b):
        if center:
            return b[0] - b[2] / 2, b[1] - b[3] / 2, b[0] + b[2] / 2, b[1] + b[3] / 2
        return min(b[1], b[3]), min(b[0], b[2]), max(b[1], b[3]), max(b[0], b[2])
    x1a, y1a, x2a, y2a = corners(b1)
    x1b, y1b, x2b, y2b = corners(b2)
    iw = max(np.float32(0), min(x2a, x2b) - max(x1a, x1b))
    ih = max(np.float32(0), min(y2a, y2b) - max(y1a, y1b))
    inter = iw * ih
    if inter <= 0:
        return False
    area1 = (x2a - x1a) * (y2a - y1a)
    area2 = (x2b - x1b) * (y2b - y1b)
    union = area1 + area2 - inter
    if area1 <= 0 or area2 <= 0 or union <= 0:
        return False
    return inter / union > threshold


def nms_reference(boxes, scores, max_out, iou, score_thr, center):
    rows = []
    for b in range(scores.shape[0]):
        for c in range(scores.shape[1]):
            s = scores[b, c]
            order = sorted(range(len(s)), key=lambda t: (-s[t], t))
            kept = []
            for t in order:
                if len(kept) >= max_out:
                    break
                if score_thr is not None and not s[t] > score_thr:
                    continue
                if any(suppress(boxes[b, t], boxes[b, u], center, iou) for u in kept):
                    continue
                kept.append(t)
            rows += [[b, c, t] for t in kept]
    return np.array(rows, dtype=np.int64).reshape(-1, 3)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--compile", required=True)
    p.add_argument("--run", required=True)
    p.add_argument("--work", required=True)
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    rng = np.random.default_rng(7)
    R = Runner(args)

    # NonZero: ints, floats, bools; none and all nonzero.
    for shape, dtype in [((7,), np.int32), ((3, 4), np.float32), ((2, 3, 4), np.int64), ((4, 5), np.bool_),
                         ((6,), np.uint8), ((37, 29), np.float32)]:
        for fill in ("random", "zeros", "ones"):
            x = (rng.integers(0, 3, size=shape) * (rng.random(shape) < 0.5)).astype(dtype)
            if fill == "zeros":
                x = np.zeros(shape, dtype)
            elif fill == "ones":
                x = np.ones(shape, dtype)
            R.check("NonZero %s %s %s" % (shape, np.dtype(dtype).name, fill),
                    model("NonZero", [("x", x)], [("y", TensorProto.INT64, 2)], {}), [("x", x)],
                    {"y": np.array(np.nonzero(x), dtype=np.int64)})

    # Compress: with and without axis (negative too), conditions shorter than the axis, all false.
    x = rng.standard_normal((3, 4, 5)).astype(np.float32)
    for axis in (None, 0, 1, 2, -1):
        extent = x.size if axis is None else x.shape[axis]
        for length in (extent, max(extent - 2, 1)):
            for trial in range(2):
                cond = rng.random(length) < 0.5
                if trial == 1 and length == extent:
                    cond[:] = False
                attrs = {} if axis is None else {"axis": axis}
                want = np.compress(cond, x, axis=axis)
                R.check("Compress axis %s len %d trial %d" % (axis, length, trial),
                        model("Compress", [("x", x), ("c", cond)], [("y", TensorProto.FLOAT, 1 if axis is None else 3)], attrs),
                        [("x", x), ("c", cond)], {"y": want})
    # An empty condition: nothing selected.
    cond = np.zeros((0,), bool)
    R.check("Compress empty condition", model("Compress", [("x", x), ("c", cond)], [("y", TensorProto.FLOAT, 3)],
                                              {"axis": 1}), [("x", x), ("c", cond)], {"y": np.zeros((3, 0, 5), np.float32)})
    # Many candidates (the per-block walk over 1073 of them, the last block short).
    x = rng.standard_normal((1073, 2)).astype(np.float32)
    cond = rng.random(1073) < 0.3
    R.check("Compress 1073 rows", model("Compress", [("x", x), ("c", cond)], [("y", TensorProto.FLOAT, 2)],
                                        {"axis": 0}), [("x", x), ("c", cond)], {"y": np.compress(cond, x, axis=0)})
    xi = rng.integers(-5, 5, size=(4, 3)).astype(np.int64)
    cond = np.array([True, False, True, True])
    R.check("Compress int64 axis 0", model("Compress", [("x", xi), ("c", cond)], [("y", TensorProto.INT64, 2)],
                                         {"axis": 0}), [("x", xi), ("c", cond)],
            {"y": np.compress(cond, xi, axis=0)})

    # Unique: every output, sorted and not, with and without axis; floats and ints with repeats.
    cases = [(rng.integers(0, 4, size=(10,)).astype(np.float32), None),
             (rng.integers(-3, 3, size=(3, 5)).astype(np.int64), None),
             (np.array([[1, 0, 0], [1, 0, 0], [2, 3, 4], [0, 1, 1], [2, 3, 4]], np.float32), 0),
             (rng.integers(0, 2, size=(2, 6, 2)).astype(np.int32), 1),
             (rng.integers(0, 2, size=(3, 2, 4)).astype(np.float32), -1),
             (rng.integers(0, 2, size=(4, 2)).astype(np.float32), 0)]
    for x, axis in cases:
        for sorted_ in (1, 0):
            attrs = {"sorted": sorted_}
            if axis is not None:
                attrs["axis"] = axis
            y, idx, inv, cnt = unique_reference(x, axis, sorted_)
            R.check("Unique %s axis %s sorted %d" % (x.shape, axis, sorted_),
                    model("Unique", [("x", x)], [("y", DTYPES[x.dtype], 1 if axis is None else x.ndim),
                                                 ("indices", TensorProto.INT64, 1), ("inverse", TensorProto.INT64, 1),
                                                 ("counts", TensorProto.INT64, 1)],
                          attrs), [("x", x)], {"y": y, "indices": idx, "inverse": inv, "counts": cnt})
    # Only Y requested (the optional outputs absent).
    x = rng.integers(0, 5, size=(9,)).astype(np.int64)
    R.check("Unique Y only", model("Unique", [("x", x)], [("y", TensorProto.INT64, 1)], {}), [("x", x)],
            {"y": np.unique(x)})

    # NonMaxSuppression: random boxes in both formats; thresholds and max_output given or absent.
    for trial in range(8):
        b, c, n = [(1, 1, 6), (2, 3, 8), (1, 2, 10), (3, 1, 5)][trial % 4]
        center = trial % 2
        pts = rng.random((b, n, 4)).astype(np.float32)
        if center:
            boxes = np.concatenate([pts[..., :2], pts[..., 2:] * 0.6 + 0.05], axis=-1).astype(np.float32)
        else:
            boxes = np.concatenate([pts[..., :2], pts[..., :2] + (pts[..., 2:] * 0.6 - 0.3)], axis=-1).astype(np.float32)
        scores = rng.random((b, c, n)).astype(np.float32)
        scores[..., 1] = scores[..., 0]  # a tie: the lower box index goes first
        max_out = np.array([[3, 100, 0, 5][trial % 4]], np.int64)
        iou = np.array([[0.3, 0.5, 0.0, 0.7][trial // 2 % 4]], np.float32)
        score_thr = np.array([0.2 if trial % 3 else 0.0], np.float32)
        feeds = [("boxes", boxes), ("scores", scores)]
        names = ["boxes", "scores"]
        inits = []
        mode = trial % 4  # 0: all inputs at run time, 1: max_out constant, 2: no score threshold, 3: only max_out
        if mode == 1:
            inits.append(("max_out", max_out))
        else:
            feeds.append(("max_out", max_out))
        names.append("max_out")
        if mode != 3:
            feeds.append(("iou", iou))
            names.append("iou")
        else:
            names.append("")
        if mode in (0, 1):
            feeds.append(("score_thr", score_thr))
            names.append("score_thr")
        m = model("NonMaxSuppression", [f for f in feeds if f[0] != "max_out"] + [f for f in feeds if f[0] == "max_out"],
                  [("selected", TensorProto.INT64, 2)], {"_order": names, "center_point_box": center}, inits)
        want = nms_reference(boxes, scores, int(max_out[0]), float(iou[0]) if mode != 3 else 0.0,
                             float(score_thr[0]) if mode in (0, 1) else None, center)
        R.check("NonMaxSuppression trial %d (center %d, mode %d)" % (trial, center, mode), m, feeds,
                {"selected": want})
    # A constant max_output_boxes_per_class of 0: a zero-size bound, no boxes.
    zero = [("max_out", np.array([0], np.int64))]
    R.check("NonMaxSuppression constant max_output 0",
            model("NonMaxSuppression", [("boxes", boxes), ("scores", scores)], [("selected", TensorProto.INT64, 2)],
                  {"_order": ["boxes", "scores", "max_out"]}, zero),
            [("boxes", boxes), ("scores", scores)], {"selected": np.zeros((0, 3), np.int64)})
    # max_output_boxes_per_class absent: no boxes.
    boxes = rng.random((1, 4, 4)).astype(np.float32)
    scores = rng.random((1, 2, 4)).astype(np.float32)
    R.check("NonMaxSuppression without max_output", model("NonMaxSuppression", [("boxes", boxes), ("scores", scores)],
                                                        [("selected", TensorProto.INT64, 2)], {}),
            [("boxes", boxes), ("scores", scores)], {"selected": np.zeros((0, 3), np.int64)})

    for f in R.failures:
        print("FAIL " + f)
    print("bounded results: %d cases, %d failed" % (R.count, len(R.failures)))
    return 1 if R.failures else 0


if __name__ == "__main__":
    sys.exit(main())
