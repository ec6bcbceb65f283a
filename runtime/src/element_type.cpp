//===- element_type.cpp - element types and checked tensor sizes ---------------------------------------===//
#include "element_type.h"

#include <limits>

namespace sinter {

bool isValidElementType(uint32_t value) { return value <= SINTER_TYPE_BOOL; }

size_t elementTypeSize(sinter_element_type_t type) {
  switch (type) {
  case SINTER_TYPE_F64:
  case SINTER_TYPE_I64:
  case SINTER_TYPE_U64: return 8;
  case SINTER_TYPE_F32:
  case SINTER_TYPE_I32:
  case SINTER_TYPE_U32: return 4;
  case SINTER_TYPE_F16:
  case SINTER_TYPE_BF16:
  case SINTER_TYPE_I16:
  case SINTER_TYPE_U16: return 2;
  case SINTER_TYPE_I8:
  case SINTER_TYPE_U8:
  case SINTER_TYPE_BOOL: return 1;
  }
  return 0;
}

const char *elementTypeName(sinter_element_type_t type) {
  switch (type) {
  case SINTER_TYPE_F32: return "f32";
  case SINTER_TYPE_F64: return "f64";
  case SINTER_TYPE_F16: return "f16";
  case SINTER_TYPE_BF16: return "bf16";
  case SINTER_TYPE_I8: return "i8";
  case SINTER_TYPE_I16: return "i16";
  case SINTER_TYPE_I32: return "i32";
  case SINTER_TYPE_I64: return "i64";
  case SINTER_TYPE_U8: return "u8";
  case SINTER_TYPE_U16: return "u16";
  case SINTER_TYPE_U32: return "u32";
  case SINTER_TYPE_U64: return "u64";
  case SINTER_TYPE_BOOL: return "bool";
  }
  return "invalid";
}

bool checkedByteSize(const int64_t *dims, size_t rank, size_t elementSize, uint64_t &bytes) {
  // Multiply in int64 so that a result the C API reports as size_t and the loader compares with uint64
  // offsets is also a valid signed extent.
  int64_t product = static_cast<int64_t>(elementSize);
  for (size_t i = 0; i < rank; ++i) {
    if (dims[i] < 0 || __builtin_mul_overflow(product, dims[i], &product))
      return false;
  }
  if (static_cast<uint64_t>(product) > std::numeric_limits<size_t>::max())
    return false;
  bytes = static_cast<uint64_t>(product);
  return true;
}

std::string formatShape(const int64_t *dims, size_t rank, size_t maxShown) {
  std::string text = "[";
  for (size_t i = 0; i < rank && i < maxShown; ++i)
    text += (i ? ", " : "") + std::to_string(dims[i]);
  if (rank > maxShown)
    text += ", ... (" + std::to_string(rank) + " dims)";
  return text + "]";
}

} // namespace sinter
