//===- OnnxModelLoader.h - read, check, upgrade and shape-infer an ONNX model ---------------------------===//
//
// Everything that talks to the ONNX C++ library before MLIR sees the model. The library reports problems by
// throwing; this layer catches everything and returns one LoadError naming the node, op type and reason.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_FRONTENDS_ONNX_ONNXMODELLOADER_H
#define SINTER_FRONTENDS_ONNX_ONNXMODELLOADER_H

#include "onnx/onnx_pb.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sinter::onnx_frontend {

/// The ONNX opset whose semantics the graph dialect carries; models are converted to it.
constexpr int64_t kTargetOpset = 17;

/// ONNX's optimizer domain (its only version is 1). The loader accepts its Adagrad, Adam and Momentum nodes,
/// which the graph dialect has ops for, and models that import this domain alone (no default opset).
constexpr const char *kTrainingDomain = "ai.onnx.preview.training";
constexpr int64_t kTrainingOpset = 1;

/// Whether `opType` of `domain` is one of the imported ai.onnx.preview.training optimizers.
bool isTrainingOptimizer(const std::string &domain, const std::string &opType);

/// `--input-shape NAME=1x128`: fixes every dimension of one graph input.
struct ShapeBinding {
  std::string input;
  std::vector<int64_t> dims;
};

/// Parses "NAME=1x128" (a scalar is "NAME="); returns false with a reason on bad syntax.
bool parseShapeBinding(const std::string &text, ShapeBinding &binding, std::string &reason);

struct LoadOptions {
  std::vector<ShapeBinding> inputShapes;
};

/// A load failure. `node` and `opType` are empty when the problem is not tied to one node.
struct LoadError {
  std::string node;
  std::string opType;
  std::string message;
};

/// Reads `path` (resolving external data relative to its folder), binds input shapes, runs the checker,
/// converts to kTargetOpset, requires static graph inputs, and infers shapes, folding constant shape
/// computations until every shape that can be known is. Returns false and fills `error` on failure.
bool loadOnnxModel(const std::string &path, const LoadOptions &options, onnx::ModelProto &model,
                   LoadError &error);

} // namespace sinter::onnx_frontend

#endif // SINTER_FRONTENDS_ONNX_ONNXMODELLOADER_H
