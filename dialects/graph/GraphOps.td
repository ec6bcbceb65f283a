//===- GraphOps.td - graph dialect ops -------------------------------------------------------------------===//
//
// Hand-written ops (constants, absent values) plus the ONNX operator ops generated from the schemas and the
// hand-written ai.onnx.preview.training optimizers.
//
//===----------------------------------------------------------------------------------------------------===//

#ifndef SINTER_GRAPH_OPS
#define SINTER_GRAPH_OPS

include "GraphBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

def Graph_ConstantOp : Graph_Op<"constant", [ConstantLike, Pure, AllTypesMatch<["value", "output"]>]> {
  let summary = "a constant tensor (ONNX initializers and Constant nodes)";
  let description = [{
    Large weights are held as `dense_resource` blobs so they are never printed into attribute text; small
    constants (shapes, axes, scalars) are plain `dense` attributes that folders can read.
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def Graph_NoneOp : Graph_Op<"none", [ConstantLike, Pure]> {
  let summary = "the value of an absent optional ONNX input or output";
  let results = (outs NoneType:$none);
  let assemblyFormat = "attr-dict";
  let hasFolder = 1;
}

include "GraphOnnxOps.td"
include "GraphTrainingOps.td"

def Graph_RuntimeCheckOp : Graph_Op<"runtime_check", [MemoryEffects<[MemWrite]>]> {
  let summary = "fails the run with a message when a condition on input values is false";
  let description = [{
    Imported from the ai.sinter RuntimeCheck nodes that control-flow expansion inserts (e.g. a Loop whose
    trip count is an input, unrolled to the length its scan outputs are declared with). Lowered to a run-time
    check (compiler/conversion/RuntimeCheck.h); the write effect keeps it alive without users.
  }];
  let arguments = (ins TensorOf<[I1]>:$holds, StrAttr:$message);
  let assemblyFormat = "$holds attr-dict `:` type($holds)";
}

#endif // SINTER_GRAPH_OPS
