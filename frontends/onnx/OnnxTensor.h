//===- OnnxTensor.h - the data of an ONNX TensorProto as bytes ------------------------------------------===//
#ifndef SINTER_FRONTENDS_ONNX_ONNXTENSOR_H
#define SINTER_FRONTENDS_ONNX_ONNXTENSOR_H

#include "onnx/onnx_pb.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sinter::onnx_frontend {

/// Bytes per element of an ONNX data type in memory (bool is one byte), or 0 for types without a fixed
/// width that Sinter holds (string, float8, 4-bit types, undefined).
int64_t onnxElementByteSize(int32_t dataType);

/// The tensor's elements as little-endian bytes in their natural width, read from raw_data or from the typed
/// field ONNX stores that type in (int32_data holds one narrow integer / fp16 / bf16 per entry). Returns
/// false with `reason` set when the type is unsupported, data is external, or the count does not fill the
/// shape. `maxElements` bounds what is decoded (callers that only want small tensors pass a limit).
bool onnxTensorBytes(const onnx::TensorProto &tensor, std::vector<char> &bytes, std::string &reason,
                     int64_t maxElements = INT64_MAX);

} // namespace sinter::onnx_frontend

#endif // SINTER_FRONTENDS_ONNX_ONNXTENSOR_H
