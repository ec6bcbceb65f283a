//===- sinter-opt.cpp - mlir-opt with every Sinter dialect and pass -------------------------------------===//
#include "compiler/conversion/Passes.h"
#include "compiler/transforms/Passes.h"
#include "dialects/graph/GraphOps.h"
#include "dialects/sinter/SinterDialect.h"
#include "passes/Passes.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  sinter::registerSinterPasses();
  sinter::registerSinterConversionPasses();
  sinter::registerSinterTransformsPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<sinter::graph::GraphDialect, sinter::SinterDialect>();

  return mlir::asMainReturnCode(mlir::MlirOptMain(argc, argv, "Sinter optimizer driver\n", registry));
}
