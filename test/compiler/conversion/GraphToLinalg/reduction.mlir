// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// Reduce into the shape without the reduced dimension, divide, then re-insert it (keepdims=1).
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[RED:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func @reduce_mean_keepdims
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[Z]] : f32) outs(%{{.*}} : tensor<1x8xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[RED]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0 : tensor<1x8x32xf32>) outs(%[[INIT]] : tensor<1x8xf32>)
// CHECK: arith.addf
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<1x8xf32>)
// CHECK: arith.constant 3.200000e+01 : f32
// CHECK: arith.divf
// CHECK: tensor.expand_shape %[[MEAN]] {{\[\[}}0], [1, 2]] output_shape [1, 8, 1] : tensor<1x8xf32> into tensor<1x8x1xf32>
func.func @reduce_mean_keepdims(%x: tensor<1x8x32xf32>) -> tensor<1x8x1xf32> {
  %0 = graph.ReduceMean(%x) {axes = array<i64: -1>} : (tensor<1x8x32xf32>) -> tensor<1x8x1xf32>
  return %0 : tensor<1x8x1xf32>
}

// -----

// ReduceSum takes its axes as an input; keepdims=0 needs no reshape. Integers add with addi.
// CHECK-DAG: #[[RED:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func @reduce_sum_axes_input
// CHECK: linalg.generic {indexing_maps = [{{.*}}, #[[RED]]], iterator_types = ["reduction", "parallel", "reduction"]} ins(%arg0 : tensor<2x3x4xi32>) outs(%{{.*}} : tensor<3xi32>)
// CHECK: arith.addi
// CHECK-NOT: tensor.expand_shape
func.func @reduce_sum_axes_input(%x: tensor<2x3x4xi32>) -> tensor<3xi32> {
  %a = graph.constant dense<[0, 2]> : tensor<2xi64>
  %0 = graph.ReduceSum(%x, %a) {keepdims = 0 : i64} : (tensor<2x3x4xi32>, tensor<2xi64>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

// No axes: everything is reduced into a rank-0 tensor, expanded to [1, 1].
// CHECK-DAG: #[[ALL:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func @reduce_sum_all
// CHECK: %[[S:.*]] = linalg.generic {indexing_maps = [{{.*}}, #[[ALL]]], iterator_types = ["reduction", "reduction"]}
// CHECK: tensor.expand_shape %[[S]] [] output_shape [1, 1] : tensor<f32> into tensor<1x1xf32>
func.func @reduce_sum_all(%x: tensor<2x3xf32>) -> tensor<1x1xf32> {
  %n = graph.none
  %0 = graph.ReduceSum(%x, %n) : (tensor<2x3xf32>, none) -> tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// -----

// noop_with_empty_axes with no axes is the identity.
// CHECK-LABEL: func @reduce_sum_noop
// CHECK-NEXT: return %arg0
func.func @reduce_sum_noop(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %n = graph.none
  %0 = graph.ReduceSum(%x, %n) {noop_with_empty_axes = 1 : i64} : (tensor<2x3xf32>, none) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Max starts from -inf; unsigned Min starts from the largest unsigned value and compares unsigned.
// CHECK-LABEL: func @reduce_max_min
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: linalg.fill ins(%[[NINF]] : f32)
// CHECK: arith.maximumf
// CHECK: %[[UMAX:.*]] = arith.constant -1 : i8
// CHECK: linalg.fill ins(%[[UMAX]] : i8)
// CHECK: arith.minui
// CHECK: tensor.expand_shape %{{.*}} [] output_shape [1] : tensor<i8> into tensor<1xi8>
func.func @reduce_max_min(%x: tensor<2x3xf32>, %u: tensor<4xui8>) -> (tensor<2xf32>, tensor<1xui8>) {
  %0 = graph.ReduceMax(%x) {axes = array<i64: 1>, keepdims = 0 : i64} : (tensor<2x3xf32>) -> tensor<2xf32>
  %1 = graph.ReduceMin(%u) : (tensor<4xui8>) -> tensor<1xui8>
  return %0, %1 : tensor<2xf32>, tensor<1xui8>
}

// -----

// CHECK-LABEL: func @reduce_prod_l2_l1_sumsquare
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: linalg.fill ins(%[[ONE]] : f32)
// CHECK: arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [2, 1]
// L2: sum of squares, then sqrt.
// CHECK: %[[SQ:.*]] = arith.mulf %[[IN:.*]], %[[IN]] : f32
// CHECK: arith.addf %{{.*}}, %[[SQ]]
// CHECK: math.sqrt
// L1: sum of absolute values.
// CHECK: math.absf
// SumSquare:
// CHECK: %[[SQ2:.*]] = arith.muli %[[IN2:.*]], %[[IN2]] : i32
// CHECK: arith.addi %{{.*}}, %[[SQ2]]
func.func @reduce_prod_l2_l1_sumsquare(%x: tensor<2x3xf32>, %i: tensor<2x3xi32>) -> (tensor<2x1xf32>, tensor<f32>, tensor<3xf32>, tensor<1x1xi32>) {
  %0 = graph.ReduceProd(%x) {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  %1 = graph.ReduceL2(%x) {keepdims = 0 : i64} : (tensor<2x3xf32>) -> tensor<f32>
  %2 = graph.ReduceL1(%x) {axes = array<i64: 0>, keepdims = 0 : i64} : (tensor<2x3xf32>) -> tensor<3xf32>
  %3 = graph.ReduceSumSquare(%i) : (tensor<2x3xi32>) -> tensor<1x1xi32>
  return %0, %1, %2, %3 : tensor<2x1xf32>, tensor<f32>, tensor<3xf32>, tensor<1x1xi32>
}

// -----

// LogSumExp = max + log(sum(exp(x - max))).
// CHECK-DAG: #[[RED:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func @reduce_logsumexp
// CHECK: %[[MAX:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]} ins(%arg0 : tensor<2x3xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [{{.*}}, #[[RED]], #[[RED]]], iterator_types = ["reduction", "parallel"]} ins(%arg0, %[[MAX]] : tensor<2x3xf32>, tensor<3xf32>)
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: %[[LSE:.*]] = linalg.generic {{.*}} ins(%[[SUM]], %[[MAX]] : tensor<3xf32>, tensor<3xf32>)
// CHECK: math.log
// CHECK: arith.addf
// CHECK: tensor.expand_shape %[[LSE]] {{\[\[}}0, 1]] output_shape [1, 3]
func.func @reduce_logsumexp(%x: tensor<2x3xf32>) -> tensor<1x3xf32> {
  %0 = graph.ReduceLogSumExp(%x) {axes = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

// ArgMax with select_last_index: a two-output reduction with a non-strict comparison; the index is i64.
// CHECK-LABEL: func @argmax_last
// CHECK: %[[V:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<2x3xf32>) outs(%{{.*}}, %{{.*}} : tensor<2xf32>, tensor<2xi64>)
// CHECK: %[[B:.*]] = arith.cmpf oge
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[I64:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK: arith.select %[[B]], %[[I64]]
// CHECK: tensor.expand_shape %[[V]]#1 {{\[\[}}0, 1]] output_shape [2, 1] : tensor<2xi64> into tensor<2x1xi64>
func.func @argmax_last(%x: tensor<2x3xf32>) -> tensor<2x1xi64> {
  %0 = graph.ArgMax(%x) {axis = 1 : i64, select_last_index = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

// ArgMin of signed integers, first index (strict), keepdims=0.
// CHECK-LABEL: func @argmin
// CHECK: %[[MAX:.*]] = arith.constant 2147483647 : i32
// CHECK: linalg.fill ins(%[[MAX]] : i32)
// CHECK: iterator_types = ["reduction", "parallel"]
// CHECK: arith.cmpi slt
// CHECK-NOT: tensor.expand_shape
func.func @argmin(%x: tensor<4x3xi32>) -> tensor<3xi64> {
  %0 = graph.ArgMin(%x) {axis = 0 : i64, keepdims = 0 : i64} : (tensor<4x3xi32>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// TopK (k = 2): one selection pass per output position; the second pass only takes elements ordered after
// the first pick (smaller, or equal with a larger index).
// CHECK-LABEL: func @topk
// CHECK: %[[P0:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<2x5xf32>) outs(%{{.*}}, %{{.*}} : tensor<2xf32>, tensor<2xi64>)
// CHECK: arith.cmpf ogt
// CHECK: %[[V0:.*]] = tensor.insert_slice %[[P0]]#0 into %{{.*}}[0, 0] [2, 1] [1, 1] : tensor<2xf32> into tensor<2x2xf32>
// CHECK: %[[I0:.*]] = tensor.insert_slice %[[P0]]#1 into %{{.*}}[0, 0] [2, 1] [1, 1] : tensor<2xi64> into tensor<2x2xi64>
// CHECK: %[[P1:.*]]:2 = linalg.generic {{.*}} ins(%arg0, %[[P0]]#0, %[[P0]]#1 : tensor<2x5xf32>, tensor<2xf32>, tensor<2xi64>)
// CHECK: arith.cmpf oeq
// CHECK: tensor.insert_slice %[[P1]]#0 into %[[V0]][0, 1] [2, 1] [1, 1]
// CHECK: tensor.insert_slice %[[P1]]#1 into %[[I0]][0, 1] [2, 1] [1, 1]
func.func @topk(%x: tensor<2x5xf32>) -> (tensor<2x2xf32>, tensor<2x2xi64>) {
  %k = graph.constant dense<[2]> : tensor<1xi64>
  %0:2 = graph.TopK(%x, %k) : (tensor<2x5xf32>, tensor<1xi64>) -> (tensor<2x2xf32>, tensor<2x2xi64>)
  return %0#0, %0#1 : tensor<2x2xf32>, tensor<2x2xi64>
}

// -----

// Einsum batched matmul: loops (b, i, k) then the summed j.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[O:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func @einsum_bmm
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[O]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @einsum_bmm(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
  %0 = graph.Einsum(%a, %b) {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// Implicit output (letters used once, alphabetically): "ii,ji" -> "j"; the repeated i reads a diagonal.
// CHECK-DAG: #[[DIAG:.*]] = affine_map<(d0, d1) -> (d1, d1)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[O:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func @einsum_implicit
// CHECK: linalg.generic {indexing_maps = [#[[DIAG]], #[[B]], #[[O]]], iterator_types = ["parallel", "reduction"]}
// CHECK: arith.muli
// CHECK: arith.addi
func.func @einsum_implicit(%a: tensor<3x3xi32>, %b: tensor<4x3xi32>) -> tensor<4xi32> {
  %0 = graph.Einsum(%a, %b) {equation = "ii, ji"} : (tensor<3x3xi32>, tensor<4x3xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Ellipses become fresh letters aligned from the right: "...ii->...i" is "Aii->Ai", a batched diagonal.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1) -> (d0, d1, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func @einsum_ellipsis_diagonal
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "parallel"]}
func.func @einsum_ellipsis_diagonal(%x: tensor<3x5x5xi64>) -> tensor<3x5xi64> {
  %0 = graph.Einsum(%x) {equation = "...ii ->...i"} : (tensor<3x5x5xi64>) -> tensor<3x5xi64>
  return %0 : tensor<3x5xi64>
}
