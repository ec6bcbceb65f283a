// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// 2-D group-1 convolution: zero padding, the output starts from the broadcast bias, then the named conv.
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func @conv2d
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[P:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[Z]]
// CHECK: } : tensor<1x3x32x32xf32> to tensor<1x3x34x34xf32>
// CHECK: %[[B:.*]] = linalg.generic {indexing_maps = [#[[CH]], #{{.*}}]{{.*}} ins(%arg2 : tensor<8xf32>) outs(%{{.*}} : tensor<1x8x16x16xf32>)
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[P]], %arg1 : tensor<1x3x34x34xf32>, tensor<8x3x3x3xf32>) outs(%[[B]] : tensor<1x8x16x16xf32>)
func.func @conv2d(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<8xf32>) -> tensor<1x8x16x16xf32> {
  %0 = graph.Conv(%x, %w, %b) {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x8x16x16xf32>
  return %0 : tensor<1x8x16x16xf32>
}

// -----

// 1-D conv, no padding, no bias: zero-filled output.
// CHECK-LABEL: func @conv1d
// CHECK-NOT: tensor.pad
// CHECK: %[[F:.*]] = linalg.fill
// CHECK: linalg.conv_1d_ncw_fcw {dilations = dense<2> : tensor<1xi64>, strides = dense<1> : tensor<1xi64>} ins(%arg0, %arg1 : tensor<1x8x16xf32>, tensor<4x8x3xf32>) outs(%[[F]] : tensor<1x4x12xf32>)
func.func @conv1d(%x: tensor<1x8x16xf32>, %w: tensor<4x8x3xf32>) -> tensor<1x4x12xf32> {
  %n = graph.none
  %0 = graph.Conv(%x, %w, %n) {dilations = array<i64: 2>} : (tensor<1x8x16xf32>, tensor<4x8x3xf32>, none) -> tensor<1x4x12xf32>
  return %0 : tensor<1x4x12xf32>
}

// -----

// Causal depthwise long conv: group = channels, W [C, 1, K] collapsed to [C, K].
// CHECK-LABEL: func @conv1d_depthwise
// CHECK: %[[P:.*]] = tensor.pad %arg0 low[0, 0, 63] high[0, 0, 0]
// CHECK: } : tensor<1x8x64xf32> to tensor<1x8x127xf32>
// CHECK: %[[W:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0, 1], [2]] : tensor<8x1x64xf32> into tensor<8x64xf32>
// CHECK: linalg.depthwise_conv_1d_ncw_cw {dilations = dense<1> : tensor<1xi64>, strides = dense<1> : tensor<1xi64>} ins(%[[P]], %[[W]] : tensor<1x8x127xf32>, tensor<8x64xf32>) outs(%{{.*}} : tensor<1x8x64xf32>)
func.func @conv1d_depthwise(%x: tensor<1x8x64xf32>, %w: tensor<8x1x64xf32>) -> tensor<1x8x64xf32> {
  %n = graph.none
  %0 = graph.Conv(%x, %w, %n) {group = 8 : i64, pads = array<i64: 63, 0>} : (tensor<1x8x64xf32>, tensor<8x1x64xf32>, none) -> tensor<1x8x64xf32>
  return %0 : tensor<1x8x64xf32>
}

// -----

// 2-D depthwise with SAME_LOWER: total padding 2 for k=3 (dilation 1), split 1/1; stride 2 -> ceil(7/2) = 4,
// total = (4-1)*2 + 3 - 7 = 2.
// CHECK-LABEL: func @conv2d_depthwise_same_lower
// CHECK: tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.collapse_shape %arg1 {{\[\[}}0, 1], [2], [3]] : tensor<4x1x3x3xf32> into tensor<4x3x3xf32>
// CHECK: linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
func.func @conv2d_depthwise_same_lower(%x: tensor<1x4x7x7xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x4x4xf32> {
  %n = graph.none
  %0 = graph.Conv(%x, %w, %n) {group = 4 : i64, auto_pad = "SAME_LOWER", strides = array<i64: 2, 2>} : (tensor<1x4x7x7xf32>, tensor<4x1x3x3xf32>, none) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// SAME_UPPER with an odd total puts the extra padding at the end: k=4 -> total 3 -> low 1, high 2.
// CHECK-LABEL: func @conv1d_same_upper
// CHECK: tensor.pad %arg0 low[0, 0, 1] high[0, 0, 2]
func.func @conv1d_same_upper(%x: tensor<1x2x8xf32>, %w: tensor<2x2x4xf32>) -> tensor<1x2x8xf32> {
  %n = graph.none
  %0 = graph.Conv(%x, %w, %n) {auto_pad = "SAME_UPPER"} : (tensor<1x2x8xf32>, tensor<2x2x4xf32>, none) -> tensor<1x2x8xf32>
  return %0 : tensor<1x2x8xf32>
}

// -----

// group 2 (neither 1 nor depthwise): expand the group dimension and contract with a generic.
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3 + d5 * 2)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d2, d4, d5)>
// CHECK-DAG: #[[O:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @conv_grouped
// CHECK: %[[P:.*]] = tensor.pad %arg0 low[0, 0, 2] high[0, 0, 2]
// CHECK: %[[XE:.*]] = tensor.expand_shape %[[P]] {{\[\[}}0], [1, 2], [3]] output_shape [1, 2, 2, 14]
// CHECK: %[[WE:.*]] = tensor.expand_shape %arg1 {{\[\[}}0, 1], [2], [3]] output_shape [2, 3, 2, 3]
// CHECK: %[[OE:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3]] output_shape [1, 2, 3, 10]
// CHECK: %[[G:.*]] = linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[O]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[XE]], %[[WE]] : {{.*}}) outs(%[[OE]] :
// CHECK: tensor.collapse_shape %[[G]] {{\[\[}}0], [1, 2], [3]] : tensor<1x2x3x10xf32> into tensor<1x6x10xf32>
func.func @conv_grouped(%x: tensor<1x4x10xf32>, %w: tensor<6x2x3xf32>) -> tensor<1x6x10xf32> {
  %n = graph.none
  %0 = graph.Conv(%x, %w, %n) {group = 2 : i64, auto_pad = "SAME_UPPER", dilations = array<i64: 2>} : (tensor<1x4x10xf32>, tensor<6x2x3xf32>, none) -> tensor<1x6x10xf32>
  return %0 : tensor<1x6x10xf32>
}

// -----

// MaxPool pads with -inf and starts from -inf.
// CHECK-LABEL: func @max_pool
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[P:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NINF]] : f32
// CHECK: %[[I:.*]] = linalg.fill ins(%[[NINF]] : f32)
// CHECK: %[[K:.*]] = tensor.empty() : tensor<3x3xf32>
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[P]], %[[K]] : tensor<1x8x18x18xf32>, tensor<3x3xf32>) outs(%[[I]] : tensor<1x8x8x8xf32>)
func.func @max_pool(%x: tensor<1x8x16x16xf32>) -> tensor<1x8x8x8xf32> {
  %0, %1 = graph.MaxPool(%x) {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x16x16xf32>) -> (tensor<1x8x8x8xf32>, none)
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// ceil_mode: 6 -> ceil((6 - 3) / 2) + 1 = 3 outputs; the last window needs one more (-inf) column.
// CHECK-LABEL: func @max_pool_ceil
// CHECK: tensor.pad %arg0 low[0, 0, 0] high[0, 0, 1]
// CHECK: linalg.pooling_ncw_max {dilations = dense<1> : tensor<1xi64>, strides = dense<2> : tensor<1xi64>} ins(%{{.*}}, %{{.*}} : tensor<1x1x7xf32>, tensor<3xf32>)
func.func @max_pool_ceil(%x: tensor<1x1x6xf32>) -> tensor<1x1x3xf32> {
  %0, %1 = graph.MaxPool(%x) {kernel_shape = array<i64: 3>, strides = array<i64: 2>, ceil_mode = 1 : i64} : (tensor<1x1x6xf32>) -> (tensor<1x1x3xf32>, none)
  return %0 : tensor<1x1x3xf32>
}

// -----

// AveragePool without count_include_pad divides each window by its in-input positions: [2, 3, 2].
// CHECK-DAG: #[[SP:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func @average_pool
// CHECK: %[[P:.*]] = tensor.pad %arg0 low[0, 0, 1] high[0, 0, 1]
// CHECK: %[[S:.*]] = linalg.pooling_ncw_sum {dilations = dense<1> : tensor<1xi64>, strides = dense<2> : tensor<1xi64>} ins(%[[P]], %{{.*}} : tensor<1x2x7xf32>, tensor<3xf32>)
// CHECK: %[[D:.*]] = arith.constant dense<[2.000000e+00, 3.000000e+00, 2.000000e+00]> : tensor<3xf32>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[SP]], #{{.*}}]{{.*}} ins(%[[S]], %[[D]] :
// CHECK: arith.divf
func.func @average_pool(%x: tensor<1x2x5xf32>) -> tensor<1x2x3xf32> {
  %0 = graph.AveragePool(%x) {kernel_shape = array<i64: 3>, pads = array<i64: 1, 1>, strides = array<i64: 2>} : (tensor<1x2x5xf32>) -> tensor<1x2x3xf32>
  return %0 : tensor<1x2x3xf32>
}

// -----

// count_include_pad: every window counts 3 x 3 = 9 positions, a scalar divisor.
// CHECK-LABEL: func @average_pool_include_pad
// CHECK: linalg.pooling_nchw_sum
// CHECK: linalg.generic
// CHECK: %[[N:.*]] = arith.constant 9.000000e+00 : f32
// CHECK: arith.divf %{{.*}}, %[[N]]
func.func @average_pool_include_pad(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %0 = graph.AveragePool(%x) {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = 1 : i64} : (tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

// CHECK-LABEL: func @global_average_pool
// CHECK: %[[S:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%arg0 : tensor<1x16x8x8xf32>) outs(%{{.*}} : tensor<1x16xf32>)
// CHECK: %[[M:.*]] = linalg.generic {{.*}} ins(%[[S]] : tensor<1x16xf32>)
// CHECK: arith.constant 6.400000e+01 : f32
// CHECK: tensor.expand_shape %[[M]] {{\[\[}}0], [1, 2, 3]] output_shape [1, 16, 1, 1]
func.func @global_average_pool(%x: tensor<1x16x8x8xf32>) -> tensor<1x16x1x1xf32> {
  %0 = graph.GlobalAveragePool(%x) : (tensor<1x16x8x8xf32>) -> tensor<1x16x1x1xf32>
  return %0 : tensor<1x16x1x1xf32>
}

// -----

// CHECK-LABEL: func @global_max_pool
// CHECK: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.maximumf
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2]] output_shape [2, 3, 1]
func.func @global_max_pool(%x: tensor<2x3x5xf32>) -> tensor<2x3x1xf32> {
  %0 = graph.GlobalMaxPool(%x) : (tensor<2x3x5xf32>) -> tensor<2x3x1xf32>
  return %0 : tensor<2x3x1xf32>
}

// -----

// ConvTranspose: the input is dilated by the stride (strided insert into zeros) and padded by k - 1 - pad
// (1 at the start, 2 at the end), the kernel is flipped, and a grouped contraction runs from the bias.
// CHECK-DAG: #[[FLIP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, -d3 + 2)>
// CHECK-DAG: #[[Z:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3 + d5)>
// CHECK-DAG: #[[WM:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d4, d2, d5)>
// CHECK-DAG: #[[O:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @conv_transpose
// CHECK: %[[Z0:.*]] = linalg.fill {{.*}} -> tensor<1x2x8xf32>
// CHECK: %[[ZS:.*]] = tensor.insert_slice %arg0 into %[[Z0]][0, 0, 1] [1, 2, 3] [1, 1, 2] : tensor<1x2x3xf32> into tensor<1x2x8xf32>
// CHECK: %[[B:.*]] = linalg.generic {{.*}} ins(%arg2 : tensor<3xf32>) outs(%{{.*}} : tensor<1x3x6xf32>)
// CHECK: %[[ZE:.*]] = tensor.expand_shape %[[ZS]] {{\[\[}}0], [1, 2], [3]] output_shape [1, 1, 2, 8]
// CHECK: %[[WE:.*]] = tensor.expand_shape %arg1 {{\[\[}}0, 1], [2], [3]] output_shape [1, 2, 3, 3]
// CHECK: %[[WF:.*]] = linalg.generic {indexing_maps = [#[[FLIP]], #{{.*}}]{{.*}} ins(%[[WE]] : tensor<1x2x3x3xf32>)
// CHECK: %[[OE:.*]] = tensor.expand_shape %[[B]] {{\[\[}}0], [1, 2], [3]] output_shape [1, 1, 3, 6]
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[Z]], #[[WM]], #[[O]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[ZE]], %[[WF]] : {{.*}}) outs(%[[OE]] :
// CHECK: tensor.collapse_shape %[[R]] {{\[\[}}0], [1, 2], [3]] : tensor<1x1x3x6xf32> into tensor<1x3x6xf32>
func.func @conv_transpose(%x: tensor<1x2x3xf32>, %w: tensor<2x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x3x6xf32> {
  %0 = graph.ConvTranspose(%x, %w, %b) {strides = array<i64: 2>, pads = array<i64: 1, 0>} : (tensor<1x2x3xf32>, tensor<2x3x3xf32>, tensor<3xf32>) -> tensor<1x3x6xf32>
  return %0 : tensor<1x3x6xf32>
}

// -----

// Pads larger than k - 1 crop the dilated input: k = 2, pads [2, 2] -> low = high = -1.
// CHECK-LABEL: func @conv_transpose_crop
// CHECK: %[[ZS:.*]] = tensor.insert_slice %arg0 into %{{.*}}[0, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x1x4xf32> into tensor<1x1x4xf32>
// CHECK: tensor.extract_slice %[[ZS]][0, 0, 1] [1, 1, 2] [1, 1, 1] : tensor<1x1x4xf32> to tensor<1x1x2xf32>
func.func @conv_transpose_crop(%x: tensor<1x1x4xf32>, %w: tensor<1x1x2xf32>) -> tensor<1x1x1xf32> {
  %n = graph.none
  %0 = graph.ConvTranspose(%x, %w, %n) {pads = array<i64: 2, 2>} : (tensor<1x1x4xf32>, tensor<1x1x2xf32>, none) -> tensor<1x1x1xf32>
  return %0 : tensor<1x1x1xf32>
}

// -----

// ConvTranspose whose output_shape exceeds the full transposed convolution (9 x 7 here): the extra rows and
// columns come at the end, from extra zero padding of the dilated input (12 x 10 = 10 + 3 - 1 by 8 + 3 - 1).
// CHECK-LABEL: func @conv_transpose_output_shape_larger
// CHECK: tensor.insert_slice %arg0 into %{{.*}}[0, 0, 2, 2] [1, 1, 3, 3] [1, 1, 3, 2] : tensor<1x1x3x3xf32> into tensor<1x1x12x10xf32>
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x1x2x10x8xf32>)
func.func @conv_transpose_output_shape_larger(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>) -> tensor<1x2x10x8xf32> {
  %n = graph.none
  %0 = graph.ConvTranspose(%x, %w, %n) {output_shape = array<i64: 10, 8>, strides = array<i64: 3, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, none) -> tensor<1x2x10x8xf32>
  return %0 : tensor<1x2x10x8xf32>
}
