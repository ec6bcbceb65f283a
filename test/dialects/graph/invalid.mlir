// RUN: sinter-opt %s -split-input-file -verify-diagnostics
// What ONNX rejects, the verifier rejects: one malformed op per split.

func.func @matmul_inner_dims(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{inner dimensions differ: A has K=3, B has K=4}}
  %0 = graph.MatMul(%a, %b) : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @mixed_element_types(%a: tensor<2xf32>, %b: tensor<2xf64>) -> tensor<2xf32> {
  // expected-error @+1 {{values bound to one ONNX type parameter (A, B, C) have one element type}}
  %0 = graph.Add(%a, %b) : (tensor<2xf32>, tensor<2xf64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{operands don't have broadcast-compatible shapes}}
  %0 = graph.Mul(%a, %b) : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @type_not_allowed(%a: tensor<2xi32>) -> tensor<2xi32> {
  // expected-error @+1 {{operand #0 must be tensor of 16-bit float or 32-bit float or 64-bit float}}
  %0 = graph.Sqrt(%a) : (tensor<2xi32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @softmax_axis(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{axis 2 is out of range [-2, 1] for an input of rank 2}}
  %0 = graph.Softmax(%a) {axis = 2} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @conv_groups(%x: tensor<1x6x8xf32>, %w: tensor<4x4x3xf32>) -> tensor<1x4x6xf32> {
  %none = graph.none
  // expected-error @+1 {{X has 6 channels but W expects 4 x group 1 = 4}}
  %0 = graph.Conv(%x, %w, %none) : (tensor<1x6x8xf32>, tensor<4x4x3xf32>, none) -> tensor<1x4x6xf32>
  return %0 : tensor<1x4x6xf32>
}

// -----

func.func @conv_auto_pad(%x: tensor<1x4x8xf32>, %w: tensor<4x4x3xf32>) -> tensor<1x4x8xf32> {
  %none = graph.none
  // expected-error @+1 {{auto_pad 'SAME_MIDDLE' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID}}
  %0 = graph.Conv(%x, %w, %none) {auto_pad = "SAME_MIDDLE"} : (tensor<1x4x8xf32>, tensor<4x4x3xf32>, none) -> tensor<1x4x8xf32>
  return %0 : tensor<1x4x8xf32>
}

// -----

func.func @transpose_perm(%x: tensor<2x3x4xf32>) -> tensor<4x3x2xf32> {
  // expected-error @+1 {{perm is not a permutation of [0, 3)}}
  %0 = graph.Transpose(%x) {perm = array<i64: 2, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  return %0 : tensor<4x3x2xf32>
}

// -----

func.func @reshape_count(%x: tensor<2x3xf32>, %s: tensor<2xi64>) -> tensor<4x2xf32> {
  // expected-error @+1 {{cannot reshape 6 elements into 'tensor<4x2xf32>'}}
  %0 = graph.Reshape(%x, %s) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

func.func @concat_dims(%a: tensor<2x3xf32>, %b: tensor<4x2xf32>) -> tensor<6x3xf32> {
  // expected-error @+1 {{inputs differ in dimension 1 (3 vs 2), which is not the concatenation axis}}
  %0 = graph.Concat(%a, %b) {axis = 0} : (tensor<2x3xf32>, tensor<4x2xf32>) -> tensor<6x3xf32>
  return %0 : tensor<6x3xf32>
}

// -----

func.func @cast_mismatch(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{result element type 'f32' does not match 'to' = INT64}}
  %0 = graph.Cast(%a) {to = 7} : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @cast_to_string(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{cast to STRING (8) is not supported}}
  %0 = graph.Cast(%a) {to = 8} : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @pad_mode(%a: tensor<2xf32>, %p: tensor<2xi64>) -> tensor<4xf32> {
  %none = graph.none
  // expected-error @+1 {{mode 'wrap' is not one of constant, reflect, edge}}
  %0 = graph.Pad(%a, %p, %none) {mode = "wrap"} : (tensor<2xf32>, tensor<2xi64>, none) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dft_last_dim(%a: tensor<1x16x3xf32>) -> tensor<1x16x2xf32> {
  %none = graph.none
  // expected-error @+1 {{the last dimension holds [real] or [real, imaginary] and must be 1 or 2, got 3}}
  %0 = graph.DFT(%a, %none) : (tensor<1x16x3xf32>, none) -> tensor<1x16x2xf32>
  return %0 : tensor<1x16x2xf32>
}

// -----

func.func @batchnorm_channels(%x: tensor<1x4x2x2xf32>, %s: tensor<3xf32>) -> tensor<1x4x2x2xf32> {
  // expected-error @+1 {{scale has 3 entries but X has 4 channels}}
  %0:3 = graph.BatchNormalization(%x, %s, %s, %s, %s) : (tensor<1x4x2x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<1x4x2x2xf32>, none, none)
  return %0#0 : tensor<1x4x2x2xf32>
}

// -----

func.func @gemm_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  %none = graph.none
  // expected-error @+1 {{A must have rank 2, got 3}}
  %0 = graph.Gemm(%a, %b, %none) : (tensor<2x3x4xf32>, tensor<4x5xf32>, none) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @split_cover(%a: tensor<6xf32>) -> tensor<2xf32> {
  %none = graph.none
  // expected-error @+1 {{outputs cover 5 entries along axis 0 but the input has 6}}
  %0:2 = graph.Split(%a, %none) : (tensor<6xf32>, none) -> (tensor<2xf32>, tensor<3xf32>)
  return %0#0 : tensor<2xf32>
}

// -----

func.func @constant_type(%a: tensor<2xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{all of {value, output} have same type}}
  %0 = "graph.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Negative axes count from the end: axis -1 of rank 2 is dimension 1, so dimension 0 must agree.
func.func @concat_negative_axis(%a: tensor<2x3xf32>, %b: tensor<4x2xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{inputs differ in dimension 0 (2 vs 4), which is not the concatenation axis}}
  %0 = graph.Concat(%a, %b) {axis = -1} : (tensor<2x3xf32>, tensor<4x2xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @negative_axis_out_of_range(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{axis -3 is out of range [-2, 1] for an input of rank 2}}
  %0 = graph.Softmax(%a) {axis = -3} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @adagrad_partial_group(%r: tensor<f32>, %t: tensor<i64>, %x: tensor<2xf32>, %g: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{needs 3 inputs per updated tensor, got 2}}
  %0 = graph.Adagrad(%r, %t, %x, %g) : (tensor<f32>, tensor<i64>, tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @adam_outputs(%r: tensor<f32>, %t: tensor<i64>, %x: tensor<2xf32>, %g: tensor<2xf32>, %v: tensor<2xf32>, %h: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{updates 1 tensors, so it needs 3 outputs, got 2}}
  %0:2 = graph.Adam(%r, %t, %x, %g, %v, %h) : (tensor<f32>, tensor<i64>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  return %0#0 : tensor<2xf32>
}

// -----

func.func @momentum_gradient_shape(%r: tensor<f32>, %t: tensor<i64>, %x: tensor<2xf32>, %g: tensor<3xf32>, %v: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{input 1 ('tensor<3xf32>') does not match the tensor it belongs to ('tensor<2xf32>')}}
  %0:2 = graph.Momentum(%r, %t, %x, %g, %v) {alpha = 0.9 : f32, beta = 0.1 : f32, mode = "standard", norm_coefficient = 0.0 : f32} : (tensor<f32>, tensor<i64>, tensor<2xf32>, tensor<3xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  return %0#0 : tensor<2xf32>
}

// -----

func.func @momentum_mode(%r: tensor<f32>, %t: tensor<i64>, %x: tensor<2xf32>, %g: tensor<2xf32>, %v: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{mode 'heavy' is not one of standard, nesterov}}
  %0:2 = graph.Momentum(%r, %t, %x, %g, %v) {alpha = 0.9 : f32, beta = 0.1 : f32, mode = "heavy", norm_coefficient = 0.0 : f32} : (tensor<f32>, tensor<i64>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  return %0#0 : tensor<2xf32>
}

// -----

func.func @adagrad_rate_not_scalar(%r: tensor<2xf32>, %t: tensor<i64>, %x: tensor<2xf32>, %g: tensor<2xf32>, %h: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{R must be a scalar, got 'tensor<2xf32>'}}
  %0:2 = graph.Adagrad(%r, %t, %x, %g, %h) : (tensor<2xf32>, tensor<i64>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  return %0#0 : tensor<2xf32>
}
