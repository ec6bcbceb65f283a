// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// CHECK-LABEL: func @reshape
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1, 2]] : tensor<1x8x32xf32> into tensor<256xf32>
// CHECK: tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1, 2, 3]] output_shape [1, 8, 2, 16] : tensor<256xf32> into tensor<1x8x2x16xf32>
func.func @reshape(%x: tensor<1x8x32xf32>) -> tensor<1x8x2x16xf32> {
  %s = graph.constant dense<[1, 8, 2, 16]> : tensor<4xi64>
  %0 = graph.Reshape(%x, %s) : (tensor<1x8x32xf32>, tensor<4xi64>) -> tensor<1x8x2x16xf32>
  return %0 : tensor<1x8x2x16xf32>
}

// -----

// CHECK-LABEL: func @transpose
// CHECK: linalg.transpose ins(%arg0 : tensor<1x8x2x16xf32>) outs(%{{.*}} : tensor<1x2x8x16xf32>) permutation = [0, 2, 1, 3]
func.func @transpose(%x: tensor<1x8x2x16xf32>) -> tensor<1x2x8x16xf32> {
  %0 = graph.Transpose(%x) {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x8x2x16xf32>) -> tensor<1x2x8x16xf32>
  return %0 : tensor<1x2x8x16xf32>
}

// -----

// No perm: the dimensions are reversed.
// CHECK-LABEL: func @transpose_default
// CHECK: permutation = [1, 0]
func.func @transpose_default(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %0 = graph.Transpose(%x) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Rank 0 <-> rank 1 reshapes use expand/collapse with no reassociation groups.
// CHECK-LABEL: func @unsqueeze_scalar
// CHECK: %[[E:.*]] = tensor.expand_shape %arg0 [] output_shape [1] : tensor<f32> into tensor<1xf32>
// CHECK: %[[E2:.*]] = tensor.expand_shape %[[E]] {{\[\[}}0, 1]] output_shape [1, 1] : tensor<1xf32> into tensor<1x1xf32>
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[E2]] {{\[\[}}0, 1]] : tensor<1x1xf32> into tensor<1xf32>
// CHECK: tensor.collapse_shape %[[C]] [] : tensor<1xf32> into tensor<f32>
func.func @unsqueeze_scalar(%x: tensor<f32>) -> tensor<f32> {
  %a = graph.constant dense<[0]> : tensor<1xi64>
  %0 = graph.Unsqueeze(%x, %a) : (tensor<f32>, tensor<1xi64>) -> tensor<1xf32>
  %1 = graph.Unsqueeze(%0, %a) : (tensor<1xf32>, tensor<1xi64>) -> tensor<1x1xf32>
  %2 = graph.Squeeze(%1, %a) : (tensor<1x1xf32>, tensor<1xi64>) -> tensor<1xf32>
  %3 = graph.Squeeze(%2, %a) : (tensor<1xf32>, tensor<1xi64>) -> tensor<f32>
  return %3 : tensor<f32>
}
