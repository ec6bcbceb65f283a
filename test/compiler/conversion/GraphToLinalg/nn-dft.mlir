// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// Onesided real DFT of length 4: a contraction with constant [3, 4] cos and -sin matrices (exact at quarter
// turns), two outputs (real, imaginary) interleaved into the last dimension.
// CHECK-DAG: #[[SIG:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[MAT:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func @dft_onesided
// CHECK: %[[RE:.*]] = tensor.extract_slice %arg0[0, 0, 0] [1, 4, 1] [1, 1, 1] : tensor<1x4x1xf32> to tensor<1x4xf32>
// CHECK: %[[C:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00], [1.000000e+00, 0.000000e+00, -1.000000e+00, 0.000000e+00], [1.000000e+00, -1.000000e+00, 1.000000e+00, -1.000000e+00]]> : tensor<3x4xf32>
// CHECK: %[[S:.*]] = arith.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, -1.000000e+00, 0.000000e+00, 1.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]]> : tensor<3x4xf32>
// CHECK: %[[Y:.*]]:2 = linalg.generic {indexing_maps = [#[[SIG]], #[[MAT]], #[[MAT]], #[[OUT]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[RE]], %[[C]], %[[S]] :
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x3x2xf32>
// CHECK: %[[R:.*]] = tensor.insert_slice %[[Y]]#0 into %[[E]][0, 0, 0] [1, 3, 1] [1, 1, 1] : tensor<1x3xf32> into tensor<1x3x2xf32>
// CHECK: tensor.insert_slice %[[Y]]#1 into %[[R]][0, 0, 1] [1, 3, 1] [1, 1, 1] : tensor<1x3xf32> into tensor<1x3x2xf32>
func.func @dft_onesided(%x: tensor<1x4x1xf32>) -> tensor<1x3x2xf32> {
  %n = graph.none
  %0 = graph.DFT(%x, %n) {onesided = 1 : i64} : (tensor<1x4x1xf32>, none) -> tensor<1x3x2xf32>
  return %0 : tensor<1x3x2xf32>
}

// -----

// Inverse complex DFT of length 2 along axis 1 of [1, 2, 3, 2]: the matrices carry the 1/N scale and +sin;
// the signal loop replaces the transformed dimension.
// CHECK-DAG: #[[SIG:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[MAT:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-LABEL: func @dft_inverse_complex
// CHECK: %[[RE:.*]] = tensor.extract_slice %arg0[0, 0, 0, 0] [1, 2, 3, 1] [1, 1, 1, 1] : tensor<1x2x3x2xf32> to tensor<1x2x3xf32>
// CHECK: %[[IM:.*]] = tensor.extract_slice %arg0[0, 0, 0, 1] [1, 2, 3, 1] [1, 1, 1, 1] : tensor<1x2x3x2xf32> to tensor<1x2x3xf32>
// CHECK: %[[C:.*]] = arith.constant dense<{{\[\[}}5.000000e-01, 5.000000e-01], [5.000000e-01, -5.000000e-01]]> : tensor<2x2xf32>
// CHECK: linalg.generic {indexing_maps = [#[[SIG]], #[[SIG]], #[[MAT]], #[[MAT]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[RE]], %[[IM]], %[[C]], %{{.*}} :
// CHECK: ^bb0(%[[XR:.*]]: f32, %[[XI:.*]]: f32, %[[A:.*]]: f32, %[[B:.*]]: f32, %[[ACCR:.*]]: f32, %[[ACCI:.*]]: f32):
// CHECK: %[[AXR:.*]] = arith.mulf %[[A]], %[[XR]]
// CHECK: %[[R1:.*]] = arith.addf %[[ACCR]], %[[AXR]]
// CHECK: %[[BXR:.*]] = arith.mulf %[[B]], %[[XR]]
// CHECK: %[[I1:.*]] = arith.addf %[[ACCI]], %[[BXR]]
// CHECK: %[[BXI:.*]] = arith.mulf %[[B]], %[[XI]]
// CHECK: %[[R2:.*]] = arith.subf %[[R1]], %[[BXI]]
// CHECK: %[[AXI:.*]] = arith.mulf %[[A]], %[[XI]]
// CHECK: %[[I2:.*]] = arith.addf %[[I1]], %[[AXI]]
// CHECK: linalg.yield %[[R2]], %[[I2]]
func.func @dft_inverse_complex(%x: tensor<1x2x3x2xf32>) -> tensor<1x2x3x2xf32> {
  %n = graph.none
  %0 = graph.DFT(%x, %n) {inverse = 1 : i64} : (tensor<1x2x3x2xf32>, none) -> tensor<1x2x3x2xf32>
  return %0 : tensor<1x2x3x2xf32>
}

// -----

// dft_length 8 > 5 samples: zero padding means the matrix only has 5 columns.
// CHECK-LABEL: func @dft_length_padded
// CHECK: arith.constant dense<{{.*}}> : tensor<8x5xf32>
func.func @dft_length_padded(%x: tensor<5x1xf32>) -> tensor<8x2xf32> {
  %l = graph.constant dense<8> : tensor<i64>
  %0 = graph.DFT(%x, %l) {axis = 0 : i64} : (tensor<5x1xf32>, tensor<i64>) -> tensor<8x2xf32>
  return %0 : tensor<8x2xf32>
}

// -----

// dft_length 2 < 4 samples: the signal is truncated to its first 2 entries.
// CHECK-LABEL: func @dft_length_truncated
// CHECK: tensor.extract_slice %arg0[0, 0] [2, 1] [1, 1] : tensor<4x1xf32> to tensor<2xf32>
// CHECK: arith.constant dense<{{.*}}> : tensor<2x2xf32>
func.func @dft_length_truncated(%x: tensor<4x1xf32>) -> tensor<2x2xf32> {
  %l = graph.constant dense<2> : tensor<i64>
  %0 = graph.DFT(%x, %l) {axis = 0 : i64} : (tensor<4x1xf32>, tensor<i64>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}
