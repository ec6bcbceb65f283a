//===- Passes.h - Sinter graph passes -------------------------------------------------------------------===//
#ifndef SINTER_PASSES_PASSES_H
#define SINTER_PASSES_PASSES_H

#include "dialects/graph/GraphOps.h"
#include "dialects/sinter/SinterDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace sinter {

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

} // namespace sinter

#endif // SINTER_PASSES_PASSES_H
