// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(sinter-pack-weights{panel-width=2}))' | FileCheck %s

// B[K=2, N=3] = [[1, 2, 3], [4, 5, 6]] in panels of 2 columns: panel 0 = rows (1, 2), (4, 5); panel 1 =
// rows (3, pad), (6, pad). The blob is 4-byte aligned f32: 1 2 4 5 3 0 6 0.
// CHECK-LABEL: func @matmul_kn
// CHECK: %[[P:.*]] = arith.constant dense_resource<packed_weight_0> : tensor<2x2x2xf32>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[PACKED:map[0-9]*]], #{{.*}}]
// CHECK-SAME: ins(%{{.*}}, %[[P]] : tensor<4x2xf32>, tensor<2x2x2xf32>)
// CHECK-NOT: dense<
// CHECK: packed_weight_0: "0x040000000000803F00000040000080400000A04000004040000000000000C04000000000"
func.func @matmul_kn(%a: tensor<4x2xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %b = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<4x2xf32>, tensor<2x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// A transposed weight (Gemm transB: B stored [N, K]) packs to the same layout.
// CHECK: #[[MAP:.*]] = affine_map<(d0, d1, d2) -> (d1 floordiv 2, d2, d1 mod 2)>
// CHECK-LABEL: func @matmul_nk
// CHECK: arith.constant dense_resource<packed_weight_0> : tensor<2x2x2xf32>
// CHECK: indexing_maps = [#{{.*}}, #[[MAP]], #{{.*}}]
// CHECK: packed_weight_0: "0x040000000000803F00000040000080400000A04000004040000000000000C04000000000"
#a = affine_map<(m, n, k) -> (m, k)>
#bt = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @matmul_nk(%a: tensor<4x2xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %b = arith.constant dense<[[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]> : tensor<3x2xf32>
  %0 = linalg.generic {indexing_maps = [#a, #bt, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x2xf32>, tensor<3x2xf32>) outs(%init : tensor<4x3xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Activations times activations (nothing constant) and integer weights are left alone.
// CHECK-LABEL: func @not_constant
// CHECK: linalg.matmul
// CHECK-LABEL: func @integer
// CHECK: linalg.matmul
// CHECK-NOT: packed_weight
func.func @not_constant(%a: tensor<4x2xf32>, %b: tensor<2x3xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<4x2xf32>, tensor<2x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}
func.func @integer(%a: tensor<4x2xi32>, %init: tensor<4x3xi32>) -> tensor<4x3xi32> {
  %b = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %0 = linalg.matmul ins(%a, %b : tensor<4x2xi32>, tensor<2x3xi32>) outs(%init : tensor<4x3xi32>) -> tensor<4x3xi32>
  return %0 : tensor<4x3xi32>
}
