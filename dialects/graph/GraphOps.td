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

#endif // SINTER_GRAPH_OPS
