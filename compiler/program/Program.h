//===- Program.h - the host-side program of a compiled model --------------------------------------------===//
//
// What the runtime executes: a signature, one constants blob, the arena size of the static memory plan, and
// an ordered list of dispatches, each naming an entry point of the CPU executable and the buffers it binds.
// formProgram() derives it from the bufferized entry function and leaves one func per dispatch.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_COMPILER_PROGRAM_PROGRAM_H
#define SINTER_COMPILER_PROGRAM_PROGRAM_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace sinter {

struct TensorSignature {
  std::string name;
  mlir::Type elementType; // as imported (unsigned integers keep their signedness)
  std::vector<int64_t> shape; // -1 where an output's extent depends on input values
  // Outputs with a -1 in `shape` only (compiler/conversion/BoundedResult.h): the bound that sizes the
  // buffer, the entry function's extra result that holds the actual dims until formProgram places it, and
  // then the arena byte offset of those dims (`shape.size()` int64s).
  std::vector<int64_t> boundShape;
  int64_t dimsResult = -1;
  uint64_t dimsOffset = 0;
  bool isDynamic() const { return !boundShape.empty() || dimsResult >= 0; }
};

enum class BindingKind : uint8_t { Input = 0, Output = 1, Constant = 2, Arena = 3 };

struct Binding {
  BindingKind kind;
  uint32_t index = 0;  // input/output number
  uint64_t offset = 0; // bytes into the constants blob or arena
  uint64_t size = 0;   // bytes the dispatch may touch
};

struct Dispatch {
  std::string entryPoint;
  std::vector<Binding> bindings;
  std::array<uint32_t, 3> workgroupCount = {1, 1, 1};
};

/// A condition decided at run time (compiler/conversion/RuntimeCheck.h): the entry function's extra result
/// `result` (a 0-d i8 tensor, 0 when the condition held) until formProgram gives it an arena byte at `offset`.
struct RuntimeCheck {
  std::string message;
  int64_t result = -1;
  uint64_t offset = 0;
};

struct Program {
  std::vector<TensorSignature> inputs, outputs;
  std::vector<RuntimeCheck> checks;
  std::vector<uint8_t> constants; // every constant 64-byte aligned
  uint64_t arenaSize = 0;
  std::vector<Dispatch> dispatches;
};

/// Reads the signature from the imported entry function (tensor types, `graph.name` attributes).
void readSignature(mlir::func::FuncOp main, Program &program);

/// After convert-graph-to-linalg: each result of `main` that is a bounded result (the joining cast of
/// compiler/conversion/BoundedResult.h) returns its data tensor in its place and its dims tensor as an extra
/// result appended after the signature's outputs; the signature gets the dynamic shape and the bound. A
/// result declared with dynamic dims but computed with a static shape (Unique's inverse_indices) is returned
/// as that static value, and the signature takes its shape.
mlir::LogicalResult exposeBoundedResults(mlir::ModuleOp module, Program &program);

/// Makes `main`'s type return `results` (its return's new operands, the first ones its old results): their
/// result attributes are kept, the appended ones get none. Shared by the two functions around it.
void setEntryResultTypes(mlir::func::FuncOp main, llvm::ArrayRef<mlir::Value> results);

/// After exposeBoundedResults: each run-time check of `main` (the marker cast of
/// compiler/conversion/RuntimeCheck.h) becomes an extra result of `main`, recorded in `program.checks`.
mlir::LogicalResult exposeRuntimeChecks(mlir::ModuleOp module, Program &program);

/// On a bufferized module whose `main` takes (inputs..., outputs...) as memrefs and returns nothing:
///  - moves every constant global into Program::constants, read through views of one constants buffer;
///  - plans every allocation into one arena (liveness-based reuse, 64-byte aligned offsets); the out-params
///    past the signature's outputs (the actual dims of bounded outputs, the bytes of run-time checks) get
///    arena slots of their own, live for the whole program, whose offsets go to
///    TensorSignature::dimsOffset and RuntimeCheck::offset;
///  - outlines each compute op (linalg ops; memref.copy becomes linalg.copy) into its own `func.func @dispatch_<n>_<op>` whose
///    arguments are the root buffers it reads or writes (inputs, outputs, constants, arena), then erases
///    `main`; consecutive ops of one `sinter.dispatch_group` (a contraction with its fused prologue and
///    epilogue, compiler/transforms/ContractionEpilogue.h) share one dispatch, named after the contraction. Each dispatch function also takes (workgroup id, workgroup count) as trailing index args.
/// Fills `program.constants`, `arenaSize` and `dispatches` (bindings in argument order).
mlir::LogicalResult formProgram(mlir::ModuleOp module, Program &program);

} // namespace sinter

#endif // SINTER_COMPILER_PROGRAM_PROGRAM_H
