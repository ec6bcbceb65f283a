// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' -verify-diagnostics

// LSTM's input_forget (coupled input and forget gates) is not lowered.
func.func @lstm_input_forget(%x: tensor<1x1x1xf32>, %w: tensor<1x8x1xf32>, %r: tensor<1x8x2xf32>) -> tensor<1x1x2xf32> {
  %n = graph.none
  // expected-error @+1 {{(LSTM): lowering to linalg is not implemented for this op and its types}}
  %0:3 = graph.LSTM(%x, %w, %r, %n, %n, %n, %n, %n) {hidden_size = 2 : i64, input_forget = 1 : i64} : (tensor<1x1x1xf32>, tensor<1x8x1xf32>, tensor<1x8x2xf32>, none, none, none, none, none) -> (none, tensor<1x1x2xf32>, none)
  return %0#1 : tensor<1x1x2xf32>
}

// -----

// ScaledTanh has no default alpha/beta: without activation_alpha/beta the op is refused.
func.func @rnn_activation_without_alpha(%x: tensor<1x1x1xf32>, %w: tensor<1x2x1xf32>, %r: tensor<1x2x2xf32>) -> tensor<1x1x2xf32> {
  %n = graph.none
  // expected-error @+1 {{(RNN): lowering to linalg is not implemented for this op and its types}}
  %0:2 = graph.RNN(%x, %w, %r, %n, %n, %n) {hidden_size = 2 : i64, activations = ["ScaledTanh"]} : (tensor<1x1x1xf32>, tensor<1x2x1xf32>, tensor<1x2x2xf32>, none, none, none) -> (none, tensor<1x1x2xf32>)
  return %0#1 : tensor<1x1x2xf32>
}

// -----

// W's row count must be gates x hidden_size.
func.func @gru_bad_weights(%x: tensor<1x1x1xf32>, %w: tensor<1x4x1xf32>, %r: tensor<1x4x2xf32>) -> tensor<1x1x2xf32> {
  %n = graph.none
  // expected-error @+1 {{(GRU): lowering to linalg is not implemented for this op and its types}}
  %0:2 = graph.GRU(%x, %w, %r, %n, %n, %n) {hidden_size = 2 : i64} : (tensor<1x1x1xf32>, tensor<1x4x1xf32>, tensor<1x4x2xf32>, none, none, none) -> (none, tensor<1x1x2xf32>)
  return %0#1 : tensor<1x1x2xf32>
}
