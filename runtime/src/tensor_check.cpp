//===- tensor_check.cpp - check caller tensors against a module's signature ----------------------------===//
#include "tensor_check.h"

#include "element_type.h"

namespace sinter {
namespace {

Status checkTensor(const TensorSpec &spec, const sinter_tensor_t &tensor, const std::string &where) {
  if (static_cast<uint32_t>(tensor.element_type) != static_cast<uint32_t>(spec.elementType))
    return invalidArgument(where + ": element type " +
                           (isValidElementType(tensor.element_type) ? elementTypeName(tensor.element_type)
                                                                    : std::to_string(tensor.element_type)) +
                           " does not match the signature's " + elementTypeName(spec.elementType));
  if (tensor.rank != 0 && !tensor.dims)
    return invalidArgument(where + ": dims is NULL for rank " + std::to_string(tensor.rank));
  if (tensor.rank != spec.dims.size())
    return invalidArgument(where + ": rank " + std::to_string(tensor.rank) + " does not match the signature's " +
                           std::to_string(spec.dims.size()) + " (shape " + formatShape(spec.dims) + ")");
  for (size_t i = 0; i < tensor.rank; ++i) {
    // A dynamic dim accepts -1 or its bound (the buffer is sized by the bound).
    if (spec.dynamic && spec.dims[i] == -1 && (tensor.dims[i] == -1 || tensor.dims[i] == spec.boundDims[i]))
      continue;
    if (tensor.dims[i] != spec.dims[i])
      return invalidArgument(where + ": shape " + formatShape(tensor.dims, tensor.rank) +
                             " does not match the signature's " + formatShape(spec.dims));
  }
  if (tensor.byte_size < spec.byteSize)
    return invalidArgument(where + ": byte_size " + std::to_string(tensor.byte_size) + " is less than the " +
                           std::to_string(spec.byteSize) + " bytes of " + elementTypeName(spec.elementType) + " " +
                           formatShape(spec.dynamic ? spec.boundDims : spec.dims) + (spec.dynamic ? " (the bound)" : ""));
  if (!tensor.data && spec.byteSize != 0)
    return invalidArgument(where + ": data is NULL");
  return Status();
}

std::string describe(const char *role, size_t index, const TensorSpec &spec) {
  return std::string(role) + " " + std::to_string(index) + " " + quoteForMessage(spec.name);
}

bool overlaps(const sinter_tensor_t &a, size_t aBytes, const sinter_tensor_t &b, size_t bBytes) {
  if (aBytes == 0 || bBytes == 0)
    return false;
  uintptr_t aBegin = reinterpret_cast<uintptr_t>(a.data), bBegin = reinterpret_cast<uintptr_t>(b.data);
  return aBegin < bBegin + bBytes && bBegin < aBegin + aBytes;
}

} // namespace

Status checkTensors(const std::vector<TensorSpec> &specs, const sinter_tensor_t *tensors, size_t count,
                    const char *role) {
  if (count != specs.size())
    return invalidArgument(std::string("expected ") + std::to_string(specs.size()) + " " + role + "s, got " +
                           std::to_string(count));
  if (count != 0 && !tensors)
    return invalidArgument(std::string(role) + "s is NULL but " + std::to_string(count) + " are expected");
  for (size_t i = 0; i < count; ++i)
    SINTER_RETURN_IF_ERROR(checkTensor(specs[i], tensors[i], describe(role, i, specs[i])));
  return Status();
}

Status checkOutputsDoNotOverlap(const std::vector<TensorSpec> &inputSpecs, const sinter_tensor_t *inputs,
                                const std::vector<TensorSpec> &outputSpecs, const sinter_tensor_t *outputs) {
  for (size_t i = 0; i < outputSpecs.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (overlaps(outputs[i], outputSpecs[i].byteSize, outputs[j], outputSpecs[j].byteSize))
        return invalidArgument(describe("output", i, outputSpecs[i]) + " overlaps " +
                               describe("output", j, outputSpecs[j]) + " in memory");
    }
    for (size_t j = 0; j < inputSpecs.size(); ++j) {
      if (overlaps(outputs[i], outputSpecs[i].byteSize, inputs[j], inputSpecs[j].byteSize))
        return invalidArgument(describe("output", i, outputSpecs[i]) + " overlaps " +
                               describe("input", j, inputSpecs[j]) + " in memory");
    }
  }
  return Status();
}

} // namespace sinter
