// RUN: sinter-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// Round trip: every optional operand group prints back as written.
// CHECK-LABEL: func @round_trip
// CHECK: sinter.quantized_matmul %arg0, %arg1, %arg2 {bits = 4 : i64, group_size = 32 : i64, symmetric} : (tensor<2x64xf32>, tensor<3x32xi8>, tensor<3x2xf16>) -> tensor<2x3xf32>
// CHECK: sinter.quantized_matmul %arg0, %arg3, %arg4 zeros %arg5 outliers(%arg6, %arg7) {bits = 3 : i64, group_size = 64 : i64} : (tensor<2x64xf32>, tensor<3x24xi8>, tensor<3x1xf32>, tensor<3x1xi8>, tensor<3x2xi32>, tensor<3x2xf16>) -> tensor<2x3xf32>
func.func @round_trip(%x: tensor<2x64xf32>, %p4: tensor<3x32xi8>, %s4: tensor<3x2xf16>, %p3: tensor<3x24xi8>,
                      %s3: tensor<3x1xf32>, %z3: tensor<3x1xi8>, %r: tensor<3x2xi32>, %v: tensor<3x2xf16>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %a = sinter.quantized_matmul %x, %p4, %s4 {bits = 4 : i64, group_size = 32 : i64, symmetric} : (tensor<2x64xf32>, tensor<3x32xi8>, tensor<3x2xf16>) -> tensor<2x3xf32>
  %b = sinter.quantized_matmul %x, %p3, %s3 zeros %z3 outliers(%r, %v) {bits = 3 : i64, group_size = 64 : i64} : (tensor<2x64xf32>, tensor<3x24xi8>, tensor<3x1xf32>, tensor<3x1xi8>, tensor<3x2xi32>, tensor<3x2xf16>) -> tensor<2x3xf32>
  return %a, %b : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

func.func @bad_bits(%x: tensor<2x64xf32>, %p: tensor<3x40xi8>, %s: tensor<3x2xf16>) -> tensor<2x3xf32> {
  // expected-error @+1 {{bits must be 2, 3, 4 or 8, got 5}}
  %a = sinter.quantized_matmul %x, %p, %s {bits = 5 : i64, group_size = 32 : i64, symmetric} : (tensor<2x64xf32>, tensor<3x40xi8>, tensor<3x2xf16>) -> tensor<2x3xf32>
  return %a : tensor<2x3xf32>
}

// -----

func.func @packed_row_size(%x: tensor<2x64xf32>, %p: tensor<3x31xi8>, %s: tensor<3x2xf16>) -> tensor<2x3xf32> {
  // expected-error @+1 {{packed weight has 31 bytes per column, K=64 at 4 bits needs 32}}
  %a = sinter.quantized_matmul %x, %p, %s {bits = 4 : i64, group_size = 32 : i64, symmetric} : (tensor<2x64xf32>, tensor<3x31xi8>, tensor<3x2xf16>) -> tensor<2x3xf32>
  return %a : tensor<2x3xf32>
}

// -----

func.func @scales_shape(%x: tensor<2x64xf32>, %p: tensor<3x32xi8>, %s: tensor<3x3xf16>) -> tensor<2x3xf32> {
  // expected-error @+1 {{scales must be [N][ceil(K/group_size)] = [3][2]}}
  %a = sinter.quantized_matmul %x, %p, %s {bits = 4 : i64, group_size = 32 : i64, symmetric} : (tensor<2x64xf32>, tensor<3x32xi8>, tensor<3x3xf16>) -> tensor<2x3xf32>
  return %a : tensor<2x3xf32>
}

// -----

func.func @asymmetric_needs_zeros(%x: tensor<2x64xf32>, %p: tensor<3x32xi8>, %s: tensor<3x2xf16>) -> tensor<2x3xf32> {
  // expected-error @+1 {{zero points must be present exactly when the op is not symmetric}}
  %a = sinter.quantized_matmul %x, %p, %s {bits = 4 : i64, group_size = 32 : i64} : (tensor<2x64xf32>, tensor<3x32xi8>, tensor<3x2xf16>) -> tensor<2x3xf32>
  return %a : tensor<2x3xf32>
}

// -----

func.func @outlier_shape(%x: tensor<2x64xf32>, %p: tensor<3x32xi8>, %s: tensor<3x2xf16>, %r: tensor<3x2xi32>, %v: tensor<3x1xf16>) -> tensor<2x3xf32> {
  // expected-error @+1 {{outlier rows and values must both be [N][R] with N=3}}
  %a = sinter.quantized_matmul %x, %p, %s outliers(%r, %v) {bits = 4 : i64, group_size = 32 : i64, symmetric} : (tensor<2x64xf32>, tensor<3x32xi8>, tensor<3x2xf16>, tensor<3x2xi32>, tensor<3x1xf16>) -> tensor<2x3xf32>
  return %a : tensor<2x3xf32>
}

// -----

func.func @result_shape(%x: tensor<2x64xf32>, %p: tensor<3x32xi8>, %s: tensor<3x2xf16>) -> tensor<2x4xf32> {
  // expected-error @+1 {{result must be the input shape with its last dimension replaced by N=3}}
  %a = sinter.quantized_matmul %x, %p, %s {bits = 4 : i64, group_size = 32 : i64, symmetric} : (tensor<2x64xf32>, tensor<3x32xi8>, tensor<3x2xf16>) -> tensor<2x4xf32>
  return %a : tensor<2x4xf32>
}
