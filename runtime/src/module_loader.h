//===- module_loader.h - a validated module, its executables loaded and its program resolved -----------===//
//
// LoadedModule is immutable once load() returns, which is what lets any number of sessions on any threads
// share it. Everything a run needs is precomputed here: signatures, entry point function pointers, each
// dispatch's workgroup count and bindings, and the in-place address of the constants.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_RUNTIME_SRC_MODULE_LOADER_H
#define SINTER_RUNTIME_SRC_MODULE_LOADER_H

#include "elf_executable.h"
#include "module_bytes.h"
#include "status.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sinter {

struct TensorSpec {
  std::string name;
  sinter_element_type_t elementType;
  std::vector<int64_t> dims; // -1 where an output's extent depends on input values
  size_t byteSize;           // of the bound shape when dynamic
  // Outputs with dynamic dims only: the bound shape, and the arena offset of the actual dims (rank int64s).
  bool dynamic = false;
  std::vector<int64_t> boundDims;
  uint64_t dimsOffset = 0;
};

/// A run-time check (Module.checks): the byte at `offset` in the arena is 0 when `message` does not apply.
struct CheckSpec {
  std::string message;
  uint64_t offset;
};

enum class BindingKind : uint8_t { Input = 0, Output = 1, Constant = 2, Arena = 3 };

struct BindingSpec {
  BindingKind kind;
  uint32_t index;  // input or output number
  uint64_t offset; // bytes into the buffer; [offset, offset + size) was checked against it
  uint64_t size;
};

struct DispatchSpec {
  EntryPointFn entryPoint;
  std::string entryName; // for profiles and messages
  uint32_t executable;
  uint32_t entryPointIndex;
  std::array<uint32_t, 3> workgroupCount;
  uint64_t workgroupTotal; // product of workgroupCount (checked not to overflow)
  std::vector<BindingSpec> bindings;
};

class LoadedModule {
public:
  /// Validates `bytes`, checks the constants' alignment in memory, loads each executable and resolves the
  /// dispatches. Takes ownership of `bytes` (which, if borrowed, the caller keeps alive).
  static Status load(std::unique_ptr<ModuleBytes> bytes, std::shared_ptr<const LoadedModule> &out);

  const std::vector<TensorSpec> &inputs() const { return inputs_; }
  const std::vector<TensorSpec> &outputs() const { return outputs_; }
  const std::vector<DispatchSpec> &dispatches() const { return dispatches_; }
  const std::vector<CheckSpec> &checks() const { return checks_; }
  /// Start of Module.constants inside the module bytes (64-byte aligned), or null when there are none.
  const uint8_t *constants() const { return constants_; }
  uint64_t arenaSize() const { return arenaSize_; }

private:
  LoadedModule() = default;

  std::unique_ptr<ModuleBytes> bytes_;
  std::vector<TensorSpec> inputs_, outputs_;
  // Declared after bytes_ so that executables are unloaded first (they do not point into bytes_, but
  // nothing should outlive the module's backing memory).
  std::vector<std::unique_ptr<ElfExecutable>> executables_;
  std::vector<DispatchSpec> dispatches_;
  std::vector<CheckSpec> checks_;
  const uint8_t *constants_ = nullptr;
  uint64_t arenaSize_ = 0;
};

} // namespace sinter

#endif // SINTER_RUNTIME_SRC_MODULE_LOADER_H
