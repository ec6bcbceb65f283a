#!/usr/bin/python3
"""Sinter against ONNX Runtime 1.30 on the same machine, in one run.

    /usr/bin/python3 bench/run_bench.py [--cases A,B] [--threads 1,2] [--rounds 5] [--tools build/bin]
                                        [--budget-s 1.0] [--out bench/results]

Setup (once): build Sinter (scripts/build.sh), `cd bench && ONNXRUNTIME_NODE_INSTALL=skip npm ci`, and have
Debian's python3-torch for the torch-exported models (bench/make_models.py makes them on first use).

Per case: make the model, compile it with sinter-compile for this machine (timed: compile time is reported),
write the inputs (fixed seed) as .npy, check Sinter's outputs against ORT's (max |error| relative to the
largest |reference| value), then for each thread count run `rounds` rounds, each round timing Sinter
(sinter-bench) and ORT (ort_bench.js) back to back, alternating which goes first, each with its own
warm-up. Times are pooled over the rounds; the table shows medians, the spread (p10-p90 over median), and
the ratio Sinter/ORT (below 1: Sinter is faster). The machine's roofs come from sinter-machine-limits in the
same run. Results go to OUT/<date>.md and OUT/<date>.json.
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.path.join(HERE, "work")
sys.path.insert(0, HERE)
import make_models  # noqa: E402

# Work per run, for GFLOP/s and GB/s columns: case -> (flops, bytes of weights read).
GEMM_FLOPS = {"gemm_1024": 2 * 1024 ** 3, "gemv_4096": 2 * 4096 * 4096}
GEMV_BYTES = {"gemv_4096": 4096 * 4096 * 4, "gemv_4096x8": 8 * 4096 * 4096 * 4}
# Quantized GEMVs (8 layers, group 128, fp16 scales): codes plus one 2-byte scale per 128 weights.
GEMV_BYTES.update({f"gemv_4096x8_w{b}": 8 * (4096 * 4096 * b // 8 + 4096 * 32 * 2) for b in (8, 4, 3)})
GEMV_BYTES["gemv_4096x8_w4a8"] = GEMV_BYTES["gemv_4096x8_w4"]
GEMV_BYTES["gemv_4096x8_w3a8"] = GEMV_BYTES["gemv_4096x8_w3"]
# What a reader of a row needs to know about how the two tools compute it.
CASE_NOTES = {
    "decode_gpt_d1024_mnb4": "one MatMulNBits model for both; at its accuracy_level 4 both round A to int8 per "
                             "block (the error column shows the two agree; docs/QUANTIZATION.md)",
    "decode_gpt_d1024_w4a8": "Sinter's 4-bit g128 with int8 activations (--int8-activations); ORT runs fp32",
    "decode_gpt_d1024_w3a8": "Sinter's 3-bit g128 with int8 activations (--int8-activations); ORT runs fp32",
}


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def machine(tools):
    info = {"platform": platform.platform(), "cores": os.cpu_count()}
    with open("/proc/cpuinfo") as f:
        text = f.read()
    m = re.search(r"^model name\s*:\s*(.*)$", text, re.M)
    info["cpu"] = m.group(1).strip() if m else platform.processor()
    m = re.search(r"^flags\s*:\s*(.*)$", text, re.M)
    flags = m.group(1).split() if m else []
    info["simd_flags"] = [f for f in flags if re.match(r"(sse4_2|avx|avx2|fma|f16c|avx512.*|amx.*|avx_vnni)$", f)]
    out = run([os.path.join(tools, "sinter-machine-limits")])
    if out.returncode != 0:
        sys.exit("run_bench.py: error: sinter-machine-limits failed: " + out.stderr.strip())
    for line in out.stdout.splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip() if key.strip() == "fma_isa" else float(value)
    return info


def make_inputs(case):
    folder = os.path.join(WORK, "inputs", case)
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(7)
    files = []
    for name, dtype, shape, kind in make_models.CASES[case][1]:
        if kind == "uniform":
            data = rng.uniform(-1, 1, shape).astype(np.float32)
        elif kind == "ids":
            data = rng.integers(0, 1000, shape).astype(np.int64)
        else:
            data = np.ones(shape, np.int64)
        path = os.path.join(folder, name + ".npy")
        np.save(path, data)
        files.append((name, path))
    return files


def compile_model(tools, case, model, flags=()):
    module = os.path.join(WORK, "modules", case + ".sinter")
    os.makedirs(os.path.dirname(module), exist_ok=True)
    start = time.monotonic()
    out = run([os.path.join(tools, "sinter-compile"), model, "-o", module] + list(flags))
    seconds = time.monotonic() - start
    if out.returncode != 0:
        return None, seconds, (out.stderr.strip().splitlines() or ["?"])[0]
    return module, seconds, None


def check_outputs(tools, case, module, model, inputs):
    """Max |sinter - ort| / max |ort| over the float outputs."""
    s_dir, o_dir = os.path.join(WORK, "out", case, "sinter"), os.path.join(WORK, "out", case, "ort")
    args = sum([["--input", f"{n}={p}"] for n, p in inputs], [])
    a = run([os.path.join(tools, "sinter-run"), module, "--output-dir", s_dir, "--threads", "1"] + args)
    b = run(["node", os.path.join(HERE, "ort_bench.js"), model, "--repeat", "1", "--warmup", "0",
             "--output-dir", o_dir] + args)
    if a.returncode or b.returncode:
        return None, (a.stderr + b.stderr).strip()
    worst = 0.0
    for name in os.listdir(o_dir):
        ref = np.load(os.path.join(o_dir, name)).astype(np.float64)
        got = np.load(os.path.join(s_dir, name)).astype(np.float64)
        if ref.shape != got.shape:
            return None, f"output {name}: shape {got.shape} vs ORT {ref.shape}"
        worst = max(worst, float(np.max(np.abs(got - ref)) / max(np.max(np.abs(ref)), 1e-30)))
    return worst, None


def time_once(cmd, times_file):
    out = run(cmd + ["--times", times_file])
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip() or out.stdout.strip())
    with open(times_file) as f:
        return [float(x) for x in f.read().split()]


def stats(times):
    t = np.array(times)
    med = float(np.median(t))
    return {"median_ms": med, "min_ms": float(t.min()), "p10_ms": float(np.percentile(t, 10)),
            "p90_ms": float(np.percentile(t, 90)), "spread": float((np.percentile(t, 90) - np.percentile(t, 10)) / med),
            "runs": len(times)}


def bench_case(tools, case, module, model, inputs, threads, rounds, budget_s):
    args = sum([["--input", f"{n}={p}"] for n, p in inputs], [])
    sinter = [os.path.join(tools, "sinter-bench"), module, "--threads", str(threads)] + args
    ort = ["node", os.path.join(HERE, "ort_bench.js"), model, "--threads", str(threads)] + args
    tfile = os.path.join(WORK, "times.txt")
    # A probe run sizes each round to about budget_s per tool.
    probe = max(time_once(sinter + ["--repeat", "1", "--warmup", "1"], tfile)[0],
                time_once(ort + ["--repeat", "1", "--warmup", "1"], tfile)[0])
    repeat = int(min(200, max(3, budget_s * 1000 / max(probe, 1e-3))))
    pooled = {"sinter": [], "ort": []}
    for r in range(rounds):
        order = [("sinter", sinter), ("ort", ort)]
        if r % 2:
            order.reverse()
        for name, cmd in order:
            pooled[name] += time_once(cmd + ["--repeat", str(repeat), "--warmup", "2"], tfile)
    return stats(pooled["sinter"]), stats(pooled["ort"])


def geomean(values):
    values = [v for v in values if v]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def write_results(out_dir, info, results, thread_counts):
    os.makedirs(out_dir, exist_ok=True)
    day = datetime.date.today().isoformat()
    with open(os.path.join(out_dir, day + ".json"), "w") as f:
        json.dump({"date": day, "machine": info, "results": results}, f, indent=1)
    lines = [f"# Sinter vs ONNX Runtime 1.30 (CPU), {day}", "",
             f"Machine: {info['cpu']}, {info['cores']} cores; SIMD: {' '.join(info['simd_flags'])}.",
             "Roofs measured in the same run (sinter-machine-limits): " +
             ", ".join(f"{t} thread{'s' * (t > 1)}: FMA peak {info.get(f'fma_gflops_t{t}', 0):.0f} GFLOP/s "
                       f"({info.get('fma_isa', '')}), triad {info.get(f'triad_gbps_t{t}', 0):.1f} GB/s"
                       for t in thread_counts) + ".", "",
             "Median latency over pooled, interleaved rounds; spread = (p90 - p10) / median; ratio = Sinter / ORT "
             "(below 1: Sinter faster). Error: max |Sinter - ORT| / max |ORT| over the outputs.", "",
             "| case | threads | Sinter ms | spread | ORT ms | spread | ratio | note |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        for t in thread_counts:
            row = r["threads"].get(str(t))
            if not row:
                lines.append(f"| {r['case']} | {t} | - | - | - | - | - | {r.get('error', '')} |")
                continue
            s, o = row["sinter"], row["ort"]
            note = [CASE_NOTES[r["case"]]] if r["case"] in CASE_NOTES else []
            if r["case"] in GEMM_FLOPS:
                note.append(f"Sinter {GEMM_FLOPS[r['case']] / s['median_ms'] / 1e6:.1f} GFLOP/s, "
                            f"ORT {GEMM_FLOPS[r['case']] / o['median_ms'] / 1e6:.1f}")
            if r["case"] in GEMV_BYTES:
                bw = GEMV_BYTES[r["case"]] / s["median_ms"] / 1e6
                note.append(f"Sinter reads weights at {bw:.1f} GB/s "
                            f"({100 * bw / info.get(f'triad_gbps_t{t}', bw):.0f}% of triad)")
            lines.append(f"| {r['case']} | {t} | {s['median_ms']:.3f} | {s['spread']:.2f} | {o['median_ms']:.3f} | "
                         f"{o['spread']:.2f} | {row['ratio']:.2f} | {'; '.join(note)} |")
    lines += [""]
    for t in thread_counts:
        g = geomean([r["threads"][str(t)]["ratio"] for r in results if str(t) in r["threads"]])
        lines.append(f"Geometric mean of ratios at {t} thread{'s' * (t > 1)}: {g:.2f}" if g else
                     f"Geometric mean at {t} threads: n/a")
    lines += ["", "| case | compile s | module MB | max rel. error vs ORT |", "|---|---|---|---|"]
    for r in results:
        err = r.get("error_vs_ort")
        lines.append(f"| {r['case']} | {r.get('compile_s', 0):.1f} | {r.get('module_mb', 0):.1f} | "
                     f"{'%.1e' % err if err is not None else r.get('error', '-')} |")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(out_dir, day + ".md"), "w") as f:
        f.write(text)
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", default=",".join(list(make_models.CASES) + list(make_models.VARIANTS)))
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--budget-s", type=float, default=1.0, help="seconds per tool per round (sizes --repeat)")
    parser.add_argument("--tools", default=os.path.join(ROOT, "build", "bin"))
    parser.add_argument("--out", default=os.path.join(HERE, "results"))
    a = parser.parse_args()
    cases = a.cases.split(",")
    for c in cases:
        if c not in make_models.CASES and c not in make_models.VARIANTS:
            known = ", ".join(list(make_models.CASES) + list(make_models.VARIANTS))
            sys.exit(f"run_bench.py: error: unknown case '{c}' (known: {known})")
    if not os.path.isdir(os.path.join(HERE, "node_modules", "onnxruntime-node")):
        sys.exit("run_bench.py: error: onnxruntime-node missing: cd bench && ONNXRUNTIME_NODE_INSTALL=skip npm ci")
    thread_counts = [int(t) for t in a.threads.split(",")]
    info = machine(a.tools)
    print(f"machine: {info['cpu']}; " + ", ".join(f"{k}={v}" for k, v in info.items() if k.startswith(("fma", "triad"))),
          flush=True)
    results = []
    for case in cases:
        base, flags = make_models.VARIANTS.get(case, (case, []))
        model = make_models.make(base)
        inputs = make_inputs(base)
        module, seconds, error = compile_model(a.tools, case, model, flags)
        r = {"case": case, "compile_s": seconds, "threads": {}}
        results.append(r)
        if error:
            r["error"] = "compile: " + error
            print(f"{case}: {r['error']}", flush=True)
            continue
        r["module_mb"] = os.path.getsize(module) / 1e6
        err, why = check_outputs(a.tools, case, module, model, inputs)
        if why:
            r["error"] = "check: " + why.splitlines()[0]
            print(f"{case}: {r['error']}", flush=True)
            continue
        r["error_vs_ort"] = err
        for t in thread_counts:
            try:
                s, o = bench_case(a.tools, case, module, model, inputs, t, a.rounds, a.budget_s)
            except RuntimeError as e:
                r["error"] = "run: " + str(e).splitlines()[0]
                break
            r["threads"][str(t)] = {"sinter": s, "ort": o, "ratio": s["median_ms"] / o["median_ms"]}
            print(f"{case} t={t}: sinter {s['median_ms']:.3f} ms, ort {o['median_ms']:.3f} ms, "
                  f"ratio {s['median_ms'] / o['median_ms']:.2f} (compile {seconds:.1f} s, error {err:.1e})", flush=True)
    print(write_results(a.out, info, results, thread_counts))


if __name__ == "__main__":
    main()
