//===- Passes.td - Sinter conversions (lowering between dialects) ---------------------------------------===//
//
// Conversions are named XToY, as upstream. Sources live in compiler/conversion/XToY/, tests in
// test/compiler/conversion/XToY/.
//
//===----------------------------------------------------------------------------------------------------===//

#ifndef SINTER_CONVERSION_PASSES
#define SINTER_CONVERSION_PASSES

include "mlir/Pass/PassBase.td"

def ConvertGraphToLinalg : Pass<"convert-graph-to-linalg", "mlir::func::FuncOp"> {
  let summary = "Lower graph-dialect ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Every graph op with static shapes becomes named linalg ops where they exist (matmul, convolution,
    pooling, fill) and linalg.generic otherwise, with tensor ops for data movement. Ops are grouped by
    category as in onnx-mlir: Elementwise, Linalg (MatMul/Gemm), Tensor, NN, Reduction. An op that has no
    lowering (or dynamic shapes) is an error naming the ONNX node and op, never a silent skip.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect", "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect", "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect"
  ];
}

def ConvertSinterToLinalg : Pass<"convert-sinter-to-linalg", "mlir::func::FuncOp"> {
  let summary = "Lower sinter compression ops to linalg, tensor and arith on tensors";
  let description = [{
    sinter.quantized_matmul becomes a dequantizing linalg.generic (codes read from the packed bytes by
    affine floordiv maps, fp16 decoded with integer ops) feeding a linalg.matmul, plus a gathering
    generic for the fp16 outliers. Other ops are left alone; a sinter op that cannot be lowered is an error.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"
  ];
}

#endif // SINTER_CONVERSION_PASSES
