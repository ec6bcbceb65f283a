//===- Passes.h - Sinter transforms on linalg/tensor IR -------------------------------------------------===//
#ifndef SINTER_COMPILER_TRANSFORMS_PASSES_H
#define SINTER_COMPILER_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace sinter {

#define GEN_PASS_DECL
#include "compiler/transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/transforms/Passes.h.inc"

} // namespace sinter

#endif // SINTER_COMPILER_TRANSFORMS_PASSES_H
