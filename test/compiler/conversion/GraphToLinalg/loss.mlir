// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// NegativeLogLikelihoodLoss, reduction mean with weights and ignore_index: one generic yields each target's
// weighted loss and weight (0 for the ignored class), then sum(loss) / sum(weight).
// CHECK-LABEL: func @nll_mean_weight_ignore
// CHECK: %[[E:.*]]:2 = linalg.generic {{.*}} ins(%arg1 : tensor<3xi64>)
// CHECK: arith.cmpi eq, %{{.*}}, %c-1_i64
// CHECK: tensor.extract %arg0
// CHECK: tensor.extract %arg2
// CHECK: arith.negf
// CHECK: linalg.yield
// CHECK: %[[L:.*]] = linalg.generic {{.*}} iterator_types = ["reduction"]} ins(%[[E]]#0
// CHECK: %[[W:.*]] = linalg.generic {{.*}} iterator_types = ["reduction"]} ins(%[[E]]#1
// CHECK: %[[M:.*]] = linalg.generic {{.*}} ins(%[[L]], %[[W]] : tensor<f32>, tensor<f32>)
// CHECK: arith.divf
// CHECK: return %[[M]] : tensor<f32>
func.func @nll_mean_weight_ignore(%x: tensor<3x5xf32>, %t: tensor<3xi64>, %w: tensor<5xf32>) -> tensor<f32> {
  %0 = graph.NegativeLogLikelihoodLoss(%x, %t, %w) {ignore_index = -1 : i64} : (tensor<3x5xf32>, tensor<3xi64>, tensor<5xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// SoftmaxCrossEntropyLoss: a max-shifted LogSoftmax over the class axis (also the log_prob result), then the
// per-element loss without reduction.
// CHECK-LABEL: func @sce_none_log_prob
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: %[[LP:.*]] = linalg.generic {{.*}} ins(%arg0, %{{.*}}, %{{.*}} : tensor<3x5x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>)
// CHECK: math.log
// CHECK: %[[E:.*]]:2 = linalg.generic {{.*}} ins(%arg1 : tensor<3x2xi64>)
// CHECK: tensor.extract %[[LP]]
// CHECK: return %[[E]]#0, %[[LP]] : tensor<3x2xf32>, tensor<3x5x2xf32>
func.func @sce_none_log_prob(%x: tensor<3x5x2xf32>, %t: tensor<3x2xi64>) -> (tensor<3x2xf32>, tensor<3x5x2xf32>) {
  %n = graph.none
  %0:2 = graph.SoftmaxCrossEntropyLoss(%x, %t, %n) {reduction = "none"} : (tensor<3x5x2xf32>, tensor<3x2xi64>, none) -> (tensor<3x2xf32>, tensor<3x5x2xf32>)
  return %0#0, %0#1 : tensor<3x2xf32>, tensor<3x5x2xf32>
}
