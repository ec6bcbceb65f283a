// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// Hardmax: max along the axis, the first index holding it, then 1 there and 0 elsewhere.
// CHECK-LABEL: func @hardmax
// CHECK: %[[M:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<3x4xf32>)
// CHECK: arith.maximumf
// CHECK: %[[I:.*]] = linalg.generic {{.*}} ins(%arg0, %[[M]] : tensor<3x4xf32>, tensor<3xf32>) outs(%{{.*}} : tensor<3xi64>)
// CHECK: arith.cmpf oeq
// CHECK: linalg.generic {{.*}} ins(%[[I]] : tensor<3xi64>) outs(%{{.*}} : tensor<3x4xf32>)
func.func @hardmax(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = graph.Hardmax(%x) : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// Inference-mode Dropout: the input, and an all-true mask.
// CHECK-LABEL: func @dropout_inference
// CHECK: %[[MASK:.*]] = linalg.fill ins(%true : i1)
// CHECK: return %arg0, %[[MASK]]
func.func @dropout_inference(%x: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xi1>) {
  %n = graph.none
  %0:2 = graph.Dropout(%x, %n, %n) : (tensor<3x4xf32>, none, none) -> (tensor<3x4xf32>, tensor<3x4xi1>)
  return %0#0, %0#1 : tensor<3x4xf32>, tensor<3x4xi1>
}

// -----

// Dropout with training_mode and ratio as inputs: deterministic only when training_mode is false or the
// ratio 0, which a run-time check requires; then the input and an all-true mask.
// CHECK-LABEL: func @dropout_runtime_training
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<i8>) attrs = {sinter.runtime_check = "Dropout: training_mode is true and ratio is not 0
// CHECK: %[[T:.*]] = tensor.extract %arg2[] : tensor<i1>
// CHECK: %[[OFF:.*]] = arith.xori %[[T]], %true
// CHECK: %[[R:.*]] = tensor.extract %arg1[] : tensor<f32>
// CHECK: %[[ZERO:.*]] = arith.cmpf oeq, %[[R]]
// CHECK: arith.ori %[[OFF]], %[[ZERO]]
// CHECK: %[[MASK:.*]] = linalg.fill ins(%true{{.*}} : i1)
// CHECK: return %arg0, %[[MASK]]
func.func @dropout_runtime_training(%x: tensor<3x4xf32>, %r: tensor<f32>, %t: tensor<i1>) -> (tensor<3x4xf32>, tensor<3x4xi1>) {
  %0:2 = graph.Dropout(%x, %r, %t) : (tensor<3x4xf32>, tensor<f32>, tensor<i1>) -> (tensor<3x4xf32>, tensor<3x4xi1>)
  return %0#0, %0#1 : tensor<3x4xf32>, tensor<3x4xi1>
}
