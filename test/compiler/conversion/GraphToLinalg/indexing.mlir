// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// Shape is a constant of the static input shape (start = -2: the last two dimensions).
// CHECK-LABEL: func @shape_slice
// CHECK: %[[C:.*]] = arith.constant dense<[3, 4]> : tensor<2xi64>
// CHECK: return %[[C]]
func.func @shape_slice(%x: tensor<2x3x4xf32>) -> tensor<2xi64> {
  %0 = graph.Shape(%x) {start = -2 : i64} : (tensor<2x3x4xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// CumSum with a runtime axis: an extra reduction loop j over the largest dimension; each coordinate is j
// where its dimension is the axis; exclusive takes j < i.
// CHECK-LABEL: func @cumsum_runtime_axis
// CHECK: %[[IOTA:.*]] = arith.constant dense<[0, 1, 2]> : tensor<3xi64>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[IOTA]] : tensor<3xi64>)
// CHECK: tensor.extract %arg1[] : tensor<i32>
// CHECK: arith.cmpi ult
// CHECK: tensor.extract %arg0
// CHECK: arith.addf
func.func @cumsum_runtime_axis(%x: tensor<2x3xf64>, %a: tensor<i32>) -> tensor<2x3xf64> {
  %0 = graph.CumSum(%x, %a) {exclusive = 1 : i64} : (tensor<2x3xf64>, tensor<i32>) -> tensor<2x3xf64>
  return %0 : tensor<2x3xf64>
}

// -----

// ScatterElements: result loops (parallel) then update loops (reduction, in order), starting from data;
// an update is added where its target coordinates match.
// CHECK-LABEL: func @scatter_elements_add
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%arg1, %arg2 : tensor<1x2xi64>, tensor<1x2xf32>) outs(%arg0 : tensor<1x5xf32>)
// CHECK: arith.addf
// CHECK: arith.select
func.func @scatter_elements_add(%d: tensor<1x5xf32>, %i: tensor<1x2xi64>, %u: tensor<1x2xf32>) -> tensor<1x5xf32> {
  %0 = graph.ScatterElements(%d, %i, %u) {axis = 1 : i64, reduction = "add"} : (tensor<1x5xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<1x5xf32>
  return %0 : tensor<1x5xf32>
}

// -----

// DepthToSpace (CRD): output [n, c, h, w] reads channel c * 4 + (h % 2) * 2 + w % 2 at [h / 2, w / 2].
// CHECK-LABEL: func @depth_to_space
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x4x6xf32>)
// CHECK: arith.remui
// CHECK: arith.divui
// CHECK: tensor.extract %arg0
func.func @depth_to_space(%x: tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32> {
  %0 = graph.DepthToSpace(%x) {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  return %0 : tensor<1x2x4x6xf32>
}

// -----

// Range with runtime start and delta: start + i * delta over the static result size, after a run-time
// check that ceil((limit - start) / delta) (in i64, a zero delta failing) is that size.
// CHECK-LABEL: func @range_runtime
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<i8>) attrs = {sinter.runtime_check = "Range: the element count ceil((limit - start) / delta) differs from the 2 the result was compiled with (or delta is 0)"}
// CHECK: %[[NONZERO:.*]] = arith.cmpi ne
// CHECK: %[[COUNT:.*]] = arith.ceildivsi
// CHECK: %[[MATCH:.*]] = arith.cmpi eq, %[[COUNT]], %c2_i64
// CHECK: %[[HOLDS:.*]] = arith.andi %[[NONZERO]], %[[MATCH]]
// CHECK: %[[FAILED:.*]] = arith.xori %[[HOLDS]]
// CHECK: arith.extui %[[FAILED]] : i1 to i8
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<2xi32>)
// CHECK: tensor.extract %arg0[] : tensor<i32>
// CHECK: tensor.extract %arg2[] : tensor<i32>
// CHECK: arith.muli
// CHECK: arith.addi
func.func @range_runtime(%s: tensor<i32>, %l: tensor<i32>, %d: tensor<i32>) -> tensor<2xi32> {
  %0 = graph.Range(%s, %l, %d) : (tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

// Hann window (symmetric): 0.5 - 0.5 cos(2 pi n / (N - 1)) in f64, truncated to f32; the size input is
// checked at run time against the compiled 10.
// CHECK-LABEL: func @hann_symmetric
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<i8>) attrs = {sinter.runtime_check = "HannWindow: the size input differs from the 10 the result was compiled with"}
// CHECK: arith.cmpi eq, %{{.*}}, %c10_i32 : i32
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<10xf32>)
// CHECK: math.cos
// CHECK: arith.truncf
func.func @hann_symmetric(%n: tensor<i32>) -> tensor<10xf32> {
  %0 = graph.HannWindow(%n) {periodic = 0 : i64} : (tensor<i32>) -> tensor<10xf32>
  return %0 : tensor<10xf32>
}
