//===- GraphTrainingOps.td - the ai.onnx.preview.training optimizers ------------------------------------===//
//
// Hand-written (the generator covers the default domain only): Adagrad, Adam and Momentum of the
// ai.onnx.preview.training domain, schema version 1, its only version. Each updates n tensors in one op:
// `inputs` is X_1..X_n, then G_1..G_n, then each accumulator group (Adagrad: H; Adam: V, H; Momentum: V);
// `outputs` is the new X_1..X_n, then the new accumulator groups in the same order. R (learning rate) and
// T (update count) are scalars. GraphVerifiers.cpp checks the grouping.
//
//===----------------------------------------------------------------------------------------------------===//

#ifndef SINTER_GRAPH_TRAINING_OPS
#define SINTER_GRAPH_TRAINING_OPS

include "GraphBase.td"

class Graph_TrainingOp<string onnxName> : Graph_Op<onnxName, [Pure]> {
  let summary = "ONNX ai.onnx.preview.training " # onnxName # " (schema version 1)";
  let description = "Semantics: https://onnx.ai/onnx/operators/onnx_aionnxpreviewtraining_" # onnxName #
                    ".html, version 1.";
  let assemblyFormat = "`(` operands `)` attr-dict `:` functional-type(operands, results)";
  let results = (outs Variadic<TensorOf<[F32, F64]>>:$outputs);
  let hasVerifier = 1;
}

def Graph_AdagradOp : Graph_TrainingOp<"Adagrad"> {
  let arguments = (ins TensorOf<[F32, F64]>:$R,
      TensorOf<[I64]>:$T,
      Variadic<TensorOf<[F32, F64]>>:$inputs,
      DefaultValuedAttr<F32Attr, "0.0">:$decay_factor,
      DefaultValuedAttr<F32Attr, "9.999999974752427e-07">:$epsilon,
      DefaultValuedAttr<F32Attr, "0.0">:$norm_coefficient);
}

def Graph_AdamOp : Graph_TrainingOp<"Adam"> {
  let arguments = (ins TensorOf<[F32, F64]>:$R,
      TensorOf<[I64]>:$T,
      Variadic<TensorOf<[F32, F64]>>:$inputs,
      DefaultValuedAttr<F32Attr, "0.8999999761581421">:$alpha,
      DefaultValuedAttr<F32Attr, "0.9990000128746033">:$beta,
      DefaultValuedAttr<F32Attr, "9.999999974752427e-07">:$epsilon,
      DefaultValuedAttr<F32Attr, "0.0">:$norm_coefficient,
      DefaultValuedAttr<F32Attr, "0.0">:$norm_coefficient_post);
}

def Graph_MomentumOp : Graph_TrainingOp<"Momentum"> {
  let arguments = (ins TensorOf<[F32, F64]>:$R,
      TensorOf<[I64]>:$T,
      Variadic<TensorOf<[F32, F64]>>:$inputs,
      F32Attr:$alpha,
      F32Attr:$beta,
      StrAttr:$mode,
      F32Attr:$norm_coefficient);
}

#endif // SINTER_GRAPH_TRAINING_OPS
