// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(graph-simplify))' | FileCheck %s

// CHECK-LABEL: func @identity_and_noop_cast
// CHECK-NEXT: return %arg0
func.func @identity_and_noop_cast(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.Identity(%a) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = graph.Cast(%0) {to = 1} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func @real_cast_stays
// CHECK: graph.Cast
func.func @real_cast_stays(%a: tensor<2xf32>) -> tensor<2xi64> {
  %0 = graph.Cast(%a) {to = 7} : (tensor<2xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// CHECK-LABEL: func @inference_dropout
// CHECK-NOT: graph.Dropout
// CHECK: return %arg0
func.func @inference_dropout(%a: tensor<4xf32>) -> tensor<4xf32> {
  %none = graph.none
  %0:2 = graph.Dropout(%a, %none, %none) : (tensor<4xf32>, none, none) -> (tensor<4xf32>, none)
  return %0#0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func @dropout_mask_used
// CHECK: graph.Dropout
func.func @dropout_mask_used(%a: tensor<4xf32>) -> tensor<4xi1> {
  %none = graph.none
  %0:2 = graph.Dropout(%a, %none, %none) : (tensor<4xf32>, none, none) -> (tensor<4xf32>, tensor<4xi1>)
  return %0#1 : tensor<4xi1>
}

// -----

// CHECK-LABEL: func @transposes
// CHECK: %[[T:.*]] = graph.Transpose(%arg0) {perm = array<i64: 1, 0>}
// CHECK: return %arg0, %[[T]]
func.func @transposes(%a: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<3x2xf32>) {
  %0 = graph.Transpose(%a) {perm = array<i64: 0, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = graph.Transpose(%a) {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func @reshapes
// CHECK: %[[R:.*]] = graph.Reshape
// CHECK: return %arg0, %[[R]]
func.func @reshapes(%a: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<3x2xf32>) {
  %s0 = graph.constant dense<[2, 3]> : tensor<2xi64>
  %s1 = graph.constant dense<[3, 2]> : tensor<2xi64>
  %0 = graph.Reshape(%a, %s0) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  %1 = graph.Reshape(%a, %s1) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<3x2xf32>
}
