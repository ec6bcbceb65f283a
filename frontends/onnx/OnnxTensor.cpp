//===- OnnxTensor.cpp - the data of an ONNX TensorProto as bytes ----------------------------------------===//
#include "frontends/onnx/OnnxTensor.h"

#include <cstring>

namespace sinter::onnx_frontend {

int64_t onnxElementByteSize(int32_t t) {
  switch (t) {
  case onnx::TensorProto::BOOL: case onnx::TensorProto::INT8: case onnx::TensorProto::UINT8: return 1;
  case onnx::TensorProto::INT16: case onnx::TensorProto::UINT16: case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16: return 2;
  case onnx::TensorProto::INT32: case onnx::TensorProto::UINT32: case onnx::TensorProto::FLOAT: return 4;
  case onnx::TensorProto::INT64: case onnx::TensorProto::UINT64: case onnx::TensorProto::DOUBLE:
  case onnx::TensorProto::COMPLEX64: return 8;
  case onnx::TensorProto::COMPLEX128: return 16;
  default: return 0;
  }
}

bool onnxTensorBytes(const onnx::TensorProto &t, std::vector<char> &bytes, std::string &reason,
                     int64_t maxElements) {
  int64_t width = onnxElementByteSize(t.data_type());
  if (!width) {
    reason = "has an unsupported element type";
    return false;
  }
  if (t.data_location() == onnx::TensorProto::EXTERNAL) {
    reason = "external data was not loaded";
    return false;
  }
  int64_t count = 1;
  for (int64_t d : t.dims()) {
    if (d < 0) {
      reason = "has a negative dimension";
      return false;
    }
    count *= d;
    if (count > maxElements) {
      reason = "is larger than " + std::to_string(maxElements) + " elements";
      return false;
    }
  }
  bytes.assign(static_cast<size_t>(count * width), 0);
  if (t.has_raw_data()) {
    if (static_cast<int64_t>(t.raw_data().size()) != count * width) {
      reason = "raw_data has " + std::to_string(t.raw_data().size()) + " bytes but its shape and type need " +
               std::to_string(count * width);
      return false;
    }
    std::memcpy(bytes.data(), t.raw_data().data(), bytes.size());
    return true;
  }
  auto expectCount = [&](int64_t have, int64_t perElement) {
    if (have == count * perElement)
      return true;
    reason = "holds " + std::to_string(have / perElement) + " values but its shape needs " + std::to_string(count);
    return false;
  };
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT: case onnx::TensorProto::COMPLEX64:
    if (!expectCount(t.float_data_size(), width / 4)) return false;
    std::memcpy(bytes.data(), t.float_data().data(), bytes.size());
    return true;
  case onnx::TensorProto::DOUBLE: case onnx::TensorProto::COMPLEX128:
    if (!expectCount(t.double_data_size(), width / 8)) return false;
    std::memcpy(bytes.data(), t.double_data().data(), bytes.size());
    return true;
  case onnx::TensorProto::INT64:
    if (!expectCount(t.int64_data_size(), 1)) return false;
    std::memcpy(bytes.data(), t.int64_data().data(), bytes.size());
    return true;
  case onnx::TensorProto::UINT32: case onnx::TensorProto::UINT64:
    if (!expectCount(t.uint64_data_size(), 1)) return false;
    for (int64_t i = 0; i < count; ++i) {
      uint64_t v = t.uint64_data(i);
      std::memcpy(bytes.data() + i * width, &v, width); // little-endian: the low bytes come first
    }
    return true;
  default: // int32_data holds one element per entry for every narrower type (and fp16/bf16 bit patterns)
    if (!expectCount(t.int32_data_size(), 1)) return false;
    for (int64_t i = 0; i < count; ++i) {
      int32_t v = t.int32_data(i);
      std::memcpy(bytes.data() + i * width, &v, width);
    }
    return true;
  }
}

} // namespace sinter::onnx_frontend
