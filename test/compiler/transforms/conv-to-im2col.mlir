// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(sinter-conv-to-im2col))' | FileCheck %s

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
