// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// Slice with runtime starts/ends/axes: a generic over the static result reads axes and starts per dimension
// and the data at start + i * step.
// CHECK-LABEL: func @slice_runtime
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: tensor.extract %arg3
// CHECK: tensor.extract %arg1
// CHECK: tensor.extract %arg0
func.func @slice_runtime(%x: tensor<6x4xf32>, %s: tensor<1xi64>, %e: tensor<1xi64>, %a: tensor<1xi64>) -> tensor<2x4xf32> {
  %n = graph.none
  %0 = graph.Slice(%x, %s, %e, %a, %n) : (tensor<6x4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Pad with runtime pads and value: the constant outside the (runtime) kept region.
// CHECK-LABEL: func @pad_runtime
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<5xf32>)
// CHECK: tensor.extract %arg1
// CHECK: tensor.extract %arg0
// CHECK: tensor.extract %arg2[] : tensor<f32>
// CHECK: arith.select
func.func @pad_runtime(%x: tensor<2xf32>, %p: tensor<2xi64>, %v: tensor<f32>) -> tensor<5xf32> {
  %0 = graph.Pad(%x, %p, %v) : (tensor<2xf32>, tensor<2xi64>, tensor<f32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// ReduceSum with runtime axes, [3, 2, 2] -> [3, 2]: dimension 1 or 2; both are reduced and the axes pick.
// CHECK-LABEL: func @reduce_sum_runtime_axes
// CHECK: %[[A:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK: %[[B:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: linalg.generic {{.*}} ins(%[[A]], %[[B]] : tensor<3x2xf32>, tensor<3x2xf32>)
// CHECK: tensor.extract %arg1
// CHECK: arith.select
func.func @reduce_sum_runtime_axes(%x: tensor<3x2x2xf32>, %a: tensor<1xi64>) -> tensor<3x2xf32> {
  %0 = graph.ReduceSum(%x, %a) {keepdims = 0 : i64} : (tensor<3x2x2xf32>, tensor<1xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}
