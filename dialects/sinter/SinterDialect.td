//===- SinterDialect.td - the sinter compression dialect ------------------------------------------------===//
//
// Home of the compression ops that graph rewrites produce: quantized and outlier-split linear algebra,
// sparse weights, DYAD block-sparse matmuls, grouped attention and fused FFT convolutions. Each op carries
// its packed constant weights and a documented, bit-exact layout. Ops are added with the passes that
// create them.
//
//===----------------------------------------------------------------------------------------------------===//

#ifndef SINTER_DIALECT
#define SINTER_DIALECT

include "mlir/IR/OpBase.td"

def Sinter_Dialect : Dialect {
  let name = "sinter";
  let cppNamespace = "::sinter";
  let summary = "compressed linear algebra produced by Sinter's graph rewrites";
}

#endif // SINTER_DIALECT
