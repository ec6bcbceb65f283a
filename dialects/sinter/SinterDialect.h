//===- SinterDialect.h - the sinter compression dialect -------------------------------------------------===//
#ifndef SINTER_DIALECTS_SINTER_SINTERDIALECT_H
#define SINTER_DIALECTS_SINTER_SINTERDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/sinter/SinterDialect.h.inc"

#define GET_OP_CLASSES
#include "dialects/sinter/SinterOps.h.inc"

#endif // SINTER_DIALECTS_SINTER_SINTERDIALECT_H
