//===- elf_executable.h - a CPU executable (ELF shared object) loaded from memory -----------------------===//
//
// The module's code bytes are written to an anonymous memfd and dlopen'ed through /proc/self/fd/N, so the
// runtime never writes a temporary file and never depends on where the module file lives.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_RUNTIME_SRC_ELF_EXECUTABLE_H
#define SINTER_RUNTIME_SRC_ELF_EXECUTABLE_H

#include "status.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sinter {

/// The entry point ABI of runtime/schema/sinter_module.fbs (ExecutableFormat.ElfSharedObject).
using EntryPointFn = void (*)(void *const *bindings, const uint32_t workgroupId[3], const uint32_t workgroupCount[3]);

/// "x86_64" or "aarch64": the architecture this runtime was built for.
const char *hostArchitecture();

/// UNSUPPORTED unless the architecture part of `triple` (before the first '-') names the host's.
Status checkTripleMatchesHost(const std::string &triple);

/// Cheap structural checks of an ELF image before it reaches dlopen, which trusts its input: a 64-bit
/// little-endian shared object for the host machine whose program headers and loadable segments lie inside
/// the image. INVALID_MODULE otherwise.
Status checkElfImage(const uint8_t *code, size_t size);

class ElfExecutable {
public:
  /// Loads `code` and resolves every name in `entryPoints` (a missing one is INVALID_MODULE naming it).
  /// `label` ("executable 0") prefixes messages.
  static Status load(const std::string &label, const uint8_t *code, size_t size,
                     const std::vector<std::string> &entryPoints, std::unique_ptr<ElfExecutable> &out);

  ~ElfExecutable();
  ElfExecutable(const ElfExecutable &) = delete;
  ElfExecutable &operator=(const ElfExecutable &) = delete;

  EntryPointFn entryPoint(size_t index) const { return entryPoints_[index]; }

private:
  ElfExecutable() = default;

  void *handle_ = nullptr;
  // Kept open while loaded: glibc recognises already-loaded objects by path, and /proc/self/fd/N must not
  // name a different memfd while this one is loaded.
  int fd_ = -1;
  std::vector<EntryPointFn> entryPoints_;
};

} // namespace sinter

#endif // SINTER_RUNTIME_SRC_ELF_EXECUTABLE_H
