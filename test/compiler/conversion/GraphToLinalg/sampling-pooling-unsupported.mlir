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
