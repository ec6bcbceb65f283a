// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-sinter-to-linalg))' | FileCheck %s

// 3 bits: one contraction (m, n parallel; k reduction) reading each code from byte (3k) floordiv 8 and
// byte (3k + 2) floordiv 8 and its group's scale at k floordiv 32, over the input folded to 2-D; marked for
// the CPU ukernel. No sinter op and no dequantized weight tensor is left.
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[LO:.*]] = affine_map<(d0, d1, d2) -> (d1, (d2 * 3) floordiv 8)>
// CHECK-DAG: #[[HI:.*]] = affine_map<(d0, d1, d2) -> (d1, (d2 * 3 + 2) floordiv 8)>
// CHECK-DAG: #[[GROUP:.*]] = affine_map<(d0, d1, d2) -> (d1, d2 floordiv 32)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func @three_bit_symmetric
// CHECK: %[[X2:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<2x5x64xf32> into tensor<10x64xf32>
// CHECK: %[[INIT:.*]] = linalg.fill
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[X]], #[[LO]], #[[HI]], #[[GROUP]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[X2]], %arg1, %arg1, %arg2 : tensor<10x64xf32>, tensor<3x24xi8>, tensor<3x24xi8>, tensor<3x2xf16>) outs(%[[INIT]] : tensor<10x3xf32>)
// CHECK-SAME: sinter.quantized_matmul = {bits = 3 : i64, group_size = 32 : i64, symmetric = true}
// CHECK: linalg.index 2
// CHECK: arith.shrui
// CHECK: arith.constant 4.000000e+00 : f32
// CHECK-NOT: linalg.matmul
// CHECK: tensor.expand_shape %[[Y]] {{\[\[}}0, 1], [2]] output_shape [2, 5, 3] : tensor<10x3xf32> into tensor<2x5x3xf32>
// CHECK-NOT: sinter.quantized_matmul %
func.func @three_bit_symmetric(%x: tensor<2x5x64xf32>, %p: tensor<3x24xi8>, %s: tensor<3x2xf16>) -> tensor<2x5x3xf32> {
  %y = sinter.quantized_matmul %x, %p, %s {bits = 3 : i64, group_size = 32 : i64, symmetric} : (tensor<2x5x64xf32>, tensor<3x24xi8>, tensor<3x2xf16>) -> tensor<2x5x3xf32>
  return %y : tensor<2x5x3xf32>
}

// -----

// Outliers ride in the same contraction (so the ukernel applies them in its call): rows and values are read
// at (n, k mod R) and the steps k < R add x[m][rows[n][k]] * values[n][k]; the marker carries R. No second
// generic. Asymmetric: the zero points are a fifth input read like the scales.
// CHECK-DAG: #[[SIDE:.*]] = affine_map<(d0, d1, d2) -> (d1, d2 mod 2)>
// CHECK-LABEL: func @outliers
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [{{.*}}, #[[SIDE]], #[[SIDE]], {{.*}}]
// CHECK-SAME: ins(%{{.*}}, %arg1, %arg1, %arg2, %arg3, %arg4, %arg5 : tensor<2x16xf32>, tensor<3x8xi8>, tensor<3x8xi8>, tensor<3x1xf32>, tensor<3x1xi8>, tensor<3x2xi32>, tensor<3x2xf16>)
// CHECK-SAME: sinter.quantized_matmul = {bits = 4 : i64, group_size = 16 : i64, outliers = 2 : i64, symmetric = false}
// CHECK: tensor.extract %arg0[
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK-NOT: linalg.generic
// CHECK: return %[[Y]]
func.func @outliers(%x: tensor<2x16xf32>, %p: tensor<3x8xi8>, %s: tensor<3x1xf32>, %z: tensor<3x1xi8>,
                    %r: tensor<3x2xi32>, %v: tensor<3x2xf16>) -> tensor<2x3xf32> {
  %y = sinter.quantized_matmul %x, %p, %s zeros %z outliers(%r, %v) {bits = 4 : i64, group_size = 16 : i64} : (tensor<2x16xf32>, tensor<3x8xi8>, tensor<3x1xf32>, tensor<3x1xi8>, tensor<3x2xi32>, tensor<3x2xf16>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
