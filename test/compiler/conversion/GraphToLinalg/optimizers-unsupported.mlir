// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' -verify-diagnostics

// Tensors of unknown shape are not lowered (every lowering needs static shapes).
func.func @adagrad_dynamic(%r: tensor<f32>, %t: tensor<i64>, %x: tensor<?xf32>, %g: tensor<?xf32>, %h: tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>) {
  // expected-error @+1 {{(Adagrad): cannot be lowered: its result shape is not static}}
  %0:2 = graph.Adagrad(%r, %t, %x, %g, %h) : (tensor<f32>, tensor<i64>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>)
  return %0#0, %0#1 : tensor<?xf32>, tensor<?xf32>
}

// -----

// A learning rate of unknown size is not a scalar the body can read.
func.func @momentum_rate_unknown(%r: tensor<?xf32>, %t: tensor<i64>, %x: tensor<2xf32>, %g: tensor<2xf32>, %v: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  // expected-error @+1 {{(Momentum): lowering to linalg is not implemented for this op and its types}}
  %0:2 = graph.Momentum(%r, %t, %x, %g, %v) {alpha = 0.9 : f32, beta = 0.1 : f32, mode = "standard", norm_coefficient = 0.0 : f32} : (tensor<?xf32>, tensor<i64>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  return %0#0, %0#1 : tensor<2xf32>, tensor<2xf32>
}
