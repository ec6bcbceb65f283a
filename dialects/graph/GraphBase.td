//===- GraphBase.td - the graph dialect and its op base classes -----------------------------------------===//
//
// The graph dialect is Sinter's ONNX-level IR: one op per ONNX operator, with the operands, results,
// attributes and defaults of the operator's schema at the dialect's pinned opset. The importer converts every
// model to that opset first, so an op's semantics never depend on the model's opset.
//
//===----------------------------------------------------------------------------------------------------===//

#ifndef SINTER_GRAPH_BASE
#define SINTER_GRAPH_BASE

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

def Graph_Dialect : Dialect {
  let name = "graph";
  let cppNamespace = "::sinter::graph";
  let summary = "ONNX-level graph IR: one op per ONNX operator (opset 17 semantics)";
  let description = [{
    Ops are named after their ONNX operator (`graph.MatMul`, `graph.LayerNormalization`). Optional ONNX
    inputs and outputs that are absent are values of type `none` (made by `graph.none`). Initializers and ONNX
    Constant nodes both become `graph.constant`.
  }];
  let hasConstantMaterializer = 1;
  let extraClassDeclaration = [{
    /// The ONNX opset whose operator semantics the dialect's ops carry.
    static constexpr int64_t kOpsetVersion = 17;
  }];
}

class Graph_Op<string mnemonic, list<Trait> traits = []> : Op<Graph_Dialect, mnemonic, traits>;

// An op generated from an ONNX operator schema (GraphOnnxOps.td).
class Graph_OnnxOp<string onnxName, int sinceVersion, list<Trait> traits = []>
    : Graph_Op<onnxName, traits> {
  let summary = "ONNX " # onnxName # " (schema version " # sinceVersion # ")";
  let description = "Semantics: https://onnx.ai/onnx/operators/onnx__" # onnxName # ".html, version " #
                    sinceVersion # ".";
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

// An ONNX INT attribute: a signless 64-bit IntegerAttr, read back as a signed int64_t (upstream I64Attr reads
// it as uint64_t, which turns ONNX's negative axes into huge numbers).
def Graph_IntAttr : SignlessIntegerAttrBase<I64, "64-bit integer attribute (ONNX INT)"> {
  let returnType = "int64_t";
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

// ONNX binds operands and results to type parameters ("T"): all values bound to one parameter must have the
// same element type. Absent optional values (`none`) are skipped.
class GraphSameElementType<list<string> names> : PredOpTrait<
  "values bound to one ONNX type parameter (" # !interleave(names, ", ") # ") have one element type",
  CPred<"::sinter::graph::haveSameElementType({" #
        !interleave(!foreach(n, names, "::mlir::ValueRange($" # n # ")"), ", ") # "})">>;

#endif // SINTER_GRAPH_BASE
