//===- Passes.td - Sinter graph passes ------------------------------------------------------------------===//
//
// Every graph-level rewrite is a pass declared here, usable alone from sinter-opt by its flag and run by
// sinter-compile's pipeline. Sources live in passes/<family>/, tests in test/passes/<family>/.
//
//===----------------------------------------------------------------------------------------------------===//

#ifndef SINTER_PASSES
#define SINTER_PASSES

include "mlir/Pass/PassBase.td"

def GraphSimplify : Pass<"graph-simplify", "mlir::func::FuncOp"> {
  let summary = "Remove ops that do nothing at inference time";
  let description = [{
    Forwards the input of Identity, of inference-mode Dropout (no training_mode, or a constant false one,
    and an unused mask), of Cast/Reshape/Expand whose result type equals their input type, and of
    Transpose with an identity permutation. Dead ops are then erased.
  }];
  let dependentDialects = ["::sinter::graph::GraphDialect"];
}

def SinterQuantizeWeights : Pass<"sinter-quantize-weights", "mlir::ModuleOp"> {
  let summary = "Quantize constant MatMul/Gemm weights group-wise (2/3/4/8 bits, fp16 outliers, bit allocation)";
  let description = [{
    Rewrites every graph.MatMul whose B is a 2-D f32 graph.constant, and every graph.Gemm with a constant B,
    transA = 0 and no C or beta = 1 (alpha and transB are folded into the weight, C stays a graph.Add), into
    sinter.quantized_matmul with packed constants in the format of docs/QUANTIZATION.md. With `budget`,
    each layer's width is chosen from {2, 3, 4, 8} by an exact multiple-choice knapsack over measured
    output errors. Calibration statistics come from the driver (sinter-compile --calibration=DIR); run
    alone, the pass is data-free (identity input covariance: the weight-only error) and says so. Every
    layer's bits, group size, outliers, bytes and relative output error go into the report. It runs on the
    module so that one budget and one report cover every function.
  }];
  let options = [
    Option<"bits", "bits", "int64_t", "4", "Uniform width: 2, 3, 4 or 8">,
    Option<"groupSize", "group-size", "int64_t", "128", "Weights per scale along K">,
    Option<"symmetric", "symmetric", "bool", "true", "Symmetric (no zero points) or asymmetric groups">,
    Option<"scaleType", "scale-type", "std::string", "\"f16\"", "Scale storage: f16 or f32">,
    Option<"outliers", "outliers", "double", "0.0", "Fraction of each column's weights kept in fp16">,
    Option<"int8Activations", "int8-activations", "bool", "false",
           "Let the kernels round activations to int8 per group (faster 2/4-bit GEMV, coarser inputs)">,
    Option<"budget", "budget", "std::string", "\"\"",
           "Bit allocation under a budget: average bits (3.25) or a size (40MB); empty: uniform `bits`">,
    Option<"method", "method", "std::string", "\"rtn\"", "rtn or gptq">,
    Option<"calibration", "calibration", "std::string", "\"\"",
           "Calibration directory (only the driver can run the model on it; see sinter-compile)">,
    Option<"report", "report", "std::string", "\"\"", "Write the per-layer report as JSON to this file">,
    Option<"printReport", "print-report", "bool", "false", "Print the report table to stdout">,
    Option<"minElements", "min-elements", "int64_t", "0", "Leave weights with fewer elements in fp32">
  ];
  let dependentDialects = ["::sinter::graph::GraphDialect", "::sinter::SinterDialect"];
}

def SinterDequantizedMatMul : Pass<"sinter-dequantized-matmul", "mlir::func::FuncOp"> {
  let summary = "DequantizeLinear(constant 8-bit weight) -> MatMul/Gemm becomes sinter.quantized_matmul";
  let description = [{
    Models quantized by ONNX's QDQ tooling keep 8-bit weights as `DequantizeLinear(w_q, scale, zero_point)`
    feeding a MatMul or Gemm. When w_q (int8/uint8, 2-D), the scale and the zero point are constants, and
    the scale is per tensor or per output column (MatMul's B: axis 1; Gemm's B: axis 1, or axis 0 with
    transB = 1), the pair becomes one `sinter.quantized_matmul` at 8 bits with one group per column
    (group_size = K): codes are the stored bytes (int8 shifted by 128 to unsigned, zero points likewise),
    zero points are dropped when every one is 128 (symmetric). The fp32 weight is never materialized.
    Gemm's alpha goes into the scales; C (beta = 1) becomes a graph.Add. Anything else (per-row scales,
    runtime weights, transA, a scaled C) is left to the fp32 lowering, which computes it exactly as well.
  }];
  let dependentDialects = ["::sinter::graph::GraphDialect", "::sinter::SinterDialect"];
}

def SinterBlockQuantizedCodes : Pass<"sinter-block-quantized-codes", "mlir::func::FuncOp"> {
  let summary = "Store constant 3-bit GEMV weights in the blocked layout the CPU kernel unpacks with shifts";
  let description = [{
    For a `sinter.quantized_matmul` at 3 bits with one input row (a decode step's GEMV), K a multiple of
    256 (at most 16384), groups of 32, 64, 128 or a multiple of 256 that divides K (`sinter_uk_block3_fits`),
    and a constant packed weight, rewrites the weight at compile time into the blocked layout
    (docs/QUANTIZATION.md; same bytes per column, each chunk of 256 codes as three 32-byte vectors; a weight
    shared by several such ops once) and sets `blocked`. The op's meaning is unchanged: its lowering reads
    either layout exactly. The CPU kernel (AVX2 builds)
    unpacks a blocked chunk with shifts and masks only, where the dense layout needs byte shuffles that
    compete with its multiplies.
  }];
  let dependentDialects = ["::sinter::graph::GraphDialect", "::sinter::SinterDialect"];
}

#endif // SINTER_PASSES
