// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(sinter-conv-to-winograd))' | FileCheck %s
// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(sinter-conv-to-winograd{min-channels=4 min-tiles=1}))' | FileCheck %s --check-prefix=LOW

// A 3x3 stride-1 convolution over a 16x16 map (8x8 tiles of 2x2): the input transform of every 4x4 tile
// into V [4, 4, C, N, TH, TW], the 16 products with the transformed filters (packed: [F / 36, C / 32, 16,
// 36 / 6, 32, 6], read through their map), and the output transform accumulating into the convolution's
// init seen as [N, F, TH, 2, TW, 2].
// CHECK-DAG: #[[IN_X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d3, d2, d4 * 2 + d6, d5 * 2 + d7)>
// CHECK-DAG: #[[PACKED:.*]] = affine_map<(d0, d1, d2, d3) -> (d1 floordiv 36, d3 floordiv 32, d0, (d1 mod 36) floordiv 6, d3 mod 32, d1 mod 6)>
// CHECK-DAG: #[[OUT_M:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d6, d7, d1, d0, d2, d4)>
// CHECK-LABEL: func @conv3x3
// CHECK-NOT: linalg.conv_2d_nchw_fchw
// CHECK-DAG: %[[BT:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 0.000000e+00, -1.000000e+00, 0.000000e+00], [0.000000e+00, 1.000000e+00, 1.000000e+00, 0.000000e+00], [0.000000e+00, -1.000000e+00, 1.000000e+00, 0.000000e+00], [0.000000e+00, 1.000000e+00, 0.000000e+00, -1.000000e+00]]> : tensor<4x4xf32>
// CHECK-DAG: %[[AT:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 1.000000e+00, 1.000000e+00, 0.000000e+00], [0.000000e+00, 1.000000e+00, -1.000000e+00, -1.000000e+00]]> : tensor<2x4xf32>
// CHECK-DAG: %[[U:.*]] = arith.constant dense_resource<winograd_filter> : tensor<1x1x16x6x32x6xf32>
// CHECK: %[[V:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[IN_X]], #{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[BT]], %{{.*}}, %[[BT]] : tensor<4x4xf32>, tensor<1x32x18x18xf32>, tensor<4x4xf32>) outs(%{{.*}} : tensor<4x4x32x1x8x8xf32>)
// CHECK-SAME: sinter.winograd = "input"
// CHECK: %[[V3:.*]] = tensor.collapse_shape %[[V]] {{\[\[}}0, 1], [2], [3, 4, 5]] : tensor<4x4x32x1x8x8xf32> into tensor<16x32x64xf32>
// CHECK: %[[M:.*]] = linalg.generic {indexing_maps = [#[[PACKED]], #{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[U]], %[[V3]] : tensor<1x1x16x6x32x6xf32>, tensor<16x32x64xf32>) outs(%{{.*}} : tensor<16x32x64xf32>)
// CHECK-SAME: sinter.winograd = "product"
// CHECK: %[[M6:.*]] = tensor.expand_shape %[[M]]
// CHECK: %[[INIT:.*]] = tensor.expand_shape %arg1 {{\[\[}}0], [1], [2, 3], [4, 5]] output_shape [1, 32, 8, 2, 8, 2]
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[OUT_M]], #{{.*}}, #{{.*}}]
// CHECK-SAME: ins(%[[AT]], %[[M6]], %[[AT]] : tensor<2x4xf32>, tensor<4x4x32x1x8x8xf32>, tensor<2x4xf32>) outs(%[[INIT]] : tensor<1x32x8x2x8x2xf32>)
// CHECK-SAME: sinter.winograd = "output"
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[Y]] {{\[\[}}0], [1], [2, 3], [4, 5]] : tensor<1x32x8x2x8x2xf32> into tensor<1x32x16x16xf32>
// CHECK: return %[[R]]
func.func @conv3x3(%x: tensor<1x32x18x18xf32>, %init: tensor<1x32x16x16xf32>) -> tensor<1x32x16x16xf32> {
  %w = arith.constant dense<0.5> : tensor<32x32x3x3xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x32x18x18xf32>, tensor<32x32x3x3xf32>) outs(%init : tensor<1x32x16x16xf32>) -> tensor<1x32x16x16xf32>
  return %0 : tensor<1x32x16x16xf32>
}

// -----

// An odd 15x15 output: the input and the init get one more zero row and column (the input's own zero pad
// is widened, not padded again), and the 16x16 result is sliced back.
// CHECK-LABEL: func @odd
// CHECK: tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 2, 2]
// CHECK: } : tensor<1x16x15x15xf32> to tensor<1x16x18x18xf32>
// CHECK-NOT: tensor.pad %{{.*}} low[0, 0, 1, 1]
// CHECK: sinter.winograd = "input"
// CHECK: sinter.winograd = "product"
// CHECK: tensor.pad %arg1 low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: sinter.winograd = "output"
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 16, 15, 15] [1, 1, 1, 1] : tensor<1x16x16x16xf32> to tensor<1x16x15x15xf32>
func.func @odd(%x: tensor<1x16x15x15xf32>, %init: tensor<1x16x15x15xf32>) -> tensor<1x16x15x15xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x16x15x15xf32> to tensor<1x16x17x17xf32>
  %w = arith.constant dense<0.5> : tensor<16x16x3x3xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%p, %w : tensor<1x16x17x17xf32>, tensor<16x16x3x3xf32>) outs(%init : tensor<1x16x15x15xf32>) -> tensor<1x16x15x15xf32>
  return %0 : tensor<1x16x15x15xf32>
}

// -----

// Left alone: a stride-2 convolution, a filter that is not a constant, a 1x1 filter; and with the default
// thresholds 8 channels (min-channels 16) and a 6x6 map (9 tiles, min-tiles 32), which LOW rewrites.
// CHECK-LABEL: func @not_rewritten
// CHECK-COUNT-5: linalg.conv_2d_nchw_fchw
// CHECK-NOT: sinter.winograd
// LOW-LABEL: func @not_rewritten
// LOW-COUNT-3: linalg.conv_2d_nchw_fchw
// LOW-NOT: linalg.conv_2d_nchw_fchw
// LOW-COUNT-2: sinter.winograd = "output"
func.func @not_rewritten(%x: tensor<1x16x18x18xf32>, %wv: tensor<16x16x3x3xf32>, %i8: tensor<1x16x8x8xf32>,
                         %i16: tensor<1x16x16x16xf32>, %i18: tensor<1x16x18x18xf32>, %x8: tensor<1x8x18x18xf32>,
                         %x6: tensor<1x16x8x8xf32>, %i6: tensor<1x16x6x6xf32>)
    -> (tensor<1x16x8x8xf32>, tensor<1x16x16x16xf32>, tensor<1x16x18x18xf32>, tensor<1x16x16x16xf32>, tensor<1x16x6x6xf32>) {
  %w = arith.constant dense<0.5> : tensor<16x16x3x3xf32>
  %w1 = arith.constant dense<0.5> : tensor<16x16x1x1xf32>
  %w8 = arith.constant dense<0.5> : tensor<16x8x3x3xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%x, %w : tensor<1x16x18x18xf32>, tensor<16x16x3x3xf32>) outs(%i8 : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %wv : tensor<1x16x18x18xf32>, tensor<16x16x3x3xf32>) outs(%i16 : tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  %2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w1 : tensor<1x16x18x18xf32>, tensor<16x16x1x1xf32>) outs(%i18 : tensor<1x16x18x18xf32>) -> tensor<1x16x18x18xf32>
  %3 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x8, %w8 : tensor<1x8x18x18xf32>, tensor<16x8x3x3xf32>) outs(%i16 : tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  %4 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x6, %w : tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) outs(%i6 : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  return %0, %1, %2, %3, %4 : tensor<1x16x8x8xf32>, tensor<1x16x16x16xf32>, tensor<1x16x18x18xf32>, tensor<1x16x16x16xf32>, tensor<1x16x6x6xf32>
}
