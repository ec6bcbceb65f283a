//===- GraphDialect.cpp - graph dialect registration and constant materialization -----------------------===//
#include "dialects/graph/GraphOps.h"

using namespace mlir;
using namespace sinter::graph;

#include "dialects/graph/GraphDialect.cpp.inc"

void GraphDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/graph/GraphOps.cpp.inc"
      >();
}

Operation *GraphDialect::materializeConstant(OpBuilder &builder, Attribute value, Type type, Location loc) {
  if (isa<NoneType>(type))
    return NoneOp::create(builder, loc);
  if (auto elements = dyn_cast<ElementsAttr>(value); elements && elements.getType() == type)
    return ConstantOp::create(builder, loc, elements);
  return nullptr;
}
