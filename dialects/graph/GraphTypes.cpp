//===- GraphTypes.cpp - ONNX element types <-> MLIR element types ---------------------------------------===//
#include "dialects/graph/GraphTypes.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

namespace {
// TensorProto::DataType values (onnx.proto); listed here so the dialect does not depend on protobuf.
enum OnnxDataType : int64_t {
  UNDEFINED = 0, FLOAT = 1, UINT8 = 2, INT8 = 3, UINT16 = 4, INT16 = 5, INT32 = 6, INT64 = 7, STRING = 8,
  BOOL = 9, FLOAT16 = 10, DOUBLE = 11, UINT32 = 12, UINT64 = 13, COMPLEX64 = 14, COMPLEX128 = 15, BFLOAT16 = 16,
};
} // namespace

Type sinter::graph::elementTypeForOnnx(MLIRContext *ctx, int64_t t) {
  auto i = [&](unsigned w) { return IntegerType::get(ctx, w); };
  auto u = [&](unsigned w) { return IntegerType::get(ctx, w, IntegerType::Unsigned); };
  switch (t) {
  case FLOAT: return Float32Type::get(ctx);
  case DOUBLE: return Float64Type::get(ctx);
  case FLOAT16: return Float16Type::get(ctx);
  case BFLOAT16: return BFloat16Type::get(ctx);
  case INT8: return i(8);
  case INT16: return i(16);
  case INT32: return i(32);
  case INT64: return i(64);
  case UINT8: return u(8);
  case UINT16: return u(16);
  case UINT32: return u(32);
  case UINT64: return u(64);
  case BOOL: return i(1);
  case COMPLEX64: return ComplexType::get(Float32Type::get(ctx));
  case COMPLEX128: return ComplexType::get(Float64Type::get(ctx));
  default: return nullptr;
  }
}

std::optional<int64_t> sinter::graph::onnxDataTypeFor(Type t) {
  if (t.isF32()) return FLOAT;
  if (t.isF64()) return DOUBLE;
  if (t.isF16()) return FLOAT16;
  if (t.isBF16()) return BFLOAT16;
  if (auto c = dyn_cast<ComplexType>(t)) {
    if (c.getElementType().isF32()) return COMPLEX64;
    if (c.getElementType().isF64()) return COMPLEX128;
    return std::nullopt;
  }
  auto it = dyn_cast<IntegerType>(t);
  if (!it || it.isSigned())
    return std::nullopt;
  bool isUnsigned = it.isUnsigned();
  switch (it.getWidth()) {
  case 1: return isUnsigned ? std::nullopt : std::optional<int64_t>(BOOL);
  case 8: return isUnsigned ? UINT8 : INT8;
  case 16: return isUnsigned ? UINT16 : INT16;
  case 32: return isUnsigned ? UINT32 : INT32;
  case 64: return isUnsigned ? UINT64 : INT64;
  default: return std::nullopt;
  }
}

const char *sinter::graph::onnxDataTypeName(int64_t t) {
  static const char *names[] = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32",
                                "INT64", "STRING", "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64",
                                "COMPLEX64", "COMPLEX128", "BFLOAT16", "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ",
                                "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4", "INT4"};
  if (t >= 0 && t < static_cast<int64_t>(sizeof(names) / sizeof(names[0])))
    return names[t];
  return "unknown";
}
