// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// Softmax along the last axis: max, sum of exp(x - max), then exp(x - max) / sum.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[RED:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func @softmax
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<2x4xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[RED]]], iterator_types = ["parallel", "reduction"]} ins(%arg0, %[[MAX]] : tensor<2x4xf32>, tensor<2xf32>)
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[RED]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%arg0, %[[MAX]], %[[SUM]] : tensor<2x4xf32>, tensor<2xf32>, tensor<2xf32>)
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: arith.divf
func.func @softmax(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %0 = graph.Softmax(%x) : (tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// LogSoftmax along axis 0: (x - max) - log(sum).
// CHECK-DAG: #[[RED:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func @log_softmax
// CHECK: iterator_types = ["reduction", "parallel"]
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[RED]], #[[RED]], #{{.*}}], iterator_types = ["parallel", "parallel"]}
// CHECK: %[[S:.*]] = arith.subf
// CHECK: %[[L:.*]] = math.log
// CHECK: arith.subf %[[S]], %[[L]]
func.func @log_softmax(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %0 = graph.LogSoftmax(%x) {axis = 0 : i64} : (tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// LayerNormalization over the last axis: mean, variance, then (x - mean) / sqrt(var + eps) * scale + B.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[RED:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[LAST:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func @layer_norm
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<1x8xf32>)
// CHECK: arith.constant 3.200000e+01 : f32
// CHECK: %[[SQ:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[RED]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %[[MEAN]] : tensor<1x8x32xf32>, tensor<1x8xf32>)
// CHECK: %[[VAR:.*]] = linalg.generic {{.*}} ins(%[[SQ]] : tensor<1x8xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[RED]], #[[LAST]], #[[LAST]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0, %[[MEAN]], %[[VAR]], %arg1, %arg2 :
// CHECK: %[[D:.*]] = arith.subf
// CHECK: %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK: %[[VE:.*]] = arith.addf %{{.*}}, %[[EPS]]
// CHECK: %[[STD:.*]] = math.sqrt %[[VE]]
// CHECK: %[[N:.*]] = arith.divf %[[D]], %[[STD]]
// CHECK: %[[Y:.*]] = arith.mulf %[[N]]
// CHECK: arith.addf %[[Y]]
func.func @layer_norm(%x: tensor<1x8x32xf32>, %s: tensor<32xf32>, %b: tensor<32xf32>) -> tensor<1x8x32xf32> {
  %0, %1, %2 = graph.LayerNormalization(%x, %s, %b) : (tensor<1x8x32xf32>, tensor<32xf32>, tensor<32xf32>) -> (tensor<1x8x32xf32>, none, none)
  return %0 : tensor<1x8x32xf32>
}

// -----

// axis 1 normalizes [1, 3); no B; unused Mean/InvStdDev results of tensor type are fine. f16 statistics are
// stashed in f32 (stash_type 1).
// CHECK-DAG: #[[RED:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[SCALE:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func @layer_norm_axis1_f16
// CHECK: iterator_types = ["parallel", "reduction", "reduction"]} ins(%arg0 : tensor<2x3x4xf16>) outs(%{{.*}} : tensor<2xf32>)
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[RED]], #[[RED]], #[[SCALE]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: arith.mulf
// CHECK-NOT: arith.addf
// CHECK: linalg.yield
func.func @layer_norm_axis1_f16(%x: tensor<2x3x4xf16>, %s: tensor<3x4xf16>) -> tensor<2x3x4xf16> {
  %n = graph.none
  %0, %1, %2 = graph.LayerNormalization(%x, %s, %n) {axis = 1 : i64} : (tensor<2x3x4xf16>, tensor<3x4xf16>, none) -> (tensor<2x3x4xf16>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
  return %0 : tensor<2x3x4xf16>
}

// -----

// BatchNormalization (inference): per-channel coefficients a = scale / sqrt(var + eps), c = B - mean * a,
// then Y = X * a + c with channel maps.
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func @batch_norm
// CHECK: %[[C:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel"]} ins(%arg1, %arg2, %arg3, %arg4 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>)
// CHECK: math.sqrt
// CHECK: arith.divf
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[CH]], #[[CH]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %[[C]]#0, %[[C]]#1 :
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @batch_norm(%x: tensor<1x8x4x4xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>, %m: tensor<8xf32>, %v: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %0, %1, %2 = graph.BatchNormalization(%x, %s, %b, %m, %v) : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> (tensor<1x8x4x4xf32>, none, none)
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// InstanceNormalization: statistics per (n, c) over the spatial dimensions.
// CHECK-DAG: #[[RED:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func @instance_norm
// CHECK: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[RED]], #[[RED]], #[[CH]], #[[CH]], #{{.*}}]
func.func @instance_norm(%x: tensor<2x3x5xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<2x3x5xf32> {
  %0 = graph.InstanceNormalization(%x, %s, %b) : (tensor<2x3x5xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// LpNormalization p=2: sqrt of the sum of squares along the axis, then divide.
// CHECK-LABEL: func @lp_norm
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: arith.mulf
// CHECK: math.sqrt
// CHECK: arith.divf
func.func @lp_norm(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.LpNormalization(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Used Mean and InvStdDev outputs come from the same statistics, reshaped to keep the normalized dims as 1.
// CHECK-LABEL: func @layer_norm_with_statistics
// CHECK: math.sqrt
// CHECK: arith.divf
// CHECK: tensor.expand_shape {{.*}} into tensor<2x1xf32>
// CHECK: tensor.expand_shape {{.*}} into tensor<2x1xf32>
func.func @layer_norm_with_statistics(%x: tensor<2x4xf32>, %s: tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x1xf32>, tensor<2x1xf32>) {
  %n = graph.none
  %0, %1, %2 = graph.LayerNormalization(%x, %s, %n) : (tensor<2x4xf32>, tensor<4xf32>, none) -> (tensor<2x4xf32>, tensor<2x1xf32>, tensor<2x1xf32>)
  return %0, %1, %2 : tensor<2x4xf32>, tensor<2x1xf32>, tensor<2x1xf32>
}
