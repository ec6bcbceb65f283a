// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(sinter-dequantized-matmul))' | FileCheck %s

// int8 weight, per-column scales, zero points 0: codes are the bytes + 128 (column-major: column 0 is
// 0..7 -> 80..87, column 1 is -1..-8 -> 7F..78), zero 0 + 128 = the symmetric zero, so no zero points.
// One group per column (group_size = K), scales [N][1]. The DequantizeLinear and its constants are gone.
// CHECK-LABEL: func @matmul_int8_per_column
// CHECK-NOT: graph.DequantizeLinear
// CHECK-NOT: graph.MatMul
// CHECK: %[[P:.*]] = graph.constant dense_resource<[[PB:mm0.packed.*]]> : tensor<2x8xi8>
// CHECK: %[[S:.*]] = graph.constant dense_resource<[[SB:mm0.scales.*]]> : tensor<2x1xf32>
// CHECK: %[[Y:.*]] = sinter.quantized_matmul %arg0, %[[P]], %[[S]] {bits = 8 : i64, group_size = 8 : i64, symmetric} : (tensor<3x8xf32>, tensor<2x8xi8>, tensor<2x1xf32>) -> tensor<3x2xf32>
// CHECK: return %[[Y]]
// CHECK: [[PB]]: "0x0800000080818283848586877F7E7D7C7B7A7978"
// CHECK: [[SB]]: "0x080000000000003F00000040"
func.func @matmul_int8_per_column(%x: tensor<3x8xf32>) -> tensor<3x2xf32> {
  %q = graph.constant dense<[[0, -1], [1, -2], [2, -3], [3, -4], [4, -5], [5, -6], [6, -7], [7, -8]]> : tensor<8x2xi8>
  %s = graph.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %z = graph.constant dense<0> : tensor<2xi8>
  %w = graph.DequantizeLinear(%q, %s, %z) {axis = 1 : i64} : (tensor<8x2xi8>, tensor<2xf32>, tensor<2xi8>) -> tensor<8x2xf32>
  %y = graph.MatMul(%x, %w) : (tensor<3x8xf32>, tensor<8x2xf32>) -> tensor<3x2xf32> loc("mm0")
  return %y : tensor<3x2xf32>
}

// -----

// uint8, one scale and zero point for the tensor: broadcast to every column; the zero point 3 is kept
// (asymmetric). K = 4 pads each column to 8 code bytes with zeros.
// CHECK-LABEL: func @matmul_uint8_per_tensor
// CHECK: %[[P:.*]] = graph.constant dense_resource<[[PB:mm1.packed.*]]> : tensor<2x8xi8>
// CHECK: %[[S:.*]] = graph.constant dense_resource<[[SB:mm1.scales.*]]> : tensor<2x1xf32>
// CHECK: %[[Z:.*]] = graph.constant dense_resource<[[ZB:mm1.zeros.*]]> : tensor<2x1xi8>
// CHECK: sinter.quantized_matmul %arg0, %[[P]], %[[S]] zeros %[[Z]] {bits = 8 : i64, group_size = 4 : i64} : (tensor<1x4xf32>, tensor<2x8xi8>, tensor<2x1xf32>, tensor<2x1xi8>) -> tensor<1x2xf32>
// CHECK: [[PB]]: "0x0800000001020304000000000A141E2800000000"
// CHECK: [[SB]]: "0x080000000000803E0000803E"
// CHECK: [[ZB]]: "0x080000000303"
func.func @matmul_uint8_per_tensor(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %q = graph.constant dense<[[1, 10], [2, 20], [3, 30], [4, 40]]> : tensor<4x2xui8>
  %s = graph.constant dense<0.25> : tensor<f32>
  %z = graph.constant dense<3> : tensor<ui8>
  %w = graph.DequantizeLinear(%q, %s, %z) : (tensor<4x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<4x2xf32>
  %y = graph.MatMul(%x, %w) : (tensor<1x4xf32>, tensor<4x2xf32>) -> tensor<1x2xf32> loc("mm1")
  return %y : tensor<1x2xf32>
}

// -----

// Gemm with transB = 1 (B is [N][K]: its rows are the columns, quantized along axis 0), alpha folded into
// the scales (0.5 * [2, 4] = [1, 2]), C kept as a broadcasting Add. No zero point input: 0 for int8.
// CHECK-LABEL: func @gemm_transb_alpha_bias
// CHECK-NOT: graph.Gemm
// CHECK: %[[P:.*]] = graph.constant dense_resource<[[PB:fc.packed.*]]> : tensor<2x8xi8>
// CHECK: %[[S:.*]] = graph.constant dense_resource<[[SB:fc.scales.*]]> : tensor<2x1xf32>
// CHECK: %[[Y:.*]] = sinter.quantized_matmul %arg0, %[[P]], %[[S]] {bits = 8 : i64, group_size = 8 : i64, symmetric}
// CHECK: %[[OUT:.*]] = graph.Add(%[[Y]], %arg1) : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
// CHECK: return %[[OUT]]
// CHECK: [[PB]]: "0x080000008081828384858687FF00010203040506"
// CHECK: [[SB]]: "0x080000000000803F00000040"
func.func @gemm_transb_alpha_bias(%x: tensor<2x8xf32>, %c: tensor<2xf32>) -> tensor<2x2xf32> {
  %q = graph.constant dense<[[0, 1, 2, 3, 4, 5, 6, 7], [127, -128, -127, -126, -125, -124, -123, -122]]> : tensor<2x8xi8>
  %s = graph.constant dense<[2.0, 4.0]> : tensor<2xf32>
  %none = graph.none
  %w = graph.DequantizeLinear(%q, %s, %none) {axis = 0 : i64} : (tensor<2x8xi8>, tensor<2xf32>, none) -> tensor<2x8xf32>
  %y = graph.Gemm(%x, %w, %c) {alpha = 5.000000e-01 : f32, transB = 1 : i64} : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<2xf32>) -> tensor<2x2xf32> loc("fc")
  return %y : tensor<2x2xf32>
}

// -----

// Left alone: scales along K (per row of MatMul's B) are not one group per column, and a weight computed
// at run time has nothing to pack. Both keep the fp32 path.
// CHECK-LABEL: func @not_rewritten
// CHECK: graph.DequantizeLinear
// CHECK: graph.MatMul
// CHECK: graph.DequantizeLinear
// CHECK: graph.MatMul
// CHECK-NOT: sinter.quantized_matmul
func.func @not_rewritten(%x: tensor<1x2xf32>, %rq: tensor<2x2xi8>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %q = graph.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %s = graph.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %z = graph.constant dense<0> : tensor<2xi8>
  %w = graph.DequantizeLinear(%q, %s, %z) {axis = 0 : i64} : (tensor<2x2xi8>, tensor<2xf32>, tensor<2xi8>) -> tensor<2x2xf32>
  %y = graph.MatMul(%x, %w) : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %rw = graph.DequantizeLinear(%rq, %s, %z) {axis = 1 : i64} : (tensor<2x2xi8>, tensor<2xf32>, tensor<2xi8>) -> tensor<2x2xf32>
  %ry = graph.MatMul(%x, %rw) : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y, %ry : tensor<1x2xf32>, tensor<1x2xf32>
}
