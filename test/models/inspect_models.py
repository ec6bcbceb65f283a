#!/usr/bin/python3
"""Summarise the generated test models.

For every *.onnx file given on the command line (default: all models in
test/models/ and test/models/bad/) print: size, opset, sorted op types, whether
onnx.checker.check_model(full_check=True) passes, whether
onnx.shape_inference.infer_shapes(strict_mode=True) passes, and how many node
outputs are left without a fully static shape after shape inference (the
importer must finish those itself).

Usage: /usr/bin/python3 test/models/inspect_models.py [--ops-md] [FILES...]
"""
import glob
import os
import sys

import onnx
from onnx import shape_inference

HERE = os.path.dirname(os.path.abspath(__file__))


def _static(vi):
    t = vi.type
    if not t.HasField("tensor_type"):
        return False
    tt = t.tensor_type
    if not tt.HasField("shape"):
        return False
    return all(d.HasField("dim_value") for d in tt.shape.dim)


def _walk_graphs(g):
    yield g
    for n in g.node:
        for a in n.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                yield from _walk_graphs(a.g)
            elif a.type == onnx.AttributeProto.GRAPHS:
                for sg in a.graphs:
                    yield from _walk_graphs(sg)


def op_types(model):
    ops = set()
    for g in _walk_graphs(model.graph):
        for n in g.node:
            ops.add(n.op_type if n.domain in ("", "ai.onnx") else f"{n.domain}::{n.op_type}")
    return sorted(ops)


def opset_of(model):
    for o in model.opset_import:
        if o.domain in ("", "ai.onnx"):
            return o.version
    return None


def non_static_outputs(inferred):
    """Names of node outputs without a fully static inferred shape."""
    g = inferred.graph
    known = {vi.name: vi for vi in list(g.value_info) + list(g.output)}
    missing = []
    for n in g.node:
        for o in n.output:
            if not o:
                continue
            vi = known.get(o)
            if vi is None or not _static(vi):
                missing.append(o)
    return missing


def inspect(path):
    size = os.path.getsize(path)
    info = {"path": path, "size": size}
    try:
        m = onnx.load(path)
    except Exception as e:  # bad inputs
        info["load"] = f"FAIL ({type(e).__name__})"
        return info
    info["load"] = "ok"
    info["opset"] = opset_of(m)
    info["ops"] = op_types(m)
    info["unnamed_nodes"] = sum(1 for n in m.graph.node if not n.name)
    try:
        onnx.checker.check_model(m, full_check=True)
        info["check"] = "ok"
    except Exception as e:
        info["check"] = "FAIL: " + str(e).strip().splitlines()[0][:110]
    try:
        inf = shape_inference.infer_shapes(m, check_type=True, strict_mode=True)
        info["infer"] = "ok"
    except Exception as e:
        info["infer"] = "FAIL: " + str(e).strip().splitlines()[0][:110]
        inf = None
    if inf is not None:
        ns = non_static_outputs(inf)
        info["non_static"] = ns
        info["n_outputs"] = sum(1 for n in inf.graph.node for o in n.output if o)
    return info


def default_files():
    return sorted(glob.glob(os.path.join(HERE, "*.onnx"))) + sorted(
        glob.glob(os.path.join(HERE, "bad", "*.onnx")))


def main(argv):
    ops_md = "--ops-md" in argv
    files = [a for a in argv if not a.startswith("--")] or default_files()
    union = set()
    for f in files:
        i = inspect(f)
        rel = os.path.relpath(f, HERE)
        if i["load"] != "ok":
            print(f"{rel}: {i['size']} B, load {i['load']}")
            continue
        if not rel.startswith("bad"):
            union.update(i["ops"])
        if ops_md:
            print(f"| `{rel}` | {i['size']} | {i['opset']} | {', '.join(i['ops'])} |")
            continue
        line = (f"{rel}: {i['size']} B, opset {i['opset']}, check {i['check']}, "
                f"infer(strict) {i['infer']}")
        if "non_static" in i:
            line += f", non-static outputs {len(i['non_static'])}/{i['n_outputs']}"
        if i["unnamed_nodes"]:
            line += f", UNNAMED nodes {i['unnamed_nodes']}"
        print(line)
        print(f"    ops: {' '.join(i['ops'])}")
        if i.get("non_static"):
            shown = i["non_static"][:8]
            more = len(i["non_static"]) - len(shown)
            print(f"    non-static: {' '.join(shown)}" + (f" (+{more} more)" if more else ""))
    print(f"union of op types over valid models ({len(union)}): {' '.join(sorted(union))}")


if __name__ == "__main__":
    main(sys.argv[1:])
