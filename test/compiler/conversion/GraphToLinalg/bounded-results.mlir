// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// Results whose shape depends on input values become a data tensor of the bound's element count (written
// compactly in the actual shape) and a dims tensor, joined by one cast that records the signature shape
// (-1 where dynamic) and the bound (compiler/conversion/BoundedResult.h).

// NonZero: nnz counted; then the flat position of the j-th nonzero: nonzeros counted per block of
// ceil(sqrt(4)) = 2 elements, and each j walks the block counts to its block, then that block, in order;
// then [r][j] with stride nnz. Bound [rank, numel] = [2, 4].
// CHECK-LABEL: func @nonzero
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %arg0 {{\[}}[0, 1]] : tensor<2x2xi1> into tensor<4xi1>
// CHECK: %[[NNZ:.*]] = linalg.generic {{.*}} iterator_types = ["reduction"]} ins(%[[FLAT]] : tensor<4xi1>) outs(%{{.*}} : tensor<i64>)
// CHECK: %[[BLOCKS:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : tensor<2x2xi8>) outs(%{{.*}} : tensor<2xi64>)
// CHECK: tensor.extract %[[FLAT]]
// CHECK: %[[POS:.*]] = linalg.generic {{.*}} iterator_types = ["parallel"]} outs(%{{.*}} : tensor<4xi64>)
// CHECK: scf.for {{.*}} -> (i64, i64)
// CHECK: tensor.extract %[[BLOCKS]]
// CHECK: scf.for {{.*}} -> (i64, i64)
// CHECK: tensor.extract %[[FLAT]]
// CHECK: %[[DATA:.*]] = linalg.generic {{.*}} ins(%[[NNZ]] : tensor<i64>) outs(%{{.*}} : tensor<8xi64>)
// CHECK: arith.divui
// CHECK: arith.remui
// CHECK: tensor.extract %[[POS]]
// CHECK: %[[DIMS:.*]] = linalg.generic {{.*}} ins(%[[NNZ]] : tensor<i64>) outs(%{{.*}} : tensor<2xi64>)
// CHECK: %[[R:.*]] = builtin.unrealized_conversion_cast %[[DATA]], %[[DIMS]] : tensor<8xi64>, tensor<2xi64> to tensor<2x?xi64> {sinter.bound_shape = array<i64: 2, 4>, sinter.bounded_shape = array<i64: 2, -1>}
// CHECK: return %[[R]]
func.func @nonzero(%x: tensor<2x2xi1>) -> tensor<2x?xi64> {
  %0 = graph.NonZero(%x) : (tensor<2x2xi1>) -> tensor<2x?xi64>
  return %0 : tensor<2x?xi64>
}

// -----

// Compress along axis 1 with a condition shorter than the axis: only its 2 entries count. The data is
// [outer][count][inner], each element read from the input at the selected column.
// CHECK-LABEL: func @compress_axis
// CHECK: %[[COUNT:.*]] = linalg.generic {{.*}} ins(%arg1 : tensor<2xi1>) outs(%{{.*}} : tensor<i64>)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]}
// CHECK: tensor.extract %arg1
// CHECK: %[[DATA:.*]] = linalg.generic {{.*}} ins(%[[COUNT]] : tensor<i64>) outs(%{{.*}} : tensor<12xf32>)
// CHECK: tensor.extract %arg0[{{.*}}] : tensor<3x4xf32>
// CHECK: builtin.unrealized_conversion_cast %[[DATA]], %{{.*}} : tensor<12xf32>, tensor<2xi64> to tensor<3x?xf32> {sinter.bound_shape = array<i64: 3, 4>, sinter.bounded_shape = array<i64: 3, -1>}
func.func @compress_axis(%x: tensor<3x4xf32>, %c: tensor<2xi1>) -> tensor<3x?xf32> {
  %0 = graph.Compress(%x, %c) {axis = -1 : i64} : (tensor<3x4xf32>, tensor<2xi1>) -> tensor<3x?xf32>
  return %0 : tensor<3x?xf32>
}

// -----

// Compress without an axis: the flattened input; bound [numel]. Conditions past the 6 elements are ignored.
// CHECK-LABEL: func @compress_flat
// CHECK: tensor.extract_slice %arg1[0] [6] [1] : tensor<8xi1> to tensor<6xi1>
// CHECK: builtin.unrealized_conversion_cast %{{.*}}, %{{.*}} : tensor<6xi32>, tensor<1xi64> to tensor<?xi32> {sinter.bound_shape = array<i64: 6>, sinter.bounded_shape = array<i64: -1>}
func.func @compress_flat(%x: tensor<2x3xi32>, %c: tensor<8xi1>) -> tensor<?xi32> {
  %0 = graph.Compress(%x, %c) : (tensor<2x3xi32>, tensor<8xi1>) -> tensor<?xi32>
  return %0 : tensor<?xi32>
}

// -----

// Unique, unsorted, all four outputs: the item comparison matrix (i8: 0 equal, 1 less, 2 greater) over
// (k, j, o, i), each item's first occurrence, each item's output position, the distinct count, then indices
// and counts in one pass. inverse_indices keeps its static shape; the other three are bounded by [6].
// CHECK-LABEL: func @unique_unsorted
// CHECK: %[[CMP:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]} {{.*}} outs(%{{.*}} : tensor<6x6xi8>)
// CHECK: %[[FIRST:.*]] = linalg.generic {{.*}} ins(%[[CMP]] : tensor<6x6xi8>) outs(%{{.*}} : tensor<6xi64>)
// CHECK: %[[POS:.*]] = linalg.generic {{.*}} ins(%[[CMP]], %[[FIRST]], %[[FIRST]] : tensor<6x6xi8>, tensor<6xi64>, tensor<6xi64>) outs(%{{.*}} : tensor<6xi64>)
// Unsorted: a distinct item j counts when it is first seen before item k's first occurrence.
// CHECK: arith.cmpi slt
// CHECK: %[[DISTINCT:.*]] = linalg.generic {{.*}} ins(%[[FIRST]] : tensor<6xi64>) outs(%{{.*}} : tensor<i64>)
// CHECK: %[[IC:.*]]:2 = linalg.generic {{.*}} ins(%[[FIRST]], %[[POS]] : tensor<6xi64>, tensor<6xi64>) outs(%{{.*}}, %{{.*}} : tensor<6xi64>, tensor<6xi64>)
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%[[DISTINCT]] : tensor<i64>) outs(%{{.*}} : tensor<6xf32>)
// CHECK: tensor.extract %[[IC]]#0
// CHECK: %[[RY:.*]] = builtin.unrealized_conversion_cast %[[Y]], %{{.*}} : tensor<6xf32>, tensor<1xi64> to tensor<?xf32>
// CHECK: %[[RI:.*]] = builtin.unrealized_conversion_cast %[[IC]]#0, %{{.*}} : tensor<6xi64>, tensor<1xi64> to tensor<?xi64>
// CHECK: %[[RC:.*]] = builtin.unrealized_conversion_cast %[[IC]]#1, %{{.*}} : tensor<6xi64>, tensor<1xi64> to tensor<?xi64>
// CHECK: return %[[RY]], %[[RI]], %[[POS]], %[[RC]]
func.func @unique_unsorted(%x: tensor<6xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>) {
  %y, %i, %v, %c = graph.Unique(%x) {sorted = 0 : i64} : (tensor<6xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>)
  return %y, %i, %v, %c : tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>
}

// -----

// Unique with an axis, sorted: the slices' elements compared in (outer, inner) order with unsigned
// predicates for a uint8 input; Y bounded by the input's shape with the axis dynamic.
// CHECK-LABEL: func @unique_axis_sorted
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<3x3xi8>)
// CHECK: arith.cmpi ult
// CHECK: arith.cmpi ugt
// Sorted: a distinct item j counts when it is less than item k.
// CHECK: arith.cmpi eq, %{{.*}}, %c1_i8
// CHECK: builtin.unrealized_conversion_cast %{{.*}}, %{{.*}} : tensor<18xi8>, tensor<3xi64> to tensor<2x?x3xi8> {sinter.bound_shape = array<i64: 2, 3, 3>, sinter.bounded_shape = array<i64: 2, -1, 3>}
func.func @unique_axis_sorted(%x: tensor<2x3x3xui8>) -> tensor<2x?x3xui8> {
  %y, %i, %v, %c = graph.Unique(%x) {axis = 1 : i64} : (tensor<2x3x3xui8>) -> (tensor<2x?x3xui8>, none, none, none)
  return %y : tensor<2x?x3xui8>
}

// -----

// NonMaxSuppression with a run-time max_output_boxes_per_class: K is the box count (4), so the bound is
// [1 * 2 * 4, 3]. Score order (ties: lower index first), then the greedy picks per (batch, class, pick) with
// the kept boxes in a stack buffer, then the valid picks gathered in order.
// CHECK-LABEL: func @nms_runtime_max
// CHECK: %[[RANK:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%arg1, %arg1 : tensor<1x2x4xf32>, tensor<1x2x4xf32>) outs(%{{.*}} : tensor<1x2x4xi64>)
// CHECK: %[[ORDER:.*]] = linalg.generic {{.*}} ins(%[[RANK]] : tensor<1x2x4xi64>) outs(%{{.*}} : tensor<1x2x4xi64>)
// CHECK: %[[SEL:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]} outs(%{{.*}} : tensor<1x2x4xi64>)
// CHECK: memref.alloca() : memref<4xindex>
// CHECK: scf.for
// CHECK: tensor.extract %[[ORDER]]
// CHECK: scf.for
// CHECK: memref.load
// CHECK: memref.store
// The run-time limit: picks at or past it are dropped.
// CHECK: tensor.extract %arg2
// CHECK: tensor.collapse_shape %[[SEL]] {{\[}}[0, 1, 2]] : tensor<1x2x4xi64> into tensor<8xi64>
// CHECK: builtin.unrealized_conversion_cast %{{.*}}, %{{.*}} : tensor<24xi64>, tensor<2xi64> to tensor<?x3xi64> {sinter.bound_shape = array<i64: 8, 3>, sinter.bounded_shape = array<i64: -1, 3>}
func.func @nms_runtime_max(%b: tensor<1x4x4xf32>, %s: tensor<1x2x4xf32>, %m: tensor<1xi64>) -> tensor<?x3xi64> {
  %n = graph.none
  %0 = graph.NonMaxSuppression(%b, %s, %m, %n, %n) {center_point_box = 1 : i64} : (tensor<1x4x4xf32>, tensor<1x2x4xf32>, tensor<1xi64>, none, none) -> tensor<?x3xi64>
  return %0 : tensor<?x3xi64>
}

// -----

// A constant max_output_boxes_per_class of 2 bounds the picks per class: [1 * 2 * 2, 3].
// CHECK-LABEL: func @nms_constant_max
// CHECK: memref.alloca() : memref<2xindex>
// CHECK: builtin.unrealized_conversion_cast %{{.*}}, %{{.*}} : tensor<12xi64>, tensor<2xi64> to tensor<?x3xi64> {sinter.bound_shape = array<i64: 4, 3>, sinter.bounded_shape = array<i64: -1, 3>}
func.func @nms_constant_max(%b: tensor<1x4x4xf32>, %s: tensor<1x2x4xf32>, %iou: tensor<1xf32>, %thr: tensor<1xf32>) -> tensor<?x3xi64> {
  %m = graph.constant dense<2> : tensor<1xi64>
  %0 = graph.NonMaxSuppression(%b, %s, %m, %iou, %thr) : (tensor<1x4x4xf32>, tensor<1x2x4xf32>, tensor<1xi64>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x3xi64>
  return %0 : tensor<?x3xi64>
}
