// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(sinter-conv-to-im2col))' | FileCheck %s
// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(sinter-conv-to-im2col{transpose-small-maps=false}))' | FileCheck %s --check-prefix=NOTRANSPOSE

// A strided 3x3 f32 convolution: patches gathered once into [N, C*KH*KW, OH*OW], then one contraction
// with the filter seen as [F, C*KH*KW].
// CHECK-LABEL: func @conv3x3_stride2
// CHECK-NOT: linalg.conv_2d_nchw_fchw
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2, 3]] : tensor<16x8x3x3xf32> into tensor<16x72xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]
// CHECK-SAME: outs(%{{.*}} : tensor<1x72x64xf32>)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<16x72xf32>, tensor<1x72x64xf32>)
// CHECK: tensor.expand_shape %{{.*}} : tensor<1x16x64xf32> into tensor<1x16x8x8xf32>
func.func @conv3x3_stride2(%x: tensor<1x8x17x17xf32>, %w: tensor<16x8x3x3xf32>, %init: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%x, %w : tensor<1x8x17x17xf32>, tensor<16x8x3x3xf32>) outs(%init : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  return %0 : tensor<1x16x8x8xf32>
}

// -----

// Integer convolutions stay as they are: the contraction ukernel is f32 only.
// CHECK-LABEL: func @conv_i32
// CHECK: linalg.conv_2d_nchw_fchw
func.func @conv_i32(%x: tensor<1x2x4x4xi32>, %w: tensor<3x2x2x2xi32>, %init: tensor<1x3x3x3xi32>) -> tensor<1x3x3x3xi32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x2x4x4xi32>, tensor<3x2x2x2xi32>) outs(%init : tensor<1x3x3x3xi32>) -> tensor<1x3x3x3xi32>
  return %0 : tensor<1x3x3x3xi32>
}

// -----

// Dilated convolutions stay direct (upstream's im2col rewrite takes unit dilations only): no error.
// CHECK-LABEL: func @conv_dilated
// CHECK: linalg.conv_2d_nchw_fchw
func.func @conv_dilated(%x: tensor<1x2x8x8xf32>, %w: tensor<3x2x3x3xf32>, %init: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x2x8x8xf32>, tensor<3x2x3x3xf32>) outs(%init : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

// A batch-1 convolution over a 7x7 map with 64 filters (49 positions fill 32-wide tiles 77%, the filters
// 100%): positions as rows. The patches are gathered as [OH, OW, C, KH, KW] through an affine map, the
// constant filter becomes a new [K, F] constant, the bias broadcast is rebuilt as [P, F], and the [P, F]
// product is transposed back.
// CHECK: #[[READ:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (0, d2, d0 + d3, d1 + d4)>
// CHECK-LABEL: func @conv7x7_transposed
// CHECK-DAG: %[[WT:.*]] = arith.constant dense_resource<conv_weight_t> : tensor<36x64xf32>
// CHECK: %[[P5:.*]] = linalg.generic {indexing_maps = [#[[READ]], #{{.*}}]{{.*}} ins(%arg0 : tensor<1x4x9x9xf32>) outs(%{{.*}} : tensor<7x7x4x3x3xf32>)
// CHECK: %[[P:.*]] = tensor.collapse_shape %[[P5]] {{\[\[}}0, 1], [2, 3, 4]] : tensor<7x7x4x3x3xf32> into tensor<49x36xf32>
// CHECK: %[[BIAS:.*]] = linalg.generic {{.*}} ins(%arg1 : tensor<64xf32>) outs(%{{.*}} : tensor<49x64xf32>)
// CHECK: %[[C:.*]] = linalg.matmul ins(%[[P]], %[[WT]] : tensor<49x36xf32>, tensor<36x64xf32>) outs(%[[BIAS]] : tensor<49x64xf32>)
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[C]] : tensor<49x64xf32>) outs(%{{.*}} : tensor<64x49xf32>) permutation = [1, 0]
// CHECK: tensor.expand_shape %[[T]] {{\[\[}}0, 1], [2, 3]] output_shape [1, 64, 7, 7]
// NOTRANSPOSE-LABEL: func @conv7x7_transposed
// NOTRANSPOSE-NOT: linalg.matmul
// NOTRANSPOSE: outs(%{{.*}} : tensor<1x36x49xf32>)
func.func @conv7x7_transposed(%x: tensor<1x4x9x9xf32>, %b: tensor<64xf32>) -> tensor<1x64x7x7xf32> {
  %w = arith.constant dense<0.5> : tensor<64x4x3x3xf32>
  %e = tensor.empty() : tensor<1x64x7x7xf32>
  %init = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<64xf32>) outs(%e : tensor<1x64x7x7xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x64x7x7xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x4x9x9xf32>, tensor<64x4x3x3xf32>) outs(%init : tensor<1x64x7x7xf32>) -> tensor<1x64x7x7xf32>
  return %0 : tensor<1x64x7x7xf32>
}
