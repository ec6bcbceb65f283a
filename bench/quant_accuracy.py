#!/usr/bin/python3
"""Logits error of Sinter's weight quantization at equal size: uniform round-to-nearest against bit allocation
(--weight-budget) with fp16 outliers (--outliers), on a GPT-style model.

    /usr/bin/python3 bench/quant_accuracy.py [--tools build/bin] [--model test/models/gpt2_wide_op17.onnx]
                                            [--out bench/results/DATE-quant-accuracy]

For each row, the uniform configuration fixes the size (its bits per weight count codes, scales, zero points and
outliers exactly as the budget does); every other column is compiled with `--weight-budget=<that many bytes>`,
so all entries of a row have at most the same bytes. Error: relative L2 distance of the logits from the fp32
Sinter module's, over held-out token sequences (not in the calibration set). Writes a markdown table and JSON.
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# (row label, uniform flags). Bits per weight of the uniform row with fp16 scales: bits + 16 / group.
# 3.0 and 4.0 exactly need group 16 (2 + 16/16, 3 + 16/16); 3.125 and 4.125 are the usual 3- and 4-bit g128.
ROWS = [
    ("2.5", ["--weight-bits=2", "--group-size=32"]),
    ("3.0", ["--weight-bits=2", "--group-size=16"]),
    ("3.125", ["--weight-bits=3", "--group-size=128"]),
    ("4.0", ["--weight-bits=3", "--group-size=16"]),
    ("4.125", ["--weight-bits=4", "--group-size=128"]),
]
# Columns compiled at the uniform row's bytes (group 128: the allocation spends the bits on codes).
BUDGET_COLUMNS = [
    ("alloc (RTN)", ["--group-size=128"]),
    ("alloc + 1% outliers (RTN)", ["--group-size=128", "--outliers=0.01"]),
    ("alloc + 1% outliers (GPTQ)", ["--group-size=128", "--outliers=0.01", "--weight-method=gptq"]),
]


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit("quant_accuracy.py: %s failed:\n%s%s" % (" ".join(cmd), r.stdout, r.stderr))
    return r.stdout


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--tools", default=os.path.join(ROOT, "build", "bin"))
    p.add_argument("--model", default=os.path.join(ROOT, "test", "models", "gpt2_wide_op17.onnx"))
    p.add_argument("--input", default="input_ids")
    p.add_argument("--shape", default="1x16")
    p.add_argument("--vocab", type=int, default=128)
    p.add_argument("--calibration-samples", type=int, default=16)
    p.add_argument("--eval-samples", type=int, default=4)
    p.add_argument("--out", default=os.path.join(HERE, "results", datetime.date.today().isoformat() + "-quant-accuracy"))
    a = p.parse_args()
    compile_, run_ = os.path.join(a.tools, "sinter-compile"), os.path.join(a.tools, "sinter-run")
    shape = tuple(int(d) for d in a.shape.split("x"))

    with tempfile.TemporaryDirectory() as tmp:
        calib = os.path.join(tmp, "calib")
        for i in range(a.calibration_samples):
            os.makedirs(os.path.join(calib, "s%02d" % i))
            np.save(os.path.join(calib, "s%02d" % i, a.input + ".npy"),
                    np.random.default_rng(1000 + i).integers(0, a.vocab, size=shape, dtype=np.int64))
        evals = []
        for i in range(a.eval_samples):
            f = os.path.join(tmp, "eval%d.npy" % i)
            np.save(f, np.random.default_rng(5000 + i).integers(0, a.vocab, size=shape, dtype=np.int64))
            evals.append(f)

        def logits(flags, tag):
            module, report = os.path.join(tmp, tag + ".sinter"), os.path.join(tmp, tag + ".json")
            cmd = [compile_, a.model, "-o", module] + flags
            if flags:
                cmd += ["--report=" + report, "--calibration=" + calib]
            run(cmd)
            outs = []
            for i, e in enumerate(evals):
                d = os.path.join(tmp, "%s-out%d" % (tag, i))
                run([run_, module, "--input", "%s=%s" % (a.input, e), "--output-dir", d])
                outs.append(np.load(os.path.join(d, sorted(os.listdir(d))[0])).astype(np.float64))
            rep = json.load(open(report)) if flags else None
            return outs, rep

        ref, _ = logits([], "fp32")

        def error(outs):
            num = sum(float(np.sum((q - f) ** 2)) for q, f in zip(outs, ref))
            den = sum(float(np.sum(f ** 2)) for f in ref)
            return (num / den) ** 0.5

        rows = []
        for label, flags in ROWS:
            outs, rep = logits(flags, "u" + label)
            size = rep["totals"]["bytes"]
            row = {"bits_per_weight": rep["totals"]["average_bits"], "bytes": size, "uniform_flags": flags,
                   "uniform_rtn": error(outs), "columns": {}}
            for name, extra in BUDGET_COLUMNS:
                bflags = ["--weight-budget=%dB" % size] + extra
                outs, brep = logits(bflags, "b%s-%d" % (label, len(row["columns"])))
                row["columns"][name] = {"error": error(outs), "bytes": brep["totals"]["bytes"],
                                        "bits_per_weight": brep["totals"]["average_bits"], "flags": bflags,
                                        "widths": [l["bits"] for l in brep["layers"]]}
                print("%-6s %-28s %.4f (uniform RTN %.4f)" % (label, name, row["columns"][name]["error"],
                                                             row["uniform_rtn"]), flush=True)
            rows.append(row)

    os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
    result = {"model": os.path.relpath(a.model, ROOT), "eval_sequences": a.eval_samples,
              "calibration_sequences": a.calibration_samples, "shape": a.shape, "rows": rows}
    with open(a.out + ".json", "w") as f:
        json.dump(result, f, indent=1)
    names = [n for n, _ in BUDGET_COLUMNS]
    lines = ["# Logits error at equal size: uniform RTN vs bit allocation + outliers", "",
             "Model `%s`; relative L2 logits error vs the fp32 module over %d held-out sequences (shape %s); "
             "%d calibration sequences. Each row's budget is the uniform configuration's bytes (codes, fp16 "
             "scales, zero points and outliers counted alike)." % (result["model"], a.eval_samples, a.shape,
                                                                  a.calibration_samples), "",
             "| bits/weight | uniform RTN | " + " | ".join(names) + " |",
             "|---|---|" + "---|" * len(names)]
    for r in rows:
        cells = ["%.4f (%.3f b, widths %s)" % (r["columns"][n]["error"], r["columns"][n]["bits_per_weight"],
                                               ",".join(str(b) for b in r["columns"][n]["widths"])) for n in names]
        lines.append("| %.3f | %.4f (%s) | %s |" % (r["bits_per_weight"], r["uniform_rtn"],
                                                   " ".join(r["uniform_flags"]), " | ".join(cells)))
    with open(a.out + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
