//===- npy.h - NumPy .npy files: read and write -------------------------------------------------------===//
//
// The format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html): magic "\x93NUMPY",
// version, a little-endian header length (2 bytes in v1, 4 in v2/v3), an ASCII Python dict literal
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } padded with spaces to a 64-byte boundary,
// then the raw data. Only little-endian, C-order arrays of the runtime's element types are supported.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_RUNTIME_TOOLS_NPY_H
#define SINTER_RUNTIME_TOOLS_NPY_H

#include "sinter/runtime.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sinter {
namespace npy {

struct Array {
  sinter_element_type_t elementType = SINTER_TYPE_F32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data; // C order, little-endian, exactly product(shape) * element size bytes
};

/// The dtype descr written for `type` ("<f4", "|b1", ...). NumPy has no bfloat16, so bf16 is written as
/// its bit pattern, "<u2".
const char *descrFor(sinter_element_type_t type);

/// Parses a whole .npy file held in memory. On failure returns false with a one-line reason in `error`.
bool parse(const uint8_t *bytes, size_t size, Array &out, std::string &error);
bool readFile(const std::string &path, Array &out, std::string &error);

/// A v1 .npy file (v2 when the header would not fit v1's 16-bit length) holding `data`.
std::vector<uint8_t> encode(sinter_element_type_t type, const int64_t *shape, size_t rank, const void *data,
                            size_t byteSize);
bool writeFile(const std::string &path, sinter_element_type_t type, const int64_t *shape, size_t rank,
               const void *data, size_t byteSize, std::string &error);

} // namespace npy
} // namespace sinter

#endif // SINTER_RUNTIME_TOOLS_NPY_H
