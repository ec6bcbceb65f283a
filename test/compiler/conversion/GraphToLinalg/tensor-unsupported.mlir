// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' -verify-diagnostics

// Reflect padding of at least the dimension's size would need repeated reflection.
func.func @pad_reflect_too_wide(%x: tensor<2xf32>) -> tensor<6xf32> {
  %p = graph.constant dense<[2, 2]> : tensor<2xi64>
  %n = graph.none
  // expected-error @+1 {{(Pad): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.Pad(%x, %p, %n) {mode = "reflect"} : (tensor<2xf32>, tensor<2xi64>, none) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

// Runtime repeats must give a result that is a whole multiple of the input.
func.func @tile_runtime_repeats_uneven(%x: tensor<2xf32>, %r: tensor<1xi64>) -> tensor<3xf32> {
  // expected-error @+1 {{(Tile): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.Tile(%x, %r) : (tensor<2xf32>, tensor<1xi64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// A constant scalar Gather index out of range is reported, not lowered to an out-of-bounds slice.
func.func @gather_out_of_range(%x: tensor<3x5xf32>) -> tensor<3xf32> {
  %i = graph.constant dense<5> : tensor<i64>
  // expected-error @+1 {{(Gather): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.Gather(%x, %i) {axis = 1 : i64} : (tensor<3x5xf32>, tensor<i64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Linear and cubic resize interpolate: integer data is refused.
func.func @resize_cubic_int(%x: tensor<1x1x2x2xi32>) -> tensor<1x1x4x4xi32> {
  %n = graph.none
  %s = graph.constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  // expected-error @+1 {{(Resize): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.Resize(%x, %n, %s, %n) {mode = "cubic"} : (tensor<1x1x2x2xi32>, none, tensor<4xf32>, none) -> tensor<1x1x4x4xi32>
  return %0 : tensor<1x1x4x4xi32>
}
