//===- SinterDialect.cpp - the sinter compression dialect -----------------------------------------------===//
#include "dialects/sinter/SinterDialect.h"

#include "dialects/sinter/SinterDialect.cpp.inc"

void sinter::SinterDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/sinter/SinterOps.cpp.inc"
      >();
}
