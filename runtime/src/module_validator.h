//===- module_validator.h - verify untrusted module bytes before anything reads them -------------------===//
//
// Runs the FlatBuffers verifier (structure, identifier "SNTR") and then checks every value the runtime
// later uses as an index, size or offset, so that the loader and sessions can trust the module without
// further checks. Touches no executable code: sinter-dump uses it to describe modules for any target.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_RUNTIME_SRC_MODULE_VALIDATOR_H
#define SINTER_RUNTIME_SRC_MODULE_VALIDATOR_H

#include "status.h"

#include "sinter_module_generated.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace sinter {

/// The newest module format version this runtime reads, and the oldest (version 2 added dynamic output
/// dims, version 3 run-time checks; an older module is a newer one without them).
constexpr uint32_t kSupportedModuleVersion = 3;
constexpr uint32_t kOldestModuleVersion = 1;
/// Alignment of Module.constants (and so of every constant) relative to the start of the module.
constexpr size_t kConstantsAlignment = 64;

/// Checks `size` bytes at `data` and returns the root table in `module`. Corrupt or inconsistent bytes are
/// INVALID_MODULE; a newer format version or an unknown executable format is UNSUPPORTED.
Status validateModule(const uint8_t *data, size_t size, const fb::Module *&module);

/// Byte size of a signature entry that validateModule accepted (of its bound shape when it has dynamic dims).
uint64_t signatureByteSize(const fb::TensorSignature &signature);

/// A module-supplied string made safe for messages: quoted, non-printable bytes escaped, long ones cut.
std::string quoteModuleString(const flatbuffers::String *text);

} // namespace sinter

#endif // SINTER_RUNTIME_SRC_MODULE_VALIDATOR_H
