// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// CHECK-LABEL: func @constants
// CHECK: arith.constant dense<[1, 2]> : tensor<2xi8>
// CHECK: arith.constant dense_resource<w> : tensor<2x2xf32>
func.func @constants() -> (tensor<2xui8>, tensor<2x2xf32>) {
  %0 = graph.constant dense<[1, 2]> : tensor<2xui8>
  %1 = graph.constant dense_resource<w> : tensor<2x2xf32>
  return %0, %1 : tensor<2xui8>, tensor<2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F000000400000404000008040"
    }
  }
#-}
