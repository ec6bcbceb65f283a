// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' -verify-diagnostics

// Training-mode BatchNormalization needs static shapes (the statistics divide by the element count).
func.func @batch_norm_training_dynamic(%x: tensor<?x3xf32>, %p: tensor<3xf32>) -> tensor<?x3xf32> {
  // expected-error @+1 {{(BatchNormalization): cannot be lowered: its result shape is not static}}
  %0, %1, %2 = graph.BatchNormalization(%x, %p, %p, %p, %p) {training_mode = 1 : i64} : (tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>)
  return %0 : tensor<?x3xf32>
}

// -----

// MaxPool's Indices with SAME auto_pad (only the named-op lowering resolves SAME padding).
func.func @max_pool_indices_same(%x: tensor<1x1x4xf32>) -> tensor<1x1x2xi64> {
  // expected-error @+1 {{(MaxPool): lowering to linalg is not implemented for this op and its types}}
  %0, %1 = graph.MaxPool(%x) {auto_pad = "SAME_UPPER", kernel_shape = array<i64: 2>, strides = array<i64: 2>} : (tensor<1x1x4xf32>) -> (tensor<1x1x2xf32>, tensor<1x1x2xi64>)
  return %1 : tensor<1x1x2xi64>
}

// -----

// A 3-D MaxPool whose result size matches no window formula.
func.func @max_pool_3d_bad_shape(%x: tensor<1x1x4x4x4xf32>) -> tensor<1x1x3x2x2xf32> {
  // expected-error @+1 {{(MaxPool): lowering to linalg is not implemented for this op and its types}}
  %0, %1 = graph.MaxPool(%x) {kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>} : (tensor<1x1x4x4x4xf32>) -> (tensor<1x1x3x2x2xf32>, none)
  return %0 : tensor<1x1x3x2x2xf32>
}

// -----

// A result size that matches neither the floor nor (without ceil_mode) the ceil formula is reported.
func.func @average_pool_bad_shape(%x: tensor<1x1x6xf32>) -> tensor<1x1x3xf32> {
  // expected-error @+1 {{(AveragePool): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.AveragePool(%x) {kernel_shape = array<i64: 3>, strides = array<i64: 2>} : (tensor<1x1x6xf32>) -> tensor<1x1x3xf32>
  return %0 : tensor<1x1x3xf32>
}

// -----

// DFT's dft_length must be a constant.
func.func @dft_runtime_length(%x: tensor<1x4x1xf32>, %l: tensor<i64>) -> tensor<1x4x2xf32> {
  // expected-error @+1 {{(DFT): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.DFT(%x, %l) : (tensor<1x4x1xf32>, tensor<i64>) -> tensor<1x4x2xf32>
  return %0 : tensor<1x4x2xf32>
}

// -----

// onesided is only meaningful for a real forward transform.
func.func @dft_onesided_complex(%x: tensor<1x4x2xf32>) -> tensor<1x3x2xf32> {
  %n = graph.none
  // expected-error @+1 {{(DFT): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.DFT(%x, %n) {onesided = 1 : i64} : (tensor<1x4x2xf32>, none) -> tensor<1x3x2xf32>
  return %0 : tensor<1x3x2xf32>
}

// -----

// Runtime ReduceSum axes: no choice of reduced dimensions turns the input shape into the result's.
func.func @reduce_sum_runtime_axes_bad_shape(%x: tensor<2x3xf32>, %a: tensor<1xi64>) -> tensor<5xf32> {
  // expected-error @+1 {{(ReduceSum): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.ReduceSum(%x, %a) : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// ReduceL2 of integers is not lowered (no integer square root).
func.func @reduce_l2_int(%x: tensor<2x3xi32>) -> tensor<2x1xi32> {
  // expected-error @+1 {{(ReduceL2): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.ReduceL2(%x) {axes = array<i64: 1>} : (tensor<2x3xi32>) -> tensor<2x1xi32>
  return %0 : tensor<2x1xi32>
}

// -----

// A runtime K is the result's size along the axis; beyond 64 selection passes it is refused.
func.func @topk_runtime_k_too_large(%x: tensor<100xf32>, %k: tensor<1xi64>) -> (tensor<70xf32>, tensor<70xi64>) {
  // expected-error @+1 {{(TopK): lowering to linalg is not implemented for this op and its types}}
  %0:2 = graph.TopK(%x, %k) : (tensor<100xf32>, tensor<1xi64>) -> (tensor<70xf32>, tensor<70xi64>)
  return %0#0, %0#1 : tensor<70xf32>, tensor<70xi64>
}

// -----

// Ellipsis dimensions that broadcast (1 against 2) are not supported.
func.func @einsum_ellipsis_broadcast(%a: tensor<1x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
  // expected-error @+1 {{(Einsum): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.Einsum(%a, %b) {equation = "...ij,...jk->...ik"} : (tensor<1x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// Dropout in constant training mode with a constant ratio that is not 0 always draws random numbers.
func.func @dropout_training_constant(%x: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xi1>) {
  %r = graph.constant dense<0.5> : tensor<f32>
  %t = graph.constant dense<true> : tensor<i1>
  // expected-error @+1 {{(Dropout): lowering to linalg is not implemented for this op and its types}}
  %0:2 = graph.Dropout(%x, %r, %t) : (tensor<3x4xf32>, tensor<f32>, tensor<i1>) -> (tensor<3x4xf32>, tensor<3x4xi1>)
  return %0#0, %0#1 : tensor<3x4xf32>, tensor<3x4xi1>
}
