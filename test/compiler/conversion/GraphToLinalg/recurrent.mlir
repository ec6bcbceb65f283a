// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// RNN, two steps: the input projection of both steps at once, then per step H·Rᵀ and tanh of the sum with
// the (absent, so zero) biases; Y gets each step's state, Y_h the last.
// CHECK-LABEL: func @rnn_forward
// CHECK: %[[XW:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%arg0, %{{.*}} : tensor<2x1x3xf32>, tensor<4x3xf32>) outs(%{{.*}} : tensor<2x1x4xf32>)
// CHECK: %[[HR0:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: %[[X0:.*]] = tensor.extract_slice %[[XW]][0, 0, 0] [1, 1, 4]
// CHECK: %[[S0:.*]]:2 = linalg.generic {{.*}} ins(%[[X0]], %[[HR0]],
// CHECK: math.tanh
// CHECK: %[[Y0:.*]] = tensor.insert_slice %[[S0]]#1 into %{{.*}}[0, 0, 0, 0] [1, 1, 1, 4]
// CHECK: linalg.generic {{.*}} ins(%[[S0]]#0, %{{.*}} : tensor<1x4xf32>, tensor<4x4xf32>)
// CHECK: %[[X1:.*]] = tensor.extract_slice %[[XW]][1, 0, 0] [1, 1, 4]
// CHECK: %[[S1:.*]]:2 = linalg.generic {{.*}} ins(%[[X1]],
// CHECK: %[[Y:.*]] = tensor.insert_slice %[[S1]]#1 into %[[Y0]][1, 0, 0, 0] [1, 1, 1, 4]
// CHECK: %[[YH:.*]] = tensor.insert_slice %[[S1]]#0 into %{{.*}}[0, 0, 0] [1, 1, 4]
// CHECK: return %[[Y]], %[[YH]]
func.func @rnn_forward(%x: tensor<2x1x3xf32>, %w: tensor<1x4x3xf32>, %r: tensor<1x4x4xf32>) -> (tensor<2x1x1x4xf32>, tensor<1x1x4xf32>) {
  %n = graph.none
  %0:2 = graph.RNN(%x, %w, %r, %n, %n, %n) {hidden_size = 4 : i64} : (tensor<2x1x3xf32>, tensor<1x4x3xf32>, tensor<1x4x4xf32>, none, none, none) -> (tensor<2x1x1x4xf32>, tensor<1x1x4xf32>)
  return %0#0, %0#1 : tensor<2x1x1x4xf32>, tensor<1x1x4xf32>
}

// -----

// Reverse GRU with sequence_lens: the last time step comes first; a row only advances while t < its length.
// Without linear_before_reset, the candidate contracts r ⊙ H with R_h.
// CHECK-LABEL: func @gru_reverse_lengths
// CHECK: %[[XW:.*]] = linalg.generic
// CHECK: tensor.extract_slice %[[XW]][1, 0, 0] [1, 2, 3]
// CHECK: %[[ZR:.*]]:3 = linalg.generic
// CHECK: arith.mulf
// CHECK: linalg.generic {{.*}} ins(%[[ZR]]#2, %{{.*}} : tensor<2x3xf32>, tensor<3x3xf32>)
// CHECK: linalg.generic {{.*}} ins({{.*}}, %arg4 : {{.*}}, tensor<2xi32>)
// CHECK: %[[T:.*]] = arith.constant 1 : i32
// CHECK: arith.cmpi slt, %[[T]], %{{.*}} : i32
// CHECK: arith.select
// CHECK: tensor.extract_slice %[[XW]][0, 0, 0] [1, 2, 3]
// CHECK: arith.constant 0 : i32
func.func @gru_reverse_lengths(%x: tensor<2x2x1xf32>, %w: tensor<1x9x1xf32>, %r: tensor<1x9x3xf32>, %b: tensor<1x18xf32>, %l: tensor<2xi32>) -> tensor<1x2x3xf32> {
  %n = graph.none
  %0:2 = graph.GRU(%x, %w, %r, %b, %l, %n) {hidden_size = 3 : i64, direction = "reverse"} : (tensor<2x2x1xf32>, tensor<1x9x1xf32>, tensor<1x9x3xf32>, tensor<1x18xf32>, tensor<2xi32>, none) -> (none, tensor<1x2x3xf32>)
  return %0#1 : tensor<1x2x3xf32>
}

// -----

// Bidirectional batch-major LSTM with peepholes: both directions' states land in Y_h/Y_c at [batch, dir, hidden].
// CHECK-LABEL: func @lstm_bidirectional
// CHECK-COUNT-2: outs(%{{.*}}, %{{.*}}, %{{.*}} : tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>)
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0] [1, 1, 2]
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0] [1, 1, 2]
// CHECK: outs(%{{.*}}, %{{.*}}, %{{.*}} : tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>)
// CHECK: math.exp
// CHECK: math.tanh
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 1, 0] [1, 1, 2]
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 1, 0] [1, 1, 2]
func.func @lstm_bidirectional(%x: tensor<1x2x1xf32>, %w: tensor<2x8x1xf32>, %r: tensor<2x8x2xf32>, %p: tensor<2x6xf32>) -> (tensor<1x2x2xf32>, tensor<1x2x2xf32>) {
  %n = graph.none
  %0:3 = graph.LSTM(%x, %w, %r, %n, %n, %n, %n, %p) {hidden_size = 2 : i64, direction = "bidirectional", layout = 1 : i64} : (tensor<1x2x1xf32>, tensor<2x8x1xf32>, tensor<2x8x2xf32>, none, none, none, none, tensor<2x6xf32>) -> (none, tensor<1x2x2xf32>, tensor<1x2x2xf32>)
  return %0#1, %0#2 : tensor<1x2x2xf32>, tensor<1x2x2xf32>
}
