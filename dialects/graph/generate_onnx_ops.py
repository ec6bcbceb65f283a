#!/usr/bin/python3
"""Generates GraphOnnxOps.td, the ODS definition of one `graph` op per ONNX op, from the ONNX operator
schemas of the ONNX library (python3-onnx, same version as libonnx-dev).

The dialect is pinned to one opset (TARGET_OPSET): the importer converts every model to it first, so each
op carries exactly the semantics of that opset's schema. Regenerate after changing this script:

    /usr/bin/python3 dialects/graph/generate_onnx_ops.py > dialects/graph/GraphOnnxOps.td

What is generated from the schema: operands (optional ones accept a `none` value, variadic ones are
Variadic<>), results, element-type constraints per type parameter (and a check that every operand/result
bound to the same type parameter has the same element type), attributes with their ONNX defaults, and
Numpy-style broadcast checks for ops documented as multidirectionally broadcasting. Op-specific checks
(shapes, enumerated attribute values) are hand-written in GraphVerifiers.cpp for the ops in CUSTOM_VERIFIERS.
"""
import sys
from onnx import defs

TARGET_OPSET = 17
AT = defs.OpSchema.AttrType
OPT = defs.OpSchema.FormalParameterOption

# ONNX element type -> ODS type. string has no MLIR element type and is left out of every constraint.
ELEMENT_TYPES = {
    "float": "F32", "double": "F64", "float16": "F16", "bfloat16": "BF16",
    "int8": "I8", "int16": "I16", "int32": "I32", "int64": "I64",
    "uint8": "UI8", "uint16": "UI16", "uint32": "UI32", "uint64": "UI64",
    "bool": "I1", "complex64": "Complex<F32>", "complex128": "Complex<F64>",
}

# Ops imported as something else: ONNX Constant becomes graph.constant (one canonical constant op).
REPLACED = {"Constant"}

# Ops with a hand-written verifier (GraphVerifiers.cpp). Every op with an `auto_pad` attribute gets one too.
CUSTOM_VERIFIERS = {
    "AveragePool", "BatchNormalization", "Cast", "Concat", "Conv", "ConvTranspose", "DFT", "Flatten",
    "Gather", "Gemm", "LayerNormalization", "LogSoftmax", "MatMul", "MaxPool", "Pad", "Reshape",
    "Softmax", "Split", "Transpose", "Trilu", "CumSum", "GatherElements", "Hardmax", "ArgMax", "ArgMin",
}

# Names that would clash with accessors every op class already has.
RESERVED = {"type", "operands", "results", "attributes", "loc", "context", "name", "properties", "operation"}


def ods_name(name):
    name = "".join(c if c.isalnum() or c == "_" else "_" for c in name)
    return name + "_" if name in RESERVED else name


def tensor_constraint(allowed):
    elems = []
    for t in allowed:
        if not (t.startswith("tensor(") and t.endswith(")")):
            continue  # seq(), map(), optional() values are not tensors
        e = ELEMENT_TYPES.get(t[len("tensor("):-1])
        if e and e not in elems:
            elems.append(e)
    return "TensorOf<[" + ", ".join(elems) + "]>" if elems else None


def value_constraint(param, constraints):
    if param.typeStr in constraints:
        return constraints[param.typeStr]
    return tensor_constraint([param.typeStr])


def attribute(attr):
    """ODS attribute constraint for one ONNX attribute, or None when its kind cannot be represented."""
    has_default = attr.default_value.type != 0
    base = {AT.INT: "Graph_IntAttr", AT.FLOAT: "F32Attr", AT.STRING: "StrAttr", AT.INTS: "DenseI64ArrayAttr",
            AT.FLOATS: "DenseF32ArrayAttr", AT.STRINGS: "StrArrayAttr", AT.TENSOR: "ElementsAttr"}.get(attr.type)
    if base is None:
        return None
    if attr.required:
        return base
    if has_default and attr.type == AT.INT:
        return f'DefaultValuedAttr<Graph_IntAttr, "{attr.default_value.i}">'
    if has_default and attr.type == AT.FLOAT:
        return f'DefaultValuedAttr<F32Attr, "{attr.default_value.f!r}">'
    if has_default and attr.type == AT.STRING:
        return f'DefaultValuedStrAttr<StrAttr, "{attr.default_value.s.decode()}">'
    # List and tensor defaults are applied by the code that reads them (documented per op in ONNX).
    return f"OptionalAttr<{base}>"


def generate_op(schema):
    """Returns (ODS text, None) or (None, reason the op is left out)."""
    if schema.deprecated:
        return None, "deprecated"
    for attr in schema.attributes.values():
        if attr.type in (AT.GRAPH, AT.GRAPHS):
            return None, "has subgraph attributes"
    constraints = {}
    for tc in schema.type_constraints:
        c = tensor_constraint(tc.allowed_type_strs)
        if c is None:
            return None, f"type parameter {tc.type_param_str} admits no tensor type"
        constraints[tc.type_param_str] = c

    args, results, groups = [], [], {}
    for kind, params in (("operand", schema.inputs), ("result", schema.outputs)):
        for p in params:
            c = value_constraint(p, constraints)
            if c is None:
                return None, f"{kind} {p.name} is not a tensor"
            name = ods_name(p.name)
            if p.option == OPT.Variadic:
                if not p.isHomogeneous:
                    return None, f"heterogeneous variadic {kind} {p.name}"
                c = f"Variadic<{c}>"
            elif p.option == OPT.Optional:
                c = f"AnyTypeOf<[{c}, NoneType]>"
            (args if kind == "operand" else results).append(f"{c}:${name}")
            if p.typeStr in constraints:
                groups.setdefault(p.typeStr, []).append(name)

    attrs = []
    for attr in sorted(schema.attributes.values(), key=lambda a: a.name):
        a = attribute(attr)
        if a is not None:  # sparse_tensor / type_proto attributes: rejected by the importer if present
            attrs.append(f"{a}:${ods_name(attr.name)}")

    traits = []
    if not schema.name.startswith("Random") and schema.name not in ("Multinomial", "Bernoulli"):
        traits.append("Pure")
    if "multidirectional (i.e., Numpy-style) broadcasting" in (schema.doc or ""):
        traits.append("ResultsBroadcastableShape")
    for param, names in sorted(groups.items()):
        if len(names) > 1:
            traits.append("GraphSameElementType<[" + ", ".join(f'"{n}"' for n in names) + "]>")

    verifier = schema.name in CUSTOM_VERIFIERS or "auto_pad" in schema.attributes
    lines = [f'def Graph_{schema.name}Op : Graph_OnnxOp<"{schema.name}", {schema.since_version}, [{", ".join(traits)}]> {{']
    lines.append("  let arguments = (ins " + (",\n      ".join(args + attrs)) + ");")
    lines.append("  let results = (outs " + (",\n      ".join(results)) + ");")
    if verifier:
        lines.append("  let hasVerifier = 1;")
    lines.append("}")
    return "\n".join(lines), None


def main():
    names = sorted({s.name for s in defs.get_all_schemas_with_history() if s.domain == ""})
    out, skipped = [], []
    for name in names:
        if name in REPLACED:
            continue
        try:
            schema = defs.get_schema(name, TARGET_OPSET, "")
        except Exception:  # introduced after TARGET_OPSET
            continue
        text, reason = generate_op(schema)
        if text is None:
            skipped.append(f"//   {name}: {reason}")
        else:
            out.append(text)
    print("// Generated by dialects/graph/generate_onnx_ops.py from the ONNX library's operator schemas at opset "
          f"{TARGET_OPSET}. Do not edit.")
    print(f"// {len(out)} ops. Left out (the importer reports them as unsupported):")
    print("\n".join(skipped))
    print()
    print("#ifndef SINTER_GRAPH_ONNX_OPS\n#define SINTER_GRAPH_ONNX_OPS\n")
    print('include "GraphBase.td"\n')
    print("\n\n".join(out))
    print("\n#endif // SINTER_GRAPH_ONNX_OPS")


if __name__ == "__main__":
    sys.exit(main())
