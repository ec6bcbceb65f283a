#!/usr/bin/python3
"""ONNX backend conformance runner: compiles and runs each test of libonnx-testdata with Sinter.

    run_conformance.py [--suite node|pytorch-converted|pytorch-operator] [--filter REGEX] [--limit N]
                       [-j N] [--report DIR] [--baseline FILE] [--tools build/bin]

For each test: compile model.onnx (binding dynamic input dims from the test's inputs), run it on
test_data_set_0/input_*.pb, and compare with output_*.pb using ONNX's backend tolerances (floats: rtol 1e-3,
atol 1e-7; integers and bools exactly; shapes and dtypes must match). Each test ends as
  pass | fail (wrong values) | unsupported (compile or run refused it, with the first error line) |
  error (crash or timeout) | skipped (inputs or outputs are not plain tensors).
--baseline FILE: exit 1 when fewer plain-tensor tests pass than the number in FILE (the CI guard).
"""
import argparse
import collections
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import numpy_helper

DATA = "/usr/share/libonnx-testdata/data"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def safe(name):
    out = "".join(c if c.isalnum() or c in "_-." else "_" for c in name)
    return "_" + out if not out or out[0] == "." else out


def load_tensors(folder, prefix):
    """The folder's <prefix>_N.pb files in order, or None if one is not a plain tensor."""
    files = sorted((f for f in os.listdir(folder) if re.fullmatch(prefix + r"_\d+\.pb", f)),
                   key=lambda f: int(re.findall(r"\d+", f)[-1]))
    tensors = []
    for f in files:
        data = open(os.path.join(folder, f), "rb").read()
        t = onnx.TensorProto()
        try:
            t.ParseFromString(data)
        except Exception:
            return None
        if not t.dims and not t.raw_data and t.data_type == 0:
            return None  # a sequence/optional serialized differently
        try:
            tensors.append(numpy_helper.to_array(t))
        except Exception:
            return None
    return tensors


def compare(actual, expected):
    if actual.shape != expected.shape or actual.dtype != expected.dtype:
        return False, f"got {actual.dtype}{list(actual.shape)}, expected {expected.dtype}{list(expected.shape)}"
    if expected.dtype.kind in "fc":
        np.seterr(all="ignore")  # inf - inf in the error computation is expected; equal infs pass via a == e
        a, e = actual.astype(np.float64), expected.astype(np.float64)
        ok = np.all((np.abs(a - e) <= 1e-7 + 1e-3 * np.abs(e)) | (np.isnan(a) & np.isnan(e)) | (a == e))
        err = float(np.nanmax(np.abs(a - e))) if a.size else 0.0
        return bool(ok), f"max abs err {err:.3g}"
    ok = np.array_equal(actual, expected)
    return bool(ok), "equal" if ok else "values differ"


def run_test(test_dir, tools, timeout):
    name = os.path.basename(test_dir)
    model = onnx.load(os.path.join(test_dir, "model.onnx"), load_external_data=False)
    ops = sorted({n.op_type for n in model.graph.node})
    result = {"test": name, "ops": ops}
    data_dir = os.path.join(test_dir, "test_data_set_0")
    inputs, outputs = load_tensors(data_dir, "input"), load_tensors(data_dir, "output")
    graph_inputs = [i for i in model.graph.input if i.name not in {t.name for t in model.graph.initializer}]
    plain = (inputs is not None and outputs is not None and
             all(i.type.HasField("tensor_type") for i in graph_inputs) and
             all(o.type.HasField("tensor_type") for o in model.graph.output) and
             len(inputs) == len(graph_inputs) and len(outputs) == len(model.graph.output))
    result["plain"] = plain
    if not plain:
        result.update(status="skipped", reason="inputs or outputs are not plain tensors")
        return result
    if any(a.dtype.kind in "OUS" for a in inputs + outputs):
        result.update(status="unsupported", reason="string tensors")
        return result
    with tempfile.TemporaryDirectory(prefix="sinter-conf-") as tmp:
        args = [os.path.join(tools, "sinter-compile"), os.path.join(test_dir, "model.onnx"),
                "-o", os.path.join(tmp, "m.sinter")]
        run_args = [os.path.join(tools, "sinter-run"), os.path.join(tmp, "m.sinter"), "--output-dir",
                    os.path.join(tmp, "out"), "--threads", "1"]
        for info, array in zip(graph_inputs, inputs):
            dims = info.type.tensor_type.shape.dim
            if any(not d.HasField("dim_value") for d in dims) or not info.type.tensor_type.HasField("shape"):
                args += ["--input-shape", f"{info.name}=" + "x".join(str(d) for d in array.shape)]
            path = os.path.join(tmp, f"in_{len(run_args)}.npy")
            np.save(path, array)
            run_args += ["--input", f"{info.name}={path}"]
        for stage, cmd in (("compile", args), ("run", run_args)):
            try:
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
            except subprocess.TimeoutExpired:
                result.update(status="error", reason=f"{stage} timed out after {timeout} s")
                return result
            if p.returncode < 0 or p.returncode > 1:
                result.update(status="error", reason=f"{stage} crashed (exit {p.returncode})")
                return result
            if p.returncode != 0:
                line = next((l for l in p.stderr.splitlines() if "error" in l), p.stderr.strip()[:300])
                result.update(status="unsupported", reason=f"{stage}: " + re.sub(r"^.*?error: \S+?: ", "", line))
                return result
        details = []
        ok_all = True
        for info, expected in zip(model.graph.output, outputs):
            path = os.path.join(tmp, "out", safe(info.name) + ".npy")
            if not os.path.exists(path):
                ok_all, details = False, details + [f"{info.name}: missing"]
                continue
            ok, detail = compare(np.load(path), expected)
            ok_all &= ok
            details.append(f"{info.name}: {detail}")
        result.update(status="pass" if ok_all else "fail", reason="; ".join(details))
        return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--suite", default="node")
    ap.add_argument("--filter", default="")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--report", default="")
    ap.add_argument("--baseline", default="")
    ap.add_argument("--tools", default=os.path.join(REPO, "build", "bin"))
    ap.add_argument("--timeout", type=int, default=60)
    args = ap.parse_args()

    root = os.path.join(DATA, args.suite)
    tests = sorted(d for d in os.listdir(root) if re.search(args.filter, d))
    if args.limit:
        tests = tests[: args.limit]
    start = time.time()
    with concurrent.futures.ThreadPoolExecutor(args.j) as pool:
        results = list(pool.map(lambda t: run_test(os.path.join(root, t), args.tools, args.timeout), tests))
    elapsed = time.time() - start

    counts = collections.Counter(r["status"] for r in results)
    plain = [r for r in results if r["plain"]]
    plain_pass = sum(r["status"] == "pass" for r in plain)
    summary = [f"# Sinter on the ONNX backend tests ({args.suite}, libonnx-testdata)", "",
               f"{len(results)} tests in {elapsed:.0f} s: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
               f"plain-tensor tests: {plain_pass} / {len(plain)} pass ({100.0 * plain_pass / max(1, len(plain)):.1f}%)",
               "", "## Top reasons (unsupported / fail / error)", ""]
    reasons = collections.Counter(re.sub(r"'[^']*'|\d+(\.\d+)?(e-?\d+)?", "_", r["reason"])[:120]
                                  for r in results if r["status"] in ("unsupported", "fail", "error"))
    summary += [f"- {n} x {reason}" for reason, n in reasons.most_common(25)]
    per_op = collections.defaultdict(lambda: [0, 0])
    for r in plain:
        for op in r["ops"]:
            per_op[op][0] += 1
            per_op[op][1] += r["status"] == "pass"
    summary += ["", "## Per op (plain-tensor tests containing it)", "", "| op | tests | pass |", "|---|---|---|"]
    summary += [f"| {op} | {n} | {p} |" for op, (n, p) in sorted(per_op.items())]
    summary += ["", "## Per test", ""] + [f"- {r['test']}: {r['status']} {r['reason']}" for r in results]
    print("\n".join(summary[:3 + 3 + min(25, len(reasons))]))
    if args.report:
        os.makedirs(args.report, exist_ok=True)
        open(os.path.join(args.report, "summary.md"), "w").write("\n".join(summary) + "\n")
        json.dump(results, open(os.path.join(args.report, "results.json"), "w"), indent=1)

    if args.baseline:
        lines = [l.split("#")[0].strip() for l in open(args.baseline)]
        baseline = int(next(l for l in lines if l))
        print(f"{plain_pass} of {len(plain)} plain-tensor tests pass")
        if plain_pass < baseline:
            print(f"FAIL: {plain_pass} plain-tensor tests pass, fewer than the baseline {baseline}")
            return 1
        print(f"baseline {baseline}: met ({plain_pass} pass)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
