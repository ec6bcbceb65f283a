//===- CpuTarget.h - dispatch functions -> a CPU shared object ------------------------------------------===//
#ifndef SINTER_COMPILER_TARGETS_CPU_CPUTARGET_H
#define SINTER_COMPILER_TARGETS_CPU_CPUTARGET_H

#include "compiler/program/Program.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace sinter {

struct CpuTargetOptions {
  std::string triple; // empty: the host's
  std::string cpu = "host";
  std::string features; // extra "+feat,-feat" on top of the CPU's
  unsigned maxWorkgroups = 64;
  // Loop dispatches whose largest buffer has fewer elements run as one workgroup: waking another thread
  // costs more than their few microseconds of work. 0 splits every dispatch (tests of the split path).
  int64_t minSplitElements = 65536;
  // Likewise f32 contractions (sgemm ukernel calls) of fewer multiply-adds (batch * M * N * K), such as a
  // decode step's per-head attention products (16 x 1 x 1 x 64): on this scale a thread wake-up (~10 us on a
  // VM) costs more than the work. 0 splits every contraction.
  int64_t minSplitMacs = 1 << 18;
  bool ukernels = true;      // hand-written kernels (Ukernels.h) where a dispatch matches one
  // 3x3 stride-1 convolutions as Winograd F(2x2, 3x3) (sinter-conv-to-winograd). Auto: with ukernels only
  // (elsewhere its transforms run as loops, slower than the direct form); On: always (tests of the loop path).
  enum class Winograd { Off, Auto, On } winograd = Winograd::Auto;
  unsigned ukernelLanes = 0; // set by resolveCpuTarget: the ukernels' vector width, 0 = none for this CPU
  std::string qgemmUkernel;  // set by resolveCpuTarget: the qgemm build for this CPU (qgemmUkernelName)
  // Set by resolveCpuTarget: that build has the int GEMV path (AVX2), which reads 3-bit codes fastest in the
  // blocked layout (sinter-block-quantized-codes).
  bool blockedQgemmCodes = false;
};

/// Resolves "host" and an empty triple to the machine this runs on and picks the ukernel width; returns
/// false with a message if the triple or CPU is unknown to LLVM.
bool resolveCpuTarget(CpuTargetOptions &options, std::string &error);

/// Turns dispatches that match a ukernel into ukernel calls, splits every other dispatch's outermost parallel
/// loop across workgroups (sets Dispatch::workgroupCount) and lowers the dispatch functions to the LLVM dialect, adding for each the C entry point of the module ABI:
///   void dispatch(void *const *bindings, const uint32_t workgroup_id[3], const uint32_t workgroup_count[3]);
mlir::LogicalResult lowerDispatchesToLLVM(mlir::ModuleOp module, Program &program, const CpuTargetOptions &options);

/// Translates the LLVM-dialect module to LLVM IR, optimizes it (O3) for the target, emits an object file
/// and links it in-process (lld) into an ELF shared object. Returns its bytes.
mlir::FailureOr<std::vector<uint8_t>> emitSharedObject(mlir::ModuleOp module, const CpuTargetOptions &options);

} // namespace sinter

#endif // SINTER_COMPILER_TARGETS_CPU_CPUTARGET_H
