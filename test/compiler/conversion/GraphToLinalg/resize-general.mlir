// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// Cubic resize with runtime scales: per resized dimension a [out, 4] table of clamped indices, f64 weights
// and outside flags computed from the runtime scale; size-1 dimensions read index 0; the result sums the
// 4 x 4 taps in two reduction loops.
// CHECK-LABEL: func @resize_cubic_runtime_scales
// CHECK: %[[H:.*]]:3 = linalg.generic {{.*}} outs(%{{.*}}, %{{.*}}, %{{.*}} : tensor<3x4xi64>, tensor<3x4xf64>, tensor<3x4xi1>)
// CHECK: tensor.extract %arg1[%c2] : tensor<4xf32>
// CHECK: math.floor
// CHECK: %[[W:.*]]:3 = linalg.generic {{.*}} outs(%{{.*}}, %{{.*}}, %{{.*}} : tensor<3x4xi64>, tensor<3x4xf64>, tensor<3x4xi1>)
// CHECK: tensor.extract %arg1[%c3] : tensor<4xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[H]]#0, %[[H]]#1, %[[H]]#2, %[[W]]#0, %[[W]]#1, %[[W]]#2
// CHECK: tensor.extract %arg0[%c0{{.*}}, %c0{{.*}}, %{{.*}}, %{{.*}}] : tensor<1x1x4x4xf32>
func.func @resize_cubic_runtime_scales(%x: tensor<1x1x4x4xf32>, %s: tensor<4xf32>) -> tensor<1x1x3x3xf32> {
  %n = graph.none
  %0 = graph.Resize(%x, %n, %s, %n) {mode = "cubic"} : (tensor<1x1x4x4xf32>, none, tensor<4xf32>, none) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

// "tf_half_pixel_for_nn" (ONNX Runtime's name) is tf_half_pixel_for_nearest: x = (y + 0.5) / scale.
// CHECK-LABEL: func @resize_tf_half_pixel_for_nn
// CHECK: %[[SCALE:.*]] = arith.constant 7.500000e-01 : f64
// CHECK: %[[HALF:.*]] = arith.constant 5.000000e-01 : f64
// CHECK: %[[SHIFTED:.*]] = arith.addf %{{.*}}, %[[HALF]] : f64
// CHECK: arith.divf %[[SHIFTED]], %[[SCALE]] : f64
func.func @resize_tf_half_pixel_for_nn(%x: tensor<1x1x4x4xf32>, %sizes: tensor<4xi64>) -> tensor<1x1x3x2xf32> {
  %n = graph.none
  %0 = graph.Resize(%x, %n, %n, %sizes) {coordinate_transformation_mode = "tf_half_pixel_for_nn"} : (tensor<1x1x4x4xf32>, none, none, tensor<4xi64>) -> tensor<1x1x3x2xf32>
  return %0 : tensor<1x1x3x2xf32>
}
