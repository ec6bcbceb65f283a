// RUN: sinter-opt %s -split-input-file | FileCheck %s
// Round trip: the printed form parses back, defaults are elided, none values stand for absent inputs.
// RUN: sinter-opt %s -split-input-file | sinter-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func @gemm_without_bias
func.func @gemm_without_bias(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<2x4xf32> {
  // CHECK: %[[NONE:.*]] = graph.none
  // CHECK: graph.Gemm(%{{.*}}, %{{.*}}, %[[NONE]]) {alpha = 5.000000e-01 : f32, transB = 1 : i64}
  %none = graph.none
  %0 = graph.Gemm(%a, %b, %none) {alpha = 0.5 : f32, transB = 1} : (tensor<2x3xf32>, tensor<4x3xf32>, none) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func @variadic_results
func.func @variadic_results(%x: tensor<2x6xf32>) -> (tensor<2x2xf32>, tensor<2x4xf32>) {
  // CHECK: graph.Split({{.*}}) {axis = 1 : i64} : (tensor<2x6xf32>, tensor<2xi64>) -> (tensor<2x2xf32>, tensor<2x4xf32>)
  %s = graph.constant dense<[2, 4]> : tensor<2xi64>
  %0:2 = graph.Split(%x, %s) {axis = 1} : (tensor<2x6xf32>, tensor<2xi64>) -> (tensor<2x2xf32>, tensor<2x4xf32>)
  return %0#0, %0#1 : tensor<2x2xf32>, tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func @layernorm_defaults
func.func @layernorm_defaults(%x: tensor<1x8x32xf32>, %g: tensor<32xf32>, %b: tensor<32xf32>) -> tensor<1x8x32xf32> {
  // Default-valued attributes (axis = -1, epsilon = 1e-5) are not printed.
  // CHECK: graph.LayerNormalization(%{{.*}}, %{{.*}}, %{{.*}}) : (tensor<1x8x32xf32>, tensor<32xf32>, tensor<32xf32>) -> (tensor<1x8x32xf32>, none, none)
  %0:3 = graph.LayerNormalization(%x, %g, %b) {axis = -1, epsilon = 9.99999974E-6 : f32} : (tensor<1x8x32xf32>, tensor<32xf32>, tensor<32xf32>) -> (tensor<1x8x32xf32>, none, none)
  return %0#0 : tensor<1x8x32xf32>
}

// -----

// CHECK-LABEL: func @broadcast_and_dynamic
func.func @broadcast_and_dynamic(%a: tensor<?x1x4xf32>, %b: tensor<3x1xf32>) -> tensor<?x3x4xf32> {
  // CHECK: graph.Add
  %0 = graph.Add(%a, %b) : (tensor<?x1x4xf32>, tensor<3x1xf32>) -> tensor<?x3x4xf32>
  return %0 : tensor<?x3x4xf32>
}

// -----

// CHECK-LABEL: func @dft_and_conv1d
func.func @dft_and_conv1d(%x: tensor<1x128x8x1xf32>, %s: tensor<1x8x64xf32>, %w: tensor<8x1x64xf32>) -> (tensor<1x128x8x2xf32>, tensor<1x8x1xf32>) {
  // The default axis (1) is not printed.
  // CHECK: graph.DFT({{.*}}) : (tensor<1x128x8x1xf32>, none) -> tensor<1x128x8x2xf32>
  %none = graph.none
  %0 = graph.DFT(%x, %none) {axis = 1} : (tensor<1x128x8x1xf32>, none) -> tensor<1x128x8x2xf32>
  // CHECK: graph.Conv({{.*}}) {group = 8 : i64, kernel_shape = array<i64: 64>}
  %1 = graph.Conv(%s, %w, %none) {group = 8, kernel_shape = array<i64: 64>} : (tensor<1x8x64xf32>, tensor<8x1x64xf32>, none) -> tensor<1x8x1xf32>
  return %0, %1 : tensor<1x128x8x2xf32>, tensor<1x8x1xf32>
}

// -----

// CHECK-LABEL: func @negative_axes
func.func @negative_axes(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) -> tensor<2x8xf32> {
  // CHECK: graph.Concat({{.*}}) {axis = -1 : i64}
  %0 = graph.Concat(%a, %b) {axis = -1} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}
