//===- element_type.h - element types and checked tensor sizes -----------------------------------------===//
#ifndef SINTER_RUNTIME_SRC_ELEMENT_TYPE_H
#define SINTER_RUNTIME_SRC_ELEMENT_TYPE_H

#include "sinter/runtime.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sinter {

/// True for the values of sinter_element_type_t (read from untrusted module bytes as a plain integer).
bool isValidElementType(uint32_t value);

/// Bytes per element; 0 for an invalid type.
size_t elementTypeSize(sinter_element_type_t type);

/// "f32", "bf16", ...; "invalid" for an invalid type.
const char *elementTypeName(sinter_element_type_t type);

/// product(dims) * elementSize, or false if a dim is negative or the result does not fit in int64.
bool checkedByteSize(const int64_t *dims, size_t rank, size_t elementSize, uint64_t &bytes);

/// "[2, 3]" ("[]" for a scalar). Messages show at most `maxShown` dims: corrupt modules can hold absurd
/// ranks, and an error should stay one readable line.
std::string formatShape(const int64_t *dims, size_t rank, size_t maxShown = 8);
inline std::string formatShape(const std::vector<int64_t> &dims) { return formatShape(dims.data(), dims.size()); }

} // namespace sinter

#endif // SINTER_RUNTIME_SRC_ELEMENT_TYPE_H
