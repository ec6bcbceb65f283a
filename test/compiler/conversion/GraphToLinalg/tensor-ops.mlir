// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// Concat: insert_slice per input at its offset; empty inputs are skipped.
// CHECK-LABEL: func @concat
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x8xf32>
// CHECK: %[[A:.*]] = tensor.insert_slice %arg0 into %[[E]][0, 0] [2, 3] [1, 1]
// CHECK-NOT: %arg1
// CHECK: %[[C:.*]] = tensor.insert_slice %arg2 into %[[A]][0, 3] [2, 5] [1, 1]
// CHECK: return %[[C]]
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x0xf32>, %c: tensor<2x5xf32>) -> tensor<2x8xf32> {
  %0 = graph.Concat(%a, %b, %c) {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x0xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// Negative starts count from the end; ends past the dimension are clamped.
// CHECK-LABEL: func @slice_clamped
// CHECK: tensor.extract_slice %arg0[1, 6] [2, 4] [1, 1] : tensor<4x10xf32> to tensor<2x4xf32>
// CHECK-NOT: linalg.generic
func.func @slice_clamped(%x: tensor<4x10xf32>) -> tensor<2x4xf32> {
  %starts = graph.constant dense<[1, -4]> : tensor<2xi64>
  %ends = graph.constant dense<[3, 9223372036854775807]> : tensor<2xi64>
  %axes = graph.constant dense<[0, 1]> : tensor<2xi64>
  %n = graph.none
  %0 = graph.Slice(%x, %starts, %ends, %axes, %n) : (tensor<4x10xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, none) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Step -3 from the last element to "before the start": indices 9, 6, 3, 0, taken as a stride-3 slice from 0
// and reversed.
// CHECK-DAG: #[[REV:.*]] = affine_map<(d0, d1) -> (d0, -d1 + 3)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func @slice_negative_step
// CHECK: %[[S:.*]] = tensor.extract_slice %arg0[0, 0] [4, 4] [1, 3] : tensor<4x10xf32> to tensor<4x4xf32>
// CHECK: linalg.generic {indexing_maps = [#[[REV]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[S]] : tensor<4x4xf32>)
func.func @slice_negative_step(%x: tensor<4x10xf32>) -> tensor<4x4xf32> {
  %starts = graph.constant dense<[-1]> : tensor<1xi64>
  %ends = graph.constant dense<[-9223372036854775807]> : tensor<1xi64>
  %axes = graph.constant dense<[1]> : tensor<1xi64>
  %steps = graph.constant dense<[-3]> : tensor<1xi64>
  %0 = graph.Slice(%x, %starts, %ends, %axes, %steps) : (tensor<4x10xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// Negative step with a clamped start (5 -> 3) and an end inside: indices 3, 1 (i32 constants).
// CHECK-LABEL: func @slice_negative_step_clamped
// CHECK: tensor.extract_slice %arg0[1] [2] [2] : tensor<4xf32> to tensor<2xf32>
// CHECK: linalg.generic
func.func @slice_negative_step_clamped(%x: tensor<4xf32>) -> tensor<2xf32> {
  %starts = graph.constant dense<[5]> : tensor<1xi32>
  %ends = graph.constant dense<[0]> : tensor<1xi32>
  %axes = graph.constant dense<[-1]> : tensor<1xi32>
  %steps = graph.constant dense<[-2]> : tensor<1xi32>
  %0 = graph.Slice(%x, %starts, %ends, %axes, %steps) : (tensor<4xf32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// CHECK-LABEL: func @split
// CHECK: tensor.extract_slice %arg0[0, 0, 0] [1, 8, 32] [1, 1, 1] : tensor<1x8x96xf32> to tensor<1x8x32xf32>
// CHECK: tensor.extract_slice %arg0[0, 0, 32] [1, 8, 64] [1, 1, 1] : tensor<1x8x96xf32> to tensor<1x8x64xf32>
func.func @split(%x: tensor<1x8x96xf32>) -> (tensor<1x8x32xf32>, tensor<1x8x64xf32>) {
  %s = graph.constant dense<[32, 64]> : tensor<2xi64>
  %0:2 = graph.Split(%x, %s) {axis = 2 : i64} : (tensor<1x8x96xf32>, tensor<2xi64>) -> (tensor<1x8x32xf32>, tensor<1x8x64xf32>)
  return %0#0, %0#1 : tensor<1x8x32xf32>, tensor<1x8x64xf32>
}

// -----

// No split input: equal parts.
// CHECK-LABEL: func @split_equal
// CHECK: tensor.extract_slice %arg0[0, 0] [2, 4] [1, 1]
// CHECK: tensor.extract_slice %arg0[2, 0] [2, 4] [1, 1]
// CHECK: tensor.extract_slice %arg0[4, 0] [2, 4] [1, 1]
func.func @split_equal(%x: tensor<6x4xi32>) -> (tensor<2x4xi32>, tensor<2x4xi32>, tensor<2x4xi32>) {
  %n = graph.none
  %0:3 = graph.Split(%x, %n) : (tensor<6x4xi32>, none) -> (tensor<2x4xi32>, tensor<2x4xi32>, tensor<2x4xi32>)
  return %0#0, %0#1, %0#2 : tensor<2x4xi32>, tensor<2x4xi32>, tensor<2x4xi32>
}

// -----

// Zero-size outputs are empty tensors: a slice starting at the input's end would be out of bounds.
// CHECK-LABEL: func @split_zero_size
// CHECK: %[[E:.*]] = tensor.empty() : tensor<0xf32>
// CHECK: %[[S:.*]] = tensor.extract_slice %arg0[0] [4] [1] : tensor<4xf32> to tensor<4xf32>
// CHECK: %[[E2:.*]] = tensor.empty() : tensor<0xf32>
// CHECK: return %[[E]], %[[S]], %[[E2]]
func.func @split_zero_size(%x: tensor<4xf32>, %s: tensor<3xi64>) -> (tensor<0xf32>, tensor<4xf32>, tensor<0xf32>) {
  %0:3 = graph.Split(%x, %s) : (tensor<4xf32>, tensor<3xi64>) -> (tensor<0xf32>, tensor<4xf32>, tensor<0xf32>)
  return %0#0, %0#1, %0#2 : tensor<0xf32>, tensor<4xf32>, tensor<0xf32>
}

// -----

// Embedding lookup: a generic over the output reads the index and extracts the row; negative indices wrap.
// CHECK-DAG: #[[IDX:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func @gather
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg1 : tensor<1x8xi64>)
// CHECK: ^bb0(%[[I:.*]]: i64, %{{.*}}: f32):
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[I]], %{{.*}} : i64
// CHECK: %[[WRAP:.*]] = arith.addi %[[I]], %{{.*}} : i64
// CHECK: %[[SEL:.*]] = arith.select %[[NEG]], %[[WRAP]], %[[I]] : i64
// CHECK: %[[ROW:.*]] = arith.index_cast %[[SEL]] : i64 to index
// CHECK: %[[COL:.*]] = linalg.index 2 : index
// CHECK: tensor.extract %arg0[%[[ROW]], %[[COL]]] : tensor<64x32xf32>
func.func @gather(%data: tensor<64x32xf32>, %ids: tensor<1x8xi64>) -> tensor<1x8x32xf32> {
  %0 = graph.Gather(%data, %ids) : (tensor<64x32xf32>, tensor<1x8xi64>) -> tensor<1x8x32xf32>
  return %0 : tensor<1x8x32xf32>
}

// -----

// Gather along a middle axis with 2-D indices: output dims [d0 | i0 i1 | d2].
// CHECK-DAG: #[[IDX:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2)>
// CHECK-LABEL: func @gather_axis1
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], {{.*}}]
// CHECK: %[[D0:.*]] = linalg.index 0 : index
// CHECK: %[[I:.*]] = arith.index_cast %{{.*}} : i32 to index
// CHECK: %[[D2:.*]] = linalg.index 3 : index
// CHECK: tensor.extract %arg0[%[[D0]], %[[I]], %[[D2]]] : tensor<2x5x3xf32>
func.func @gather_axis1(%data: tensor<2x5x3xf32>, %ids: tensor<4x2xi32>) -> tensor<2x4x2x3xf32> {
  %0 = graph.Gather(%data, %ids) {axis = 1 : i64} : (tensor<2x5x3xf32>, tensor<4x2xi32>) -> tensor<2x4x2x3xf32>
  return %0 : tensor<2x4x2x3xf32>
}

// -----

// A constant scalar index (-1 wraps to 4) is a rank-reducing slice.
// CHECK-LABEL: func @gather_scalar
// CHECK: tensor.extract_slice %arg0[0, 4] [3, 1] [1, 1] : tensor<3x5xf32> to tensor<3xf32>
// CHECK-NOT: linalg.generic
func.func @gather_scalar(%data: tensor<3x5xf32>) -> tensor<3xf32> {
  %i = graph.constant dense<-1> : tensor<i64>
  %0 = graph.Gather(%data, %i) {axis = 1 : i64} : (tensor<3x5xf32>, tensor<i64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func @gather_elements
// CHECK: linalg.generic
// CHECK-SAME: ins(%arg1 : tensor<3x2xi32>)
// CHECK: %[[R:.*]] = linalg.index 0 : index
// CHECK: arith.cmpi slt
// CHECK: %[[C:.*]] = arith.index_cast %{{.*}} : i32 to index
// CHECK: tensor.extract %arg0[%[[R]], %[[C]]] : tensor<3x4xf32>
func.func @gather_elements(%data: tensor<3x4xf32>, %idx: tensor<3x2xi32>) -> tensor<3x2xf32> {
  %0 = graph.GatherElements(%data, %idx) {axis = 1 : i64} : (tensor<3x4xf32>, tensor<3x2xi32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func @expand
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0 : tensor<3x1xf32>) outs(%{{.*}} : tensor<2x3x4xf32>)
func.func @expand(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %s = graph.constant dense<[2, 1, 4]> : tensor<3xi64>
  %0 = graph.Expand(%x, %s) : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func @pad_constant
// CHECK: %[[V:.*]] = arith.constant 1.500000e+00 : f32
// CHECK: tensor.pad %arg0 low[0, 0, 63] high[0, 0, 0]
// CHECK: tensor.yield %[[V]] : f32
// CHECK: } : tensor<1x8x64xf32> to tensor<1x8x127xf32>
func.func @pad_constant(%x: tensor<1x8x64xf32>) -> tensor<1x8x127xf32> {
  %p = graph.constant dense<[0, 0, 63, 0, 0, 0]> : tensor<6xi64>
  %v = graph.constant dense<1.5> : tensor<f32>
  %0 = graph.Pad(%x, %p, %v) : (tensor<1x8x64xf32>, tensor<6xi64>, tensor<f32>) -> tensor<1x8x127xf32>
  return %0 : tensor<1x8x127xf32>
}

// -----

// Negative pads crop first; the default pad value is 0.
// CHECK-LABEL: func @pad_crop
// CHECK: %[[S:.*]] = tensor.extract_slice %arg0[0, 1] [4, 4] [1, 1] : tensor<4x6xi64> to tensor<4x4xi64>
// CHECK: %[[Z:.*]] = arith.constant 0 : i64
// CHECK: tensor.pad %[[S]] low[1, 0] high[0, 0]
// CHECK: tensor.yield %[[Z]] : i64
func.func @pad_crop(%x: tensor<4x6xi64>) -> tensor<5x4xi64> {
  %p = graph.constant dense<[1, -1, 0, -1]> : tensor<4xi64>
  %n = graph.none
  %0 = graph.Pad(%x, %p, %n) : (tensor<4x6xi64>, tensor<4xi64>, none) -> tensor<5x4xi64>
  return %0 : tensor<5x4xi64>
}

// -----

// A runtime pad value is extracted from its tensor.
// CHECK-LABEL: func @pad_runtime_value
// CHECK: %[[V:.*]] = tensor.extract %arg1[] : tensor<f32>
// CHECK: tensor.pad %arg0 low[1] high[2]
// CHECK: tensor.yield %[[V]] : f32
func.func @pad_runtime_value(%x: tensor<4xf32>, %v: tensor<f32>) -> tensor<7xf32> {
  %p = graph.constant dense<[1, 2]> : tensor<2xi64>
  %0 = graph.Pad(%x, %p, %v) : (tensor<4xf32>, tensor<2xi64>, tensor<f32>) -> tensor<7xf32>
  return %0 : tensor<7xf32>
}

// -----

// Reflect: j = i - 2; j < 0 -> -j; j > 3 -> 6 - j.
// CHECK-LABEL: func @pad_reflect
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<3x7xf32>)
// CHECK: %[[R:.*]] = linalg.index 0 : index
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[J:.*]] = arith.subi %[[I]], %c2 : index
// CHECK: %[[NJ:.*]] = arith.subi %c0, %[[J]] : index
// CHECK: %[[LT:.*]] = arith.cmpi slt, %[[J]], %c0 : index
// CHECK: %[[A:.*]] = arith.select %[[LT]], %[[NJ]], %[[J]] : index
// CHECK: %[[M:.*]] = arith.subi %c6, %[[A]] : index
// CHECK: %[[GT:.*]] = arith.cmpi sgt, %[[A]], %c3 : index
// CHECK: %[[B:.*]] = arith.select %[[GT]], %[[M]], %[[A]] : index
// CHECK: tensor.extract %arg0[%[[R]], %[[B]]] : tensor<3x4xf32>
func.func @pad_reflect(%x: tensor<3x4xf32>) -> tensor<3x7xf32> {
  %p = graph.constant dense<[0, 2, 0, 1]> : tensor<4xi64>
  %n = graph.none
  %0 = graph.Pad(%x, %p, %n) {mode = "reflect"} : (tensor<3x4xf32>, tensor<4xi64>, none) -> tensor<3x7xf32>
  return %0 : tensor<3x7xf32>
}

// -----

// Edge: the index is clamped into [0, n - 1].
// CHECK-LABEL: func @pad_edge
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[J:.*]] = arith.subi %[[I]], %c1 : index
// CHECK: %[[L:.*]] = arith.maxsi %[[J]], %c0 : index
// CHECK: %[[H:.*]] = arith.minsi %[[L]], %c2 : index
// CHECK: %[[C:.*]] = linalg.index 1 : index
// CHECK: tensor.extract %arg0[%[[H]], %[[C]]] : tensor<3x4xf32>
func.func @pad_edge(%x: tensor<3x4xf32>) -> tensor<5x4xf32> {
  %p = graph.constant dense<[1, 0, 1, 0]> : tensor<4xi64>
  %n = graph.none
  %0 = graph.Pad(%x, %p, %n) {mode = "edge"} : (tensor<3x4xf32>, tensor<4xi64>, none) -> tensor<5x4xf32>
  return %0 : tensor<5x4xf32>
}

// -----

// Tile: broadcast to [r0, n0, r1, n1] and collapse the pairs.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-LABEL: func @tile
// CHECK: %[[W:.*]] = linalg.generic {indexing_maps = [#[[IN]], {{.*}}]{{.*}} ins(%arg0 : tensor<2x3xf32>) outs(%{{.*}} : tensor<2x2x1x3xf32>)
// CHECK: tensor.collapse_shape %[[W]] {{\[\[}}0, 1], [2, 3]] : tensor<2x2x1x3xf32> into tensor<4x3xf32>
func.func @tile(%x: tensor<2x3xf32>) -> tensor<4x3xf32> {
  %r = graph.constant dense<[2, 1]> : tensor<2xi64>
  %0 = graph.Tile(%x, %r) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func @constant_of_shape
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: linalg.fill ins(%[[Z]] : f32) outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: %[[S:.*]] = arith.constant 7 : i64
// CHECK: linalg.fill ins(%[[S]] : i64) outs(%{{.*}} : tensor<4xi64>)
// CHECK: %[[U:.*]] = arith.constant -1 : i8
// CHECK: linalg.fill ins(%[[U]] : i8) outs(%{{.*}} : tensor<2xi8>)
func.func @constant_of_shape() -> (tensor<2x3xf32>, tensor<4xi64>, tensor<2xui8>) {
  %s = graph.constant dense<[2, 3]> : tensor<2xi64>
  %0 = graph.ConstantOfShape(%s) : (tensor<2xi64>) -> tensor<2x3xf32>
  %s1 = graph.constant dense<[4]> : tensor<1xi64>
  %1 = graph.ConstantOfShape(%s1) {value = dense<7> : tensor<1xi64>} : (tensor<1xi64>) -> tensor<4xi64>
  %s2 = graph.constant dense<[2]> : tensor<1xi64>
  %2 = graph.ConstantOfShape(%s2) {value = dense<255> : tensor<1xui8>} : (tensor<1xi64>) -> tensor<2xui8>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<4xi64>, tensor<2xui8>
}

// -----

// Nearest resize: constant per-dimension source-index tables read through the resized dimensions' loops.
// CHECK-DAG: #[[H:.*]] = affine_map<(d0, d1, d2, d3) -> (d2)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func @resize_nearest
// CHECK: %[[TH:.*]] = arith.constant dense<[0, 0, 1, 1]> : tensor<4xi64>
// CHECK: %[[TW:.*]] = arith.constant dense<[0, 0, 1, 1, 2, 2]> : tensor<6xi64>
// CHECK: linalg.generic {indexing_maps = [#[[H]], #[[W]], #{{.*}}]{{.*}} ins(%[[TH]], %[[TW]] : tensor<4xi64>, tensor<6xi64>) outs(%{{.*}} : tensor<1x1x4x6xf32>)
// CHECK: ^bb0(%[[IH:.*]]: i64, %[[IW:.*]]: i64, %{{.*}}: f32):
// CHECK: %[[N:.*]] = linalg.index 0 : index
// CHECK: %[[C:.*]] = linalg.index 1 : index
// CHECK: %[[SH:.*]] = arith.index_cast %[[IH]] : i64 to index
// CHECK: %[[SW:.*]] = arith.index_cast %[[IW]] : i64 to index
// CHECK: tensor.extract %arg0[%[[N]], %[[C]], %[[SH]], %[[SW]]] : tensor<1x1x2x3xf32>
func.func @resize_nearest(%x: tensor<1x1x2x3xf32>) -> tensor<1x1x4x6xf32> {
  %n = graph.none
  %s = graph.constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  %0 = graph.Resize(%x, %n, %s, %n) {coordinate_transformation_mode = "asymmetric", nearest_mode = "floor"} : (tensor<1x1x2x3xf32>, none, tensor<4xf32>, none) -> tensor<1x1x4x6xf32>
  return %0 : tensor<1x1x4x6xf32>
}

// -----

// Linear resize of H only (sizes given, empty scales): half_pixel coordinates -0.25, 0.25, 0.75, 1.25 clamp
// to [0, 1] -> lower [0, 0, 0, 1], upper [1, 1, 1, 1], weights [0, .25, .75, 0]; two corners.
// CHECK-LABEL: func @resize_linear
// CHECK: %[[LO:.*]] = arith.constant dense<[0, 0, 0, 1]> : tensor<4xi64>
// CHECK: %[[HI:.*]] = arith.constant dense<1> : tensor<4xi64>
// CHECK: %[[WT:.*]] = arith.constant dense<[0.000000e+00, 2.500000e-01, 7.500000e-01, 0.000000e+00]> : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%[[LO]], %[[HI]], %[[WT]] :
// CHECK: arith.subf
// CHECK: tensor.extract
// CHECK: arith.mulf
// CHECK: tensor.extract
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @resize_linear(%x: tensor<1x1x2x3xf32>) -> tensor<1x1x4x3xf32> {
  %n = graph.none
  %e = graph.constant dense<> : tensor<0xf32>
  %sz = graph.constant dense<[1, 1, 4, 3]> : tensor<4xi64>
  %0 = graph.Resize(%x, %n, %e, %sz) {mode = "linear"} : (tensor<1x1x2x3xf32>, none, tensor<0xf32>, tensor<4xi64>) -> tensor<1x1x4x3xf32>
  return %0 : tensor<1x1x4x3xf32>
}

// -----

// Upper triangle from the first superdiagonal: keep column - row >= 1.
// CHECK-LABEL: func @trilu_upper_k1
// CHECK: linalg.generic
// CHECK: linalg.index 0
// CHECK: linalg.index 1
// CHECK: arith.cmpi sge
// CHECK: arith.select
func.func @trilu_upper_k1(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %k = graph.constant dense<1> : tensor<i64>
  %0 = graph.Trilu(%x, %k) : (tensor<3x4xf32>, tensor<i64>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// A k that is only known at run time is read inside the loop body.
// CHECK-LABEL: func @trilu_runtime_k
// CHECK: linalg.generic
// CHECK: tensor.extract %arg1[]
// CHECK: arith.cmpi sle
func.func @trilu_runtime_k(%x: tensor<3x4xf32>, %k: tensor<i64>) -> tensor<3x4xf32> {
  %0 = graph.Trilu(%x, %k) {upper = 0} : (tensor<3x4xf32>, tensor<i64>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}
