//===- npy_test.cpp - .npy reading and writing ---------------------------------------------------------===//
#include "module_builder.h"
#include "npy.h"

#include <gtest/gtest.h>

namespace sinter {
namespace test {
namespace {

/// A .npy file with a hand-written header (v1 or v2) and raw data.
std::vector<uint8_t> npyFile(const std::string &header, const std::vector<uint8_t> &data, int version = 1) {
  std::vector<uint8_t> bytes = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<uint8_t>(version), 0};
  size_t lengthBytes = version == 1 ? 2 : 4;
  for (size_t i = 0; i < lengthBytes; ++i)
    bytes.push_back(static_cast<uint8_t>(header.size() >> (8 * i)));
  bytes.insert(bytes.end(), header.begin(), header.end());
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

bool parse(const std::vector<uint8_t> &bytes, npy::Array &array, std::string &error) {
  return npy::parse(bytes.data(), bytes.size(), array, error);
}

TEST(Npy, WritesTheHeaderNumPyWrites) {
  // np.save(f, np.zeros((2, 3), np.float32)) writes exactly this 128-byte header.
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  std::string expected = std::string("\x93NUMPY\x01\x00\x76\x00", 10) + dict + std::string(128 - 10 - dict.size() - 1, ' ') + "\n";
  std::vector<float> data(6, 0.0f);
  int64_t shape[] = {2, 3};
  std::vector<uint8_t> bytes = npy::encode(SINTER_TYPE_F32, shape, 2, data.data(), 24);
  ASSERT_EQ(bytes.size(), 128u + 24u);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 128), expected);

  int64_t one[] = {5};
  bytes = npy::encode(SINTER_TYPE_U8, one, 1, "abcde", 5);
  EXPECT_NE(std::string(bytes.begin(), bytes.end()).find("{'descr': '|u1', 'fortran_order': False, 'shape': (5,), }"),
            std::string::npos);
  bytes = npy::encode(SINTER_TYPE_I64, nullptr, 0, "12345678", 8);
  EXPECT_NE(std::string(bytes.begin(), bytes.end()).find("'shape': (), }"), std::string::npos);
  EXPECT_EQ((bytes.size() - 8) % 64, 0u);
}

TEST(Npy, RoundTripsEveryElementType) {
  const std::vector<std::vector<int64_t>> shapes = {{}, {5}, {2, 3, 4}, {0, 3}};
  for (uint32_t type = SINTER_TYPE_F32; type <= SINTER_TYPE_BOOL; ++type) {
    sinter_element_type_t elementType = static_cast<sinter_element_type_t>(type);
    for (const std::vector<int64_t> &shape : shapes) {
      size_t count = 1;
      for (int64_t dim : shape)
        count *= static_cast<size_t>(dim);
      std::vector<uint8_t> data(count * sinter_element_type_size(elementType));
      for (size_t i = 0; i < data.size(); ++i)
        data[i] = elementType == SINTER_TYPE_BOOL ? i % 2 : static_cast<uint8_t>(i * 37 + 11);
      std::vector<uint8_t> bytes = npy::encode(elementType, shape.data(), shape.size(), data.data(), data.size());
      npy::Array array;
      std::string error;
      ASSERT_TRUE(parse(bytes, array, error)) << sinter_element_type_name(elementType) << ": " << error;
      // bf16 has no NumPy dtype and reads back as its uint16 bit pattern.
      EXPECT_EQ(array.elementType, elementType == SINTER_TYPE_BF16 ? SINTER_TYPE_U16 : elementType);
      EXPECT_EQ(array.shape, shape);
      EXPECT_EQ(array.data, data);
    }
  }
}

TEST(Npy, ReadsVersion2AndOtherSpellings) {
  npy::Array array;
  std::string error;
  std::vector<uint8_t> data(24, 7);
  ASSERT_TRUE(parse(npyFile("{\"shape\": (2,3),\"fortran_order\":False, \"descr\": \"<i4\"}\n", data, 2), array, error))
      << error;
  EXPECT_EQ(array.elementType, SINTER_TYPE_I32);
  EXPECT_EQ(array.shape, (std::vector<int64_t>{2, 3}));
  ASSERT_TRUE(parse(npyFile("{'descr': '=u2', 'fortran_order': False, 'shape': (3L, 4L), }  \n", data), array, error))
      << error;
  EXPECT_EQ(array.elementType, SINTER_TYPE_U16);
  EXPECT_EQ(array.shape, (std::vector<int64_t>{3, 4}));
  ASSERT_TRUE(parse(npyFile("{'descr': '|b1', 'fortran_order': False, 'shape': (24,), }\n", data), array, error));
  EXPECT_EQ(array.elementType, SINTER_TYPE_BOOL);
  ASSERT_TRUE(parse(npyFile("{'descr': '>i1', 'fortran_order': False, 'shape': (24,), }\n", data), array, error))
      << "byte order does not matter for one-byte types";
  ASSERT_TRUE(parse(npyFile("{'descr': '<f2', 'fortran_order': False, 'shape': (3, 4), }\n", data, 3), array, error));
  EXPECT_EQ(array.elementType, SINTER_TYPE_F16);
}

TEST(Npy, RejectsWhatItCannotRead) {
  struct Case {
    std::vector<uint8_t> bytes;
    const char *message;
  };
  std::vector<uint8_t> data(24, 0);
  const Case cases[] = {
      {npyFile("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }\n", data), "fortran_order"},
      {npyFile("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }\n", data), "big-endian"},
      {npyFile("{'descr': '<c8', 'fortran_order': False, 'shape': (3,), }\n", data), "unsupported dtype '<c8'"},
      {npyFile("{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }\n", data), "unsupported dtype"},
      {npyFile("{'descr': '<f4', 'shape': (2, 3), }\n", data), "are all required"},
      {npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'extra': 1}\n", data), "unexpected key"},
      {npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }\n", data), "invalid shape"},
      {npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4), }\n", data), "data is 24 bytes but the header describes 32"},
      {npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }\n", data), "data is 24 bytes but the header describes 20"},
      {npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)\n", data), "malformed header"},
      {npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\n", data, 9), "unsupported .npy format version 9"},
      {std::vector<uint8_t>{'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0}, "bad magic"},
      {std::vector<uint8_t>{0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 200, 0, '{'}, "truncated .npy header"},
  };
  for (const Case &c : cases) {
    npy::Array array;
    std::string error;
    EXPECT_FALSE(parse(c.bytes, array, error)) << c.message;
    EXPECT_NE(error.find(c.message), std::string::npos) << "expected '" << c.message << "' in: " << error;
  }
}

TEST(Npy, FileRoundTrip) {
  TempDir dir;
  std::string path = dir.path() + "/x.npy";
  std::vector<double> values = {1.5, -2.25, 1e300};
  int64_t shape[] = {3};
  std::string error;
  ASSERT_TRUE(npy::writeFile(path, SINTER_TYPE_F64, shape, 1, values.data(), 24, error)) << error;
  npy::Array array;
  ASSERT_TRUE(npy::readFile(path, array, error)) << error;
  ASSERT_EQ(array.data.size(), 24u);
  EXPECT_EQ(std::memcmp(array.data.data(), values.data(), 24), 0);
  EXPECT_FALSE(npy::readFile(dir.path() + "/missing.npy", array, error));
  EXPECT_NE(error.find("cannot open"), std::string::npos);
  EXPECT_FALSE(npy::writeFile(dir.path() + "/no/such/dir.npy", SINTER_TYPE_F64, shape, 1, values.data(), 24, error));
}

} // namespace
} // namespace test
} // namespace sinter
