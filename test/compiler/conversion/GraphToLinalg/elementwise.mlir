// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg))' | FileCheck %s

// Broadcasting: size-1 and missing leading dimensions read index 0 / are not indexed.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[BC:.*]] = affine_map<(d0, d1, d2) -> (0, d2)>
// CHECK-LABEL: func @add_broadcast
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[BC]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK: arith.addf
func.func @add_broadcast(%a: tensor<2x3x4xf32>, %b: tensor<1x4xf32>) -> tensor<2x3x4xf32> {
  %0 = graph.Add(%a, %b) : (tensor<2x3x4xf32>, tensor<1x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func @unsigned_div
// Unsigned integers are signless inside, divided without sign.
// CHECK: arith.divui
func.func @unsigned_div(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = graph.Div(%a, %b) : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// CHECK-LABEL: func @signed_div
// CHECK: arith.divsi
func.func @signed_div(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = graph.Div(%a, %b) : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// CHECK-LABEL: func @casts
// CHECK: arith.sitofp {{.*}} : i64 to f32
// CHECK: arith.cmpf une
func.func @casts(%a: tensor<4xi64>) -> tensor<4xi1> {
  %0 = graph.Cast(%a) {to = 1} : (tensor<4xi64>) -> tensor<4xf32>
  %1 = graph.Cast(%0) {to = 9} : (tensor<4xf32>) -> tensor<4xi1>
  return %1 : tensor<4xi1>
}

// -----

// CHECK-LABEL: func @where_gelu
// CHECK: math.erf
// CHECK: arith.select
func.func @where_gelu(%c: tensor<1x1x4x4xi1>, %x: tensor<1x2x4x4xf32>, %neg: tensor<f32>) -> tensor<1x2x4x4xf32> {
  %0 = graph.Erf(%x) : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %1 = graph.Where(%c, %neg, %0) : (tensor<1x1x4x4xi1>, tensor<f32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// CHECK-LABEL: func @clip_min_only
// CHECK: arith.maximumf
// CHECK-NOT: arith.minimumf
func.func @clip_min_only(%x: tensor<4xf32>, %lo: tensor<f32>) -> tensor<4xf32> {
  %none = graph.none
  %0 = graph.Clip(%x, %lo, %none) : (tensor<4xf32>, tensor<f32>, none) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Integer Mod with fmod=0 takes the divisor's sign: the remainder is adjusted when the signs differ.
// CHECK-LABEL: func @python_mod
// CHECK: arith.remsi
// CHECK: arith.xori
// CHECK: arith.select
func.func @python_mod(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = graph.Mod(%a, %b) : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// CHECK-LABEL: func @prelu_broadcast_slope
// CHECK: linalg.generic
// CHECK-DAG: arith.cmpf olt
// CHECK-DAG: arith.mulf
// CHECK: arith.select
func.func @prelu_broadcast_slope(%x: tensor<2x3xf32>, %slope: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = graph.PRelu(%x, %slope) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func @round_half_even
// CHECK: math.roundeven
func.func @round_half_even(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = graph.Round(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
