//===- RuntimeCheck.h - conditions on input values that compiled shapes rely on --------------------------===//
//
// Some results are compiled to a static shape that depends on input values: Range's length, a window's
// size, a Loop whose trip count is an input but whose scan outputs the model declares with a fixed length.
// The compiled program is right only when the inputs agree, so it checks them at run time instead of
// computing something else: a lowering emits a 0-d `linalg.generic` over `tensor<i8>` that yields 0 when
// the condition holds and 1 when it does not, carrying kRuntimeCheckAttr (the message, naming the node).
// exposeRuntimeChecks (compiler/program) makes each such tensor an extra result of the entry function;
// formProgram gives it an arena byte; the module lists (message, offset) and the runtime fails the run with
// the message when the byte is set (runtime/schema/sinter_module.fbs, RuntimeCheck).
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_COMPILER_CONVERSION_RUNTIMECHECK_H
#define SINTER_COMPILER_CONVERSION_RUNTIMECHECK_H

#include "mlir/IR/Builders.h"

#include "llvm/ADT/STLFunctionalExtras.h"

namespace sinter {

/// On the check's linalg.generic: the message reported when the condition does not hold (StringAttr).
inline constexpr const char kRuntimeCheckAttr[] = "sinter.runtime_check";

/// Emits a run-time check at the builder's insertion point. `holds` builds the i1 condition inside the
/// generic's body (it may read tensors defined above with tensor.extract).
void emitRuntimeCheck(mlir::OpBuilder &b, mlir::Location loc, llvm::StringRef message,
                      llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location)> holds);

/// "node 'NAME' (OpType)" for an op imported from an ONNX node (its location is the node name), else
/// "OpType": the start of a check's message.
std::string describeNode(mlir::Operation *op);

} // namespace sinter

#endif // SINTER_COMPILER_CONVERSION_RUNTIMECHECK_H
