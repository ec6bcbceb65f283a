//===- tensor_check.h - check caller tensors against a module's signature ------------------------------===//
#ifndef SINTER_RUNTIME_SRC_TENSOR_CHECK_H
#define SINTER_RUNTIME_SRC_TENSOR_CHECK_H

#include "module_loader.h"
#include "status.h"

namespace sinter {

/// INVALID_ARGUMENT, naming the tensor and what differs, unless `tensors` matches `specs` in count, element
/// type, rank, dims and (at least) byte size, with data present where bytes are needed. `role` is "input"
/// or "output".
Status checkTensors(const std::vector<TensorSpec> &specs, const sinter_tensor_t *tensors, size_t count,
                    const char *role);

/// INVALID_ARGUMENT if an output's bytes overlap another output's or an input's: the dispatches would read
/// values they are overwriting. Call after checkTensors on both lists.
Status checkOutputsDoNotOverlap(const std::vector<TensorSpec> &inputSpecs, const sinter_tensor_t *inputs,
                                const std::vector<TensorSpec> &outputSpecs, const sinter_tensor_t *outputs);

} // namespace sinter

#endif // SINTER_RUNTIME_SRC_TENSOR_CHECK_H
