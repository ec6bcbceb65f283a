//===- QuantizedUkernel.h - quantized-matmul dispatches -> the fused dequantize + matmul ukernel ---------===//
//
// convert-sinter-to-linalg lowers sinter.quantized_matmul to one linalg.generic contraction that
// dequantizes inline and marks it `sinter.quantized_matmul = {bits, group_size, symmetric}`. On the CPU
// target such a dispatch becomes a call to ukernels/qgemm.c, which reads the packed codes directly.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_COMPILER_TARGETS_CPU_QUANTIZEDUKERNEL_H
#define SINTER_COMPILER_TARGETS_CPU_QUANTIZEDUKERNEL_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cstdint>
#include <optional>

namespace sinter {

/// If `func` (a dispatch) is a marked quantized contraction over memrefs the ukernel can address (x and y
/// rows contiguous, codes [N][row bytes], scales and zeros [N][groups], outlier rows and values [N][R]
/// contiguous), replaces it with a call to the ukernel build `ukernel` (qgemmUkernelName; empty: none),
/// outliers included, that splits the work by workgroup id, and returns the workgroup count (at most
/// `maxWorkgroups`). Returns std::nullopt, leaving `func` unchanged (the loop path then computes the same
/// values), when it does not match.
std::optional<uint32_t> lowerQuantizedMatmulToUkernel(mlir::func::FuncOp func, llvm::StringRef ukernel,
                                                      unsigned maxWorkgroups);

} // namespace sinter

#endif // SINTER_COMPILER_TARGETS_CPU_QUANTIZEDUKERNEL_H
