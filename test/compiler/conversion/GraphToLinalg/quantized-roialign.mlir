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

// -----

// QLinearConv: the shifted integer convolution, then bias and requantization with the per-channel w_scale
// (read along the output channel) and per-tensor x/y scales.
// CHECK-DAG: #[[CHANNEL:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func @qlinear_conv
// CHECK: %[[ACC:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #[[CHANNEL]], #{{.*}}, #{{.*}}, #[[CHANNEL]], #{{.*}}], {{.*}} ins(%[[ACC]], %arg1, %arg4, %arg6, %arg7, %arg8 :
// CHECK: arith.addi
// CHECK: math.roundeven
// CHECK: arith.fptoui
func.func @qlinear_conv(%x: tensor<1x1x3x3xui8>, %xs: tensor<f32>, %xz: tensor<ui8>, %w: tensor<2x1x1x1xui8>, %ws: tensor<2xf32>, %wz: tensor<1xui8>, %ys: tensor<f32>, %yz: tensor<ui8>, %b: tensor<2xi32>) -> tensor<1x2x3x3xui8> {
  %0 = graph.QLinearConv(%x, %xs, %xz, %w, %ws, %wz, %ys, %yz, %b) : (tensor<1x1x3x3xui8>, tensor<f32>, tensor<ui8>, tensor<2x1x1x1xui8>, tensor<2xf32>, tensor<1xui8>, tensor<f32>, tensor<ui8>, tensor<2xi32>) -> tensor<1x2x3x3xui8>
  return %0 : tensor<1x2x3x3xui8>
}
