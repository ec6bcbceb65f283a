//===- NNToLinalg.cpp - normalization, softmax, convolution, pooling, DFT -> linalg ---------------------===//
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/graph/GraphOps.h"

using namespace mlir;

namespace sinter {

void populateGraphNNToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {}

} // namespace sinter
