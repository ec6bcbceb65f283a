// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// QLinearMatMul: the exact i32 contraction of zero-point-shifted operands, then requantization in f64:
// scale by a_scale * b_scale / y_scale, round half to even, add y_zero_point, saturate to uint8.
// CHECK-LABEL: func @qlinear_matmul
// CHECK: %[[ACC:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %arg3, %arg2, %arg5 : {{.*}}) outs(%{{.*}} : tensor<2x3xi32>)
// CHECK: arith.muli
// CHECK: linalg.generic {{.*}} ins(%[[ACC]], %arg1, %arg4, %arg6, %arg7 : {{.*}}) outs(%{{.*}} : tensor<2x3xi8>)
// CHECK: arith.sitofp %{{.*}} : i32 to f64
// CHECK: arith.uitofp
// CHECK: math.roundeven
// CHECK: arith.constant 2.550000e+02 : f64
// CHECK: arith.fptoui %{{.*}} : f64 to i8
func.func @qlinear_matmul(%a: tensor<2x4xui8>, %as: tensor<1xf32>, %az: tensor<1xui8>, %b: tensor<4x3xui8>, %bs: tensor<1xf32>, %bz: tensor<1xui8>, %ys: tensor<1xf32>, %yz: tensor<1xui8>) -> tensor<2x3xui8> {
  %0 = graph.QLinearMatMul(%a, %as, %az, %b, %bs, %bz, %ys, %yz) : (tensor<2x4xui8>, tensor<1xf32>, tensor<1xui8>, tensor<4x3xui8>, tensor<1xf32>, tensor<1xui8>, tensor<1xf32>, tensor<1xui8>) -> tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}

// -----

// RoiAlign (avg): reduction loops over the 2 x 2 sample grid (the grid operand gives their bounds); the body
// reads the ROI and its batch index at run time and samples bilinearly; the sum is divided by 4.
// CHECK-LABEL: func @roi_align_avg
// CHECK: %[[GRID:.*]] = tensor.empty() : tensor<2x2xf32>
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[GRID]] : tensor<2x2xf32>) outs(%{{.*}} : tensor<3x1x5x5xf32>)
// CHECK-COUNT-4: tensor.extract %arg1
// CHECK: tensor.extract %arg2
// CHECK-COUNT-4: tensor.extract %arg0
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<3x1x5x5xf32>)
// CHECK: arith.constant 4.000000e+00 : f32
func.func @roi_align_avg(%x: tensor<1x1x10x10xf32>, %r: tensor<3x4xf32>, %i: tensor<3xi64>) -> tensor<3x1x5x5xf32> {
  %0 = graph.RoiAlign(%x, %r, %i) {output_height = 5 : i64, output_width = 5 : i64, sampling_ratio = 2 : i64} : (tensor<1x1x10x10xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x1x5x5xf32>
  return %0 : tensor<3x1x5x5xf32>
}
