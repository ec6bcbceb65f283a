//===- module_bytes.h - the bytes a module is read from ------------------------------------------------===//
//
// A module reads everything (metadata, constants, executable code) straight out of one byte range that
// lives as long as the module: either a read-only private mapping of the file, owned here, or memory the
// caller lent to sinter_module_load_memory and keeps alive.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_RUNTIME_SRC_MODULE_BYTES_H
#define SINTER_RUNTIME_SRC_MODULE_BYTES_H

#include "status.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace sinter {

class ModuleBytes {
public:
  /// Maps `path` read-only. A missing file is NOT_FOUND; an empty one is INVALID_MODULE.
  static Status mapFile(const std::string &path, std::unique_ptr<ModuleBytes> &out);
  /// Borrows caller memory (not copied, not freed).
  static std::unique_ptr<ModuleBytes> borrow(const void *data, size_t size);

  ~ModuleBytes();
  ModuleBytes(const ModuleBytes &) = delete;
  ModuleBytes &operator=(const ModuleBytes &) = delete;

  const uint8_t *data() const { return data_; }
  size_t size() const { return size_; }
  /// True when the bytes are a file mapping (so misalignment is the file's fault, not the caller's).
  bool isMapped() const { return mapped_; }

private:
  ModuleBytes(const uint8_t *data, size_t size, bool mapped) : data_(data), size_(size), mapped_(mapped) {}

  const uint8_t *data_;
  size_t size_;
  bool mapped_;
};

} // namespace sinter

#endif // SINTER_RUNTIME_SRC_MODULE_BYTES_H
