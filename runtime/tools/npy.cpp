//===- npy.cpp - NumPy .npy files: read and write -----------------------------------------------------===//
#include "npy.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

namespace sinter {
namespace npy {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLength = 6;
constexpr size_t kHeaderAlignment = 64;

struct DtypeEntry {
  const char *code; // descr without the byte-order character; its digit is the element size
  sinter_element_type_t type;
};

// bf16 is absent: a "<u2" file maps to u16 (sinter-run accepts it for bf16 inputs as raw bits).
constexpr DtypeEntry kDtypes[] = {
    {"f4", SINTER_TYPE_F32}, {"f8", SINTER_TYPE_F64}, {"f2", SINTER_TYPE_F16}, {"i1", SINTER_TYPE_I8},
    {"i2", SINTER_TYPE_I16}, {"i4", SINTER_TYPE_I32}, {"i8", SINTER_TYPE_I64}, {"u1", SINTER_TYPE_U8},
    {"u2", SINTER_TYPE_U16}, {"u4", SINTER_TYPE_U32}, {"u8", SINTER_TYPE_U64}, {"b1", SINTER_TYPE_BOOL},
};

/// A cursor over the header's Python dict literal; just enough grammar for what NumPy writes.
class HeaderParser {
public:
  explicit HeaderParser(const std::string &text) : text_(text) {}

  void skipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
  }
  bool consume(char c) {
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool peek(char c) {
    skipSpace();
    return pos_ < text_.size() && text_[pos_] == c;
  }
  bool atEnd() {
    skipSpace();
    return pos_ == text_.size();
  }
  bool parseString(std::string &out) {
    skipSpace();
    if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"'))
      return false;
    char quote = text_[pos_++];
    size_t end = text_.find(quote, pos_);
    if (end == std::string::npos)
      return false;
    out = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return true;
  }
  bool parseBool(bool &out) {
    skipSpace();
    if (text_.compare(pos_, 4, "True") == 0) {
      out = true;
      pos_ += 4;
      return true;
    }
    if (text_.compare(pos_, 5, "False") == 0) {
      out = false;
      pos_ += 5;
      return true;
    }
    return false;
  }
  bool parseInt(int64_t &out) {
    skipSpace();
    size_t start = pos_;
    bool negative = pos_ < text_.size() && text_[pos_] == '-';
    if (negative)
      ++pos_;
    uint64_t value = 0;
    size_t digits = 0;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      value = value * 10 + static_cast<uint64_t>(text_[pos_++] - '0');
      if (++digits > 18)
        return false; // larger than any real dimension; avoids overflow
    }
    if (digits == 0) {
      pos_ = start;
      return false;
    }
    if (pos_ < text_.size() && text_[pos_] == 'L') // Python 2 longs, written by old NumPy
      ++pos_;
    out = negative ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
    return true;
  }
  /// "()" or "(n,)" or "(a, b, ...)" with an optional trailing comma.
  bool parseShape(std::vector<int64_t> &out) {
    out.clear();
    if (!consume('('))
      return false;
    while (!consume(')')) {
      int64_t dim = 0;
      if (!parseInt(dim))
        return false;
      out.push_back(dim);
      if (!consume(',') && !peek(')'))
        return false;
    }
    return true;
  }

private:
  const std::string &text_;
  size_t pos_ = 0;
};

bool parseDescr(const std::string &descr, sinter_element_type_t &type, std::string &error) {
  if (descr.size() != 3) {
    error = "unsupported dtype '" + descr + "'";
    return false;
  }
  char order = descr[0];
  std::string code = descr.substr(1);
  const DtypeEntry *entry = nullptr;
  for (const DtypeEntry &candidate : kDtypes) {
    if (code == candidate.code)
      entry = &candidate;
  }
  if (!entry || (order != '<' && order != '>' && order != '|' && order != '=')) {
    error = "unsupported dtype '" + descr + "' (supported: f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1)";
    return false;
  }
  bool singleByte = code[1] == '1';
  if (order == '>' && !singleByte) {
    error = "big-endian data ('" + descr + "') is not supported; convert with arr.astype('<" + code + "')";
    return false;
  }
  if (order == '|' && !singleByte) {
    error = "dtype '" + descr + "' has no byte order";
    return false;
  }
  // '=' is native order, which is little-endian on every host the runtime supports.
  type = entry->type;
  return true;
}

bool parseHeader(const std::string &text, Array &out, std::string &error) {
  HeaderParser parser(text);
  bool haveDescr = false, haveOrder = false, haveShape = false, fortranOrder = false;
  std::string descr;
  if (!parser.consume('{')) {
    error = "malformed header: expected '{'";
    return false;
  }
  while (!parser.consume('}')) {
    std::string key;
    if (!parser.parseString(key) || !parser.consume(':')) {
      error = "malformed header: expected a quoted key and ':'";
      return false;
    }
    bool ok;
    if (key == "descr")
      ok = haveDescr = parser.parseString(descr);
    else if (key == "fortran_order")
      ok = haveOrder = parser.parseBool(fortranOrder);
    else if (key == "shape")
      ok = haveShape = parser.parseShape(out.shape);
    else {
      error = "malformed header: unexpected key '" + key + "'";
      return false;
    }
    if (!ok) {
      error = "malformed header: bad value for '" + key + "'";
      return false;
    }
    if (!parser.consume(',') && !parser.peek('}')) {
      error = "malformed header: expected ',' or '}'";
      return false;
    }
  }
  if (!parser.atEnd()) {
    error = "malformed header: text after the dict";
    return false;
  }
  if (!haveDescr || !haveOrder || !haveShape) {
    error = "malformed header: 'descr', 'fortran_order' and 'shape' are all required";
    return false;
  }
  if (fortranOrder) {
    error = "fortran_order arrays are not supported; save a C-order array (np.ascontiguousarray)";
    return false;
  }
  return parseDescr(descr, out.elementType, error);
}

std::string formatHeaderDict(sinter_element_type_t type, const int64_t *shape, size_t rank) {
  std::string text = std::string("{'descr': '") + descrFor(type) + "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < rank; ++i)
    text += std::to_string(shape[i]) + (rank == 1 ? "," : i + 1 < rank ? ", " : "");
  return text + "), }";
}

/// Bytes per element, from the descr table (this file does not depend on the runtime library).
size_t elementSize(sinter_element_type_t type) {
  if (type == SINTER_TYPE_BF16)
    return 2;
  for (const DtypeEntry &entry : kDtypes) {
    if (entry.type == type)
      return static_cast<size_t>(entry.code[1] - '0');
  }
  return 0;
}

} // namespace

const char *descrFor(sinter_element_type_t type) {
  switch (type) {
  case SINTER_TYPE_F32: return "<f4";
  case SINTER_TYPE_F64: return "<f8";
  case SINTER_TYPE_F16: return "<f2";
  case SINTER_TYPE_BF16: return "<u2";
  case SINTER_TYPE_I8: return "|i1";
  case SINTER_TYPE_I16: return "<i2";
  case SINTER_TYPE_I32: return "<i4";
  case SINTER_TYPE_I64: return "<i8";
  case SINTER_TYPE_U8: return "|u1";
  case SINTER_TYPE_U16: return "<u2";
  case SINTER_TYPE_U32: return "<u4";
  case SINTER_TYPE_U64: return "<u8";
  case SINTER_TYPE_BOOL: return "|b1";
  }
  return "|u1";
}

bool parse(const uint8_t *bytes, size_t size, Array &out, std::string &error) {
  out = Array();
  if (size < kMagicLength + 2 || std::memcmp(bytes, kMagic, kMagicLength) != 0) {
    error = "not a .npy file (bad magic)";
    return false;
  }
  uint8_t major = bytes[kMagicLength];
  size_t lengthBytes = major == 1 ? 2 : (major == 2 || major == 3) ? 4 : 0;
  if (lengthBytes == 0) {
    error = "unsupported .npy format version " + std::to_string(major);
    return false;
  }
  size_t preamble = kMagicLength + 2 + lengthBytes;
  if (size < preamble) {
    error = "truncated .npy header";
    return false;
  }
  size_t headerLength = 0;
  for (size_t i = 0; i < lengthBytes; ++i) // little-endian
    headerLength |= static_cast<size_t>(bytes[kMagicLength + 2 + i]) << (8 * i);
  if (headerLength > size - preamble) {
    error = "truncated .npy header";
    return false;
  }
  std::string header(reinterpret_cast<const char *>(bytes + preamble), headerLength);
  if (!parseHeader(header, out, error))
    return false;

  uint64_t elements = 1;
  for (int64_t dim : out.shape) {
    if (dim < 0 || __builtin_mul_overflow(elements, static_cast<uint64_t>(dim), &elements)) {
      error = "invalid shape in .npy header";
      return false;
    }
  }
  uint64_t expected = 0;
  if (__builtin_mul_overflow(elements, static_cast<uint64_t>(elementSize(out.elementType)), &expected)) {
    error = "invalid shape in .npy header";
    return false;
  }
  size_t available = size - preamble - headerLength;
  if (available != expected) {
    error = "data is " + std::to_string(available) + " bytes but the header describes " + std::to_string(expected);
    return false;
  }
  out.data.assign(bytes + preamble + headerLength, bytes + size);
  return true;
}

bool readFile(const std::string &path, Array &out, std::string &error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    error = "cannot open '" + path + "'";
    return false;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (file.bad()) {
    error = "cannot read '" + path + "'";
    return false;
  }
  if (!parse(bytes.data(), bytes.size(), out, error)) {
    error = path + ": " + error;
    return false;
  }
  return true;
}

std::vector<uint8_t> encode(sinter_element_type_t type, const int64_t *shape, size_t rank, const void *data,
                            size_t byteSize) {
  std::string dict = formatHeaderDict(type, shape, rank);
  // The header (preamble + dict + padding + '\n') ends on a 64-byte boundary so that the data is aligned.
  size_t preamble = kMagicLength + 2 + 2;
  int version = 1;
  if (dict.size() + 1 + kHeaderAlignment > 0xffff) {
    preamble = kMagicLength + 2 + 4;
    version = 2;
  }
  size_t unpadded = preamble + dict.size() + 1;
  size_t padding = (kHeaderAlignment - unpadded % kHeaderAlignment) % kHeaderAlignment;
  std::string header = dict + std::string(padding, ' ') + "\n";

  std::vector<uint8_t> bytes(kMagic, kMagic + kMagicLength);
  bytes.push_back(static_cast<uint8_t>(version));
  bytes.push_back(0);
  size_t lengthBytes = version == 1 ? 2 : 4;
  for (size_t i = 0; i < lengthBytes; ++i)
    bytes.push_back(static_cast<uint8_t>(header.size() >> (8 * i)));
  bytes.insert(bytes.end(), header.begin(), header.end());
  const uint8_t *begin = static_cast<const uint8_t *>(data);
  bytes.insert(bytes.end(), begin, begin + byteSize);
  return bytes;
}

bool writeFile(const std::string &path, sinter_element_type_t type, const int64_t *shape, size_t rank,
               const void *data, size_t byteSize, std::string &error) {
  std::vector<uint8_t> bytes = encode(type, shape, rank, data, byteSize);
  FILE *file = std::fopen(path.c_str(), "wb");
  if (!file) {
    error = "cannot create '" + path + "': " + std::strerror(errno);
    return false;
  }
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  ok = (std::fclose(file) == 0) && ok;
  if (!ok)
    error = "cannot write '" + path + "'";
  return ok;
}

} // namespace npy
} // namespace sinter
