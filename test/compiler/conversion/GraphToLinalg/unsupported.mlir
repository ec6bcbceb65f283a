// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' -verify-diagnostics

// An op without a lowering is an error at the op, never silently left behind.
func.func @no_lowering(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{(RandomUniformLike): lowering to linalg is not implemented for this op and its types}}
  %0 = graph.RandomUniformLike(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dynamic(%x: tensor<?xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{(Relu): cannot be lowered: its result shape is not static}}
  %0 = graph.Relu(%x) : (tensor<?xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// A Range whose length stays dynamic (no declared graph output pinned it): the error says how to give it one.
func.func @range_dynamic(%s: tensor<f32>, %l: tensor<f32>, %d: tensor<f32>) -> tensor<?xf32> {
  // expected-error @+1 {{(Range): cannot be lowered: its result shape is not static (its length depends on input values: Sinter compiles it when it reaches a graph output declared with a fixed extent, and checks the length at run time)}}
  %0 = graph.Range(%s, %l, %d) : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}
