//===- ReductionToLinalg.cpp - Reduce* and ArgMax/ArgMin -> linalg --------------------------------------===//
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/graph/GraphOps.h"

using namespace mlir;

namespace sinter {

void populateGraphReductionToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {}

} // namespace sinter
