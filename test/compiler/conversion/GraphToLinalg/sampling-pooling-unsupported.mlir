// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' -verify-diagnostics

// Det beyond 4 x 4 would need a pivoting factorization.
func.func @det_5x5(%x: tensor<5x5xf32>) -> tensor<f32> {
  // expected-error @+1 {{(Det): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.Det(%x) : (tensor<5x5xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// GridSample's mode must be one ONNX defines.
func.func @grid_sample_bad_mode(%x: tensor<1x1x3x2xf32>, %g: tensor<1x2x4x2xf32>) -> tensor<1x1x2x4xf32> {
  // expected-error @+1 {{(GridSample): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.GridSample(%x, %g) {mode = "area"} : (tensor<1x1x3x2xf32>, tensor<1x2x4x2xf32>) -> tensor<1x1x2x4xf32>
  return %0 : tensor<1x1x2x4xf32>
}

// -----

// ConvInteger with groups is not lowered.
func.func @conv_integer_group(%x: tensor<1x2x3x3xui8>, %w: tensor<2x1x2x2xui8>) -> tensor<1x2x2x2xi32> {
  %n = graph.none
  // expected-error @+1 {{(ConvInteger): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.ConvInteger(%x, %w, %n, %n) {group = 2 : i64} : (tensor<1x2x3x3xui8>, tensor<2x1x2x2xui8>, none, none) -> tensor<1x2x2x2xi32>
  return %0 : tensor<1x2x2x2xi32>
}

// -----

// MatMulInteger's zero point must be a scalar or a per-row vector.
func.func @matmul_integer_bad_zero_point(%a: tensor<4x3xui8>, %b: tensor<3x2xui8>, %az: tensor<3xui8>) -> tensor<4x2xi32> {
  %n = graph.none
  // expected-error @+1 {{(MatMulInteger): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.MatMulInteger(%a, %b, %az, %n) : (tensor<4x3xui8>, tensor<3x2xui8>, tensor<3xui8>, none) -> tensor<4x2xi32>
  return %0 : tensor<4x2xi32>
}

// -----

// MaxUnpool: a result smaller than the shape the window infers.
func.func @max_unpool_small_result(%x: tensor<1x1x2x2xf32>, %i: tensor<1x1x2x2xi64>) -> tensor<1x1x3x3xf32> {
  %n = graph.none
  // expected-error @+1 {{(MaxUnpool): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.MaxUnpool(%x, %i, %n) {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, none) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

// RoiAlign's adaptive sampling grid (sampling_ratio 0) depends on each ROI at run time.
func.func @roi_align_adaptive(%x: tensor<1x1x10x10xf32>, %r: tensor<3x4xf32>, %i: tensor<3xi64>) -> tensor<3x1x5x5xf32> {
  // expected-error @+1 {{(RoiAlign): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.RoiAlign(%x, %r, %i) {output_height = 5 : i64, output_width = 5 : i64, sampling_ratio = 0 : i64} : (tensor<1x1x10x10xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x1x5x5xf32>
  return %0 : tensor<3x1x5x5xf32>
}

// -----

// QLinearMatMul with per-column b scales is not lowered (per-tensor parameters only).
func.func @qlinear_matmul_per_column(%a: tensor<2x4xui8>, %s: tensor<1xf32>, %z: tensor<1xui8>, %b: tensor<4x3xui8>, %bs: tensor<3xf32>, %bz: tensor<3xui8>) -> tensor<2x3xui8> {
  // expected-error @+1 {{(QLinearMatMul): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.QLinearMatMul(%a, %s, %z, %b, %bs, %bz, %s, %z) : (tensor<2x4xui8>, tensor<1xf32>, tensor<1xui8>, tensor<4x3xui8>, tensor<3xf32>, tensor<3xui8>, tensor<1xf32>, tensor<1xui8>) -> tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}

// -----

// QLinearConv with a per-channel x_scale (x is quantized per tensor in ONNX).
func.func @qlinear_conv_per_channel_x_scale(%x: tensor<1x1x3x3xui8>, %xs: tensor<2xf32>, %z: tensor<ui8>, %w: tensor<2x1x1x1xui8>, %s: tensor<f32>) -> tensor<1x2x3x3xui8> {
  %n = graph.none
  // expected-error @+1 {{(QLinearConv): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.QLinearConv(%x, %xs, %z, %w, %s, %z, %s, %z, %n) : (tensor<1x1x3x3xui8>, tensor<2xf32>, tensor<ui8>, tensor<2x1x1x1xui8>, tensor<f32>, tensor<ui8>, tensor<f32>, tensor<ui8>, none) -> tensor<1x2x3x3xui8>
  return %0 : tensor<1x2x3x3xui8>
}

// -----

// STFT needs a window or a frame_length to know the frame.
func.func @stft_no_frame(%x: tensor<1x128x1xf32>, %step: tensor<i64>) -> tensor<1x15x9x2xf32> {
  %n = graph.none
  // expected-error @+1 {{(STFT): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.STFT(%x, %step, %n, %n) : (tensor<1x128x1xf32>, tensor<i64>, none, none) -> tensor<1x15x9x2xf32>
  return %0 : tensor<1x15x9x2xf32>
}
