// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// CHECK-LABEL: func @matmul_2d
// CHECK: linalg.fill
// CHECK: linalg.matmul ins(%arg0, %arg1 : tensor<2x3xf32>, tensor<3x4xf32>)
func.func @matmul_2d(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = graph.MatMul(%a, %b) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Batched with a broadcast weight: the weight is not indexed by the batch loops.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (d3, d2)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func @matmul_batched
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[Y]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
func.func @matmul_batched(%a: tensor<1x8x32xf32>, %b: tensor<32x96xf32>) -> tensor<1x8x96xf32> {
  %0 = graph.MatMul(%a, %b) : (tensor<1x8x32xf32>, tensor<32x96xf32>) -> tensor<1x8x96xf32>
  return %0 : tensor<1x8x96xf32>
}

// -----

// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func @matmul_vector_matrix
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[Y]]], iterator_types = ["parallel", "reduction"]}
func.func @matmul_vector_matrix(%a: tensor<3xf32>, %b: tensor<3x4xf32>) -> tensor<4xf32> {
  %0 = graph.MatMul(%a, %b) : (tensor<3xf32>, tensor<3x4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Gemm with transB reads B through a transposed map, then scales and adds the broadcast bias.
// CHECK-DAG: #[[BT:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func @gemm
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[BT]], #{{.*}}], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: linalg.generic
// CHECK: arith.mulf {{.*}}, %cst
// CHECK: arith.addf
func.func @gemm(%a: tensor<2x16xf32>, %b: tensor<32x16xf32>, %c: tensor<32xf32>) -> tensor<2x32xf32> {
  %0 = graph.Gemm(%a, %b, %c) {alpha = 2.0 : f32, transB = 1} : (tensor<2x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<2x32xf32>
  return %0 : tensor<2x32xf32>
}
