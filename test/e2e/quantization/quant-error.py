#!/usr/bin/python3
"""Helpers for the quantized end-to-end tests.

    quant-error.py calibration DIR --input NAME --shape 1x8 --vocab V [--samples N] [--seed S]
        writes DIR/sample_<i>/<NAME>.npy: int64 token ids, uniform in [0, V), seeded
    quant-error.py tokens FILE --shape 1x8 --vocab V --seed S
        writes one such array (an evaluation input that is not in the calibration set)
    quant-error.py compare QUANT.npy FP32.npy [QUANT.npy FP32.npy ...] --max REL [--label TEXT]
        relative L2 error ||q - f|| / ||f|| over all pairs together; prints it and fails above REL
    quant-error.py order A B [...]
        reads the error values printed by `compare` into files A, B, ... and fails unless A < B < ...
    quant-error.py report FILE.json [--layers N]
        checks a --report: N layers with every field, bytes summing to the total, within the budget if any
"""
import json
import argparse
import os
import sys

import numpy as np


def tokens(shape, vocab, seed):
    return np.random.default_rng(seed).integers(0, vocab, size=shape, dtype=np.int64)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("calibration")
    c.add_argument("dir")
    c.add_argument("--input", required=True)
    c.add_argument("--shape", required=True)
    c.add_argument("--vocab", type=int, required=True)
    c.add_argument("--samples", type=int, default=8)
    c.add_argument("--seed", type=int, default=1)
    t = sub.add_parser("tokens")
    t.add_argument("file")
    t.add_argument("--shape", required=True)
    t.add_argument("--vocab", type=int, required=True)
    t.add_argument("--seed", type=int, required=True)
    m = sub.add_parser("compare")
    m.add_argument("files", nargs="+")
    m.add_argument("--max", type=float, required=True)
    m.add_argument("--label", default="")
    o = sub.add_parser("order")
    o.add_argument("files", nargs="+")
    r = sub.add_parser("report")
    r.add_argument("file")
    r.add_argument("--layers", type=int, required=True)
    a = p.parse_args()

    if a.cmd == "calibration":
        shape = tuple(int(d) for d in a.shape.split("x"))
        for i in range(a.samples):
            d = os.path.join(a.dir, "sample_%02d" % i)
            os.makedirs(d, exist_ok=True)
            np.save(os.path.join(d, a.input + ".npy"), tokens(shape, a.vocab, a.seed * 1000 + i))
        return 0
    if a.cmd == "tokens":
        np.save(a.file, tokens(tuple(int(d) for d in a.shape.split("x")), a.vocab, a.seed))
        return 0
    if a.cmd == "compare":
        if len(a.files) % 2:
            print("compare needs QUANT FP32 pairs")
            return 2
        num = den = 0.0
        for q, f in zip(a.files[::2], a.files[1::2]):
            qa, fa = np.load(q).astype(np.float64), np.load(f).astype(np.float64)
            if qa.shape != fa.shape:
                print("shape mismatch: %s %s vs %s %s" % (q, qa.shape, f, fa.shape))
                return 1
            num += float(np.sum((qa - fa) ** 2))
            den += float(np.sum(fa ** 2))
        err = (num / den) ** 0.5 if den > 0 else float("inf")
        ok = err <= a.max
        print("relative L2 error %s: %.6f (bound %.4f) %s" % (a.label, err, a.max, "ok" if ok else "TOO LARGE"))
        return 0 if ok else 1
    if a.cmd == "order":
        values = []
        for f in a.files:
            text = open(f).read().split("error")[1].split(":")[1].split()[0]
            values.append(float(text))
        ok = all(x < y for x, y in zip(values, values[1:]))
        print("errors in order: %s %s" % (values, "ok" if ok else "NOT INCREASING"))
        return 0 if ok else 1
    if a.cmd == "report":
        rep = json.load(open(a.file))
        layers = rep["layers"]
        fields = ["name", "op", "k", "n", "bits", "group_size", "outliers", "bytes", "fp32_bytes", "relative_error",
                  "calibrated"]
        problems = []
        if len(layers) != a.layers:
            problems.append("%d layers, expected %d" % (len(layers), a.layers))
        for l in layers:
            problems += ["%s: no %s" % (l.get("name"), f) for f in fields if f not in l]
        total = sum(l["bytes"] for l in layers)
        if total != rep["totals"]["bytes"]:
            problems.append("layer bytes sum to %d, total says %d" % (total, rep["totals"]["bytes"]))
        if rep["budget"] is not None and total > rep["budget_bytes"]:
            problems.append("%d bytes exceed the budget of %d" % (total, rep["budget_bytes"]))
        print("report: %d layers, %d bytes vs %d fp32, bits %s %s" % (
            len(layers), total, rep["totals"]["fp32_bytes"], [l["bits"] for l in layers],
            "ok" if not problems else "; ".join(problems)))
        return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
