//===- SinterDialect.h - the sinter compression dialect -------------------------------------------------===//
#ifndef SINTER_DIALECTS_SINTER_SINTERDIALECT_H
#define SINTER_DIALECTS_SINTER_SINTERDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/sinter/SinterDialect.h.inc"

#endif // SINTER_DIALECTS_SINTER_SINTERDIALECT_H
