//===- GraphOps.cpp - graph dialect op definitions and folders ------------------------------------------===//
#include "dialects/graph/GraphOps.h"

using namespace mlir;
using namespace sinter::graph;

bool sinter::graph::haveSameElementType(std::initializer_list<ValueRange> groups) {
  Type expected;
  for (ValueRange group : groups) {
    for (Value v : group) {
      if (isa<NoneType>(v.getType()))
        continue;
      Type element = getElementTypeOrSelf(v.getType());
      if (!expected)
        expected = element;
      else if (element != expected)
        return false;
    }
  }
  return true;
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult NoneOp::fold(FoldAdaptor) { return UnitAttr::get(getContext()); }

#define GET_OP_CLASSES
#include "dialects/graph/GraphOps.cpp.inc"
