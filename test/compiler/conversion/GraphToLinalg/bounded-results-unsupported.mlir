// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' -verify-diagnostics

// A result whose shape depends on input values may only be a graph output: here NonZero feeds a Transpose.
func.func @nonzero_feeds_node(%x: tensor<2x2xf32>) -> tensor<?x2xi64> {
  // expected-error @+1 {{(NonZero): result 0's shape depends on input values; it is only supported as a graph output, but it feeds (graph.Transpose)}}
  %0 = graph.NonZero(%x) : (tensor<2x2xf32>) -> tensor<2x?xi64>
  %1 = graph.Transpose(%0) {perm = array<i64: 1, 0>} : (tensor<2x?xi64>) -> tensor<?x2xi64>
  return %1 : tensor<?x2xi64>
}

// -----

// Unique's counts feeding a node is refused; its inverse_indices (static length) may feed anything.
func.func @unique_counts_feed_node(%x: tensor<5xf32>) -> (tensor<5xi64>, tensor<?xi64>) {
  // expected-error @+1 {{(Unique): result 3's shape depends on input values; it is only supported as a graph output, but it feeds (graph.Neg)}}
  %y, %i, %v, %c = graph.Unique(%x) : (tensor<5xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<5xi64>, tensor<?xi64>)
  %n = graph.Neg(%v) : (tensor<5xi64>) -> tensor<5xi64>
  %m = graph.Neg(%c) : (tensor<?xi64>) -> tensor<?xi64>
  return %n, %m : tensor<5xi64>, tensor<?xi64>
}

// -----

// Compress of a complex tensor: no lowering (the bounded results handle integers and floats).
func.func @compress_complex(%x: tensor<4xcomplex<f32>>, %c: tensor<4xi1>) -> tensor<?xcomplex<f32>> {
  // expected-error @+1 {{(Compress): cannot be lowered: its result shape is not static}}
  %0 = graph.Compress(%x, %c) {axis = 0 : i64} : (tensor<4xcomplex<f32>>, tensor<4xi1>) -> tensor<?xcomplex<f32>>
  return %0 : tensor<?xcomplex<f32>>
}
