//===- module_builder.h - build .sinter modules in memory for the runtime tests ------------------------===//
//
// Tests describe a module with plain structs (ModuleDesc) and get FlatBuffer bytes from buildModule(). The
// default executable is the test kernel library (kernels/test_kernels.c, compiled by CMake at build time)
// for the host triple, so built modules really run.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_TEST_RUNTIME_MODULE_BUILDER_H
#define SINTER_TEST_RUNTIME_MODULE_BUILDER_H

#include "sinter/runtime.h"
#include "sinter_module_generated.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace sinter {
namespace test {

/// "<host arch>-unknown-linux-gnu".
std::string hostTriple();
/// Bytes of the test kernel shared object (read once).
const std::vector<uint8_t> &testKernelCode();

struct TensorDesc {
  std::string name;
  fb::ElementType type = fb::ElementType::F32;
  std::vector<int64_t> shape;
  // Dynamic dims (format version 2): written when boundShape is not empty or dimsOffset is not 0.
  std::vector<int64_t> boundShape;
  uint64_t dimsOffset = 0;
};

struct BindingDesc {
  fb::BufferKind kind;
  uint32_t index = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
};
inline BindingDesc inputBinding(uint32_t index, uint64_t size) { return {fb::BufferKind::Input, index, 0, size}; }
inline BindingDesc outputBinding(uint32_t index, uint64_t size) { return {fb::BufferKind::Output, index, 0, size}; }
inline BindingDesc constantBinding(uint64_t offset, uint64_t size) { return {fb::BufferKind::Constant, 0, offset, size}; }
inline BindingDesc arenaBinding(uint64_t offset, uint64_t size) { return {fb::BufferKind::Arena, 0, offset, size}; }

struct DispatchDesc {
  uint32_t executable = 0;
  uint32_t entryPoint = 0;
  std::vector<uint32_t> workgroupCount = {1, 1, 1};
  std::vector<BindingDesc> bindings;
};

struct ExecutableDesc {
  fb::ExecutableFormat format = fb::ExecutableFormat::ElfSharedObject;
  std::string triple = hostTriple();
  std::string cpu = "generic";
  std::vector<std::string> entryPoints;
  std::vector<uint8_t> code = testKernelCode();
};

struct ModuleDesc {
  uint32_t version = 1;
  std::string producer = "sinter-runtime-tests";
  std::vector<TensorDesc> inputs, outputs;
  std::vector<ExecutableDesc> executables;
  std::vector<DispatchDesc> dispatches;
  uint64_t arenaSize = 0;
  std::vector<uint8_t> constants;
  std::vector<std::pair<std::string, uint64_t>> checks; // run-time checks: message, arena offset (version 3)
  bool alignConstants = true; // false: leave Module.constants wherever the builder puts it (to test rejection)
};

/// The finished FlatBuffer (identifier "SNTR").
std::vector<uint8_t> buildModule(const ModuleDesc &desc);

/// Appends `size` bytes at the next 64-byte aligned offset of `blob` (as the compiler lays out constants)
/// and returns that offset.
uint64_t appendConstant(std::vector<uint8_t> &blob, const void *data, size_t size);
template <typename T> uint64_t appendConstant(std::vector<uint8_t> &blob, const std::vector<T> &values) {
  return appendConstant(blob, values.data(), values.size() * sizeof(T));
}

/// A 64-byte aligned copy of some bytes (what sinter_module_load_memory wants).
class AlignedBytes {
public:
  explicit AlignedBytes(const std::vector<uint8_t> &bytes, size_t misalignment = 0);
  uint8_t *data() { return data_; }
  size_t size() const { return size_; }

private:
  struct Free {
    void operator()(uint8_t *p) const;
  };
  std::unique_ptr<uint8_t, Free> storage_;
  uint8_t *data_;
  size_t size_;
};

/// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
class TempDir {
public:
  TempDir();
  ~TempDir();
  const std::string &path() const { return path_; }
  /// Writes `bytes` to path()/name and returns the full path.
  std::string write(const std::string &name, const std::vector<uint8_t> &bytes) const;

private:
  std::string path_;
};

/// RAII wrappers over the C handles, and a status checker that frees the status.
struct StatusResult {
  sinter_status_code_t code;
  std::string message;
};
/// Takes ownership of `status`: returns its code and message and frees it.
StatusResult take(sinter_status_t status);
inline StatusResult take(StatusResult result) { return result; } // lets check macros accept either

/// GoogleTest check (for files that include gtest) that a call, or a StatusResult, has `expectedCode` and a
/// message containing `substring`.
#define EXPECT_STATUS(call, expectedCode, substring)                                                         \
  do {                                                                                                       \
    StatusResult r_ = take(call);                                                                            \
    EXPECT_EQ(r_.code, expectedCode) << sinter_status_code_name(r_.code) << ": " << r_.message;              \
    EXPECT_NE(r_.message.find(substring), std::string::npos) << "message: " << r_.message;                   \
  } while (0)

struct InstanceDeleter {
  void operator()(sinter_instance_t *p) const { sinter_instance_release(p); }
};
struct ModuleDeleter {
  void operator()(sinter_module_t *p) const { sinter_module_release(p); }
};
struct SessionDeleter {
  void operator()(sinter_session_t *p) const { sinter_session_release(p); }
};
using InstancePtr = std::unique_ptr<sinter_instance_t, InstanceDeleter>;
using ModulePtr = std::unique_ptr<sinter_module_t, ModuleDeleter>;
using SessionPtr = std::unique_ptr<sinter_session_t, SessionDeleter>;

InstancePtr makeInstance();
/// Loads `bytes` (which must outlive the module) from memory; the status is returned, the module set on OK.
StatusResult loadFromMemory(sinter_instance_t *instance, AlignedBytes &bytes, ModulePtr &module);

/// A module built from a description, loaded from memory, and a session on it with the default options.
/// Members are released in reverse order: the session, then the module, then the bytes it was loaded from.
struct LoadedSession {
  std::unique_ptr<AlignedBytes> bytes;
  InstancePtr instance;
  ModulePtr module;
  SessionPtr session;
};
/// Throws std::runtime_error (with the runtime's message) if loading or creating the session fails.
LoadedSession loadSession(const ModuleDesc &desc);

/// A float tensor for sinter_session_run over a vector the caller keeps alive.
sinter_tensor_t floatTensor(std::vector<float> &values, const std::vector<int64_t> &dims);

/// Canned module used by several tests: y = (a + b) * w and z = 2 * (x @ W), four dispatches through the
/// arena, with w, W and the kernel parameters in the constants.
struct PipelineModule {
  static constexpr int64_t kN = 1000, kM = 37, kK = 19, kP = 23, kTile = 8;
  std::vector<float> w, W; // the constants' values, for computing expected results
  ModuleDesc desc;
};
PipelineModule makePipelineModule();
/// Expected y and z for given a, b, x.
void pipelineReference(const PipelineModule &module, const std::vector<float> &a, const std::vector<float> &b,
                       const std::vector<float> &x, std::vector<float> &y, std::vector<float> &z);

/// Smallest useful module: y = a + b over f32[n], one dispatch with `workgroups` workgroups.
ModuleDesc makeAddModule(int64_t n, uint32_t workgroups = 4);

} // namespace test
} // namespace sinter

#endif // SINTER_TEST_RUNTIME_MODULE_BUILDER_H
