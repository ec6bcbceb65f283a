//===- tool_support.h - what sinter-run and sinter-bench share ------------------------------------------===//
//
// Error reporting (one ToolError per failure, printed by main as "<tool>: error: ..."), owned runtime
// handles, aligned tensor buffers, and binding `--input NAME=FILE.npy` flags to a module's signature. Only
// the public C API is used.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_RUNTIME_TOOLS_TOOL_SUPPORT_H
#define SINTER_RUNTIME_TOOLS_TOOL_SUPPORT_H

#include "sinter/runtime.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sinter {
namespace tools {

/// Thrown for any error; main() prints it as the one-line message.
struct ToolError {
  std::string message;
};

[[noreturn]] void fail(const std::string &message);

/// Throws if `status` is an error, prefixing `context`; frees the status.
void check(sinter_status_t status, const std::string &context = "");

/// Parses a decimal number in [minimum, maximum] given for `flag`; fails with a message otherwise.
uint64_t parseUnsigned(const std::string &flag, const std::string &text, uint64_t minimum, uint64_t maximum);

/// Splits "NAME=FILE" given for --input.
std::pair<std::string, std::string> parseInputSpec(const std::string &spec);

std::string formatShape(const int64_t *dims, size_t rank);
/// "f32 [2, 3]"
std::string describe(const sinter_tensor_info_t &info);

/// 64-byte aligned, zero-filled memory for a tensor: kernels get the same alignment the arena has.
class AlignedBuffer {
public:
  explicit AlignedBuffer(size_t size);
  uint8_t *data() const { return data_.get(); }
  size_t size() const { return size_; }

private:
  struct Free {
    void operator()(uint8_t *p) const { std::free(p); }
  };
  std::unique_ptr<uint8_t, Free> data_;
  size_t size_;
};

/// An instance, a loaded module and its signature; released in reverse order.
class LoadedModule {
public:
  explicit LoadedModule(const std::string &path);
  ~LoadedModule();
  LoadedModule(const LoadedModule &) = delete;
  LoadedModule &operator=(const LoadedModule &) = delete;

  sinter_module_t *module() const { return module_; }
  const std::vector<sinter_tensor_info_t> &inputs() const { return inputs_; }
  const std::vector<sinter_tensor_info_t> &outputs() const { return outputs_; }

private:
  sinter_instance_t *instance_ = nullptr;
  sinter_module_t *module_ = nullptr;
  std::vector<sinter_tensor_info_t> inputs_, outputs_;
};

/// A session, released on destruction.
class Session {
public:
  Session(const LoadedModule &module, uint32_t threads);
  ~Session();
  Session(const Session &) = delete;
  Session &operator=(const Session &) = delete;
  void run(const std::vector<sinter_tensor_t> &inputs, std::vector<sinter_tensor_t> &outputs);
  /// Output `index`'s actual dims after the last run (dynamic dims resolved).
  std::vector<int64_t> outputDims(size_t index, size_t rank) const;

private:
  sinter_session_t *session_ = nullptr;
};

/// Tensors and the buffers behind them, in signature order.
struct TensorSet {
  std::vector<AlignedBuffer> buffers;
  std::vector<sinter_tensor_t> tensors;
};

/// Maps NAME=FILE pairs onto the module's inputs: unknown, repeated names are errors. Returns one file per
/// input, empty where none was given.
std::vector<std::string> matchInputFiles(const LoadedModule &module,
                                         const std::vector<std::pair<std::string, std::string>> &specs);

/// Reads the input files (every input must have one) and checks dtype and shape against the signature.
TensorSet loadInputs(const LoadedModule &module, const std::vector<std::string> &files);

/// Inputs with given files loaded from them, the rest filled with reproducible pseudo-random values of
/// the right dtype (floats in [-1, 1), integers in [0, 8), bools alternating).
TensorSet loadOrRandomInputs(const LoadedModule &module, const std::vector<std::string> &files, uint64_t seed);

/// Zero-filled outputs of the signature's sizes.
TensorSet allocateOutputs(const LoadedModule &module);

} // namespace tools
} // namespace sinter

#endif // SINTER_RUNTIME_TOOLS_TOOL_SUPPORT_H
