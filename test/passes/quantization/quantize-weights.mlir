// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(sinter-quantize-weights{scale-type=f32})' | FileCheck %s
// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(sinter-quantize-weights{bits=2 report=%t.json})' -o /dev/null
// RUN: FileCheck %s --check-prefix=REPORT < %t.json
// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(sinter-quantize-weights{print-report})' 2>&1 | FileCheck %s --check-prefix=NOTE

// Uniform 4-bit symmetric with an f32 scale: W = [0..7]^T has scale 7/7 = 1 and codes w + 8 = 8..15,
// packed low nibble first: 98 BA DC FE. The fp32 weight constant is gone.
// CHECK-LABEL: func @matmul_4bit
// CHECK-NOT: graph.MatMul
// CHECK: %[[P:.*]] = graph.constant dense_resource<[[PB:mm0.packed.*]]> : tensor<1x4xi8>
// CHECK: %[[S:.*]] = graph.constant dense_resource<[[SB:mm0.scales.*]]> : tensor<1x1xf32>
// CHECK: sinter.quantized_matmul %arg0, %[[P]], %[[S]] {{\{}}bits = 4 : i64, group_size = 128 : i64, symmetric} : (tensor<2x8xf32>, tensor<1x4xi8>, tensor<1x1xf32>) -> tensor<2x1xf32>
// CHECK: [[PB]]: "0x0800000098BADCFE"
// CHECK: [[SB]]: "0x080000000000803F"
// REPORT: "calibration": "none: data-free
// (-split-input-file: the report holds the last split, @batched_input: 3 columns * (2 code bytes + 2 scale bytes))
// REPORT: {"name": "MatMul_0", "op": "MatMul", "k": 8, "n": 3, "bits": 2, "group_size": 128, "symmetric": true,
// REPORT-SAME: "bytes": 12, "fp32_bytes": 96
// NOTE: remark: sinter-quantize-weights: no calibration data
// NOTE: layer{{ +}}op{{ +}}K{{ +}}N bits group outliers{{ +}}bytes{{ +}}fp32{{ +}}rel.err
// NOTE: mm0{{ +}}MatMul{{ +}}8{{ +}}1{{ +}}4{{ +}}128{{ +}}0{{ +}}6{{ +}}32{{ +}}0.00000
func.func @matmul_4bit(%x: tensor<2x8xf32>) -> tensor<2x1xf32> {
  %w = graph.constant dense<[[0.0000],
 [1.0000],
 [2.0000],
 [3.0000],
 [4.0000],
 [5.0000],
 [6.0000],
 [7.0000]]> : tensor<8x1xf32>
  %y = graph.MatMul(%x, %w) : (tensor<2x8xf32>, tensor<8x1xf32>) -> tensor<2x1xf32> loc("mm0")
  return %y : tensor<2x1xf32>
}

// -----

// Gemm: transB is folded into the stored weight (N-major: B's rows are already columns), C stays an Add.
// CHECK-LABEL: func @gemm_transb_bias
// CHECK-NOT: graph.Gemm
// CHECK: %[[Y:.*]] = sinter.quantized_matmul %arg0, {{.*}} : (tensor<2x8xf32>, tensor<3x4xi8>, tensor<3x1xf32>) -> tensor<2x3xf32>
// CHECK: graph.Add(%[[Y]], %arg1)
func.func @gemm_transb_bias(%a: tensor<2x8xf32>, %c: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %b = graph.constant dense<[[-1.1218, -0.0663, -0.0387, 1.2906, 1.8667, -0.1370, -0.7663, -0.0650],
 [-0.6076, -0.7424, -0.0587, -1.0433, 0.6061, -0.1039, 0.2500, -0.1829],
 [-0.7273, -0.9480, -0.2373, -0.5488, 0.2339, -0.0044, -1.3623, 0.0671]]> : tensor<3x8xf32>
  %y = graph.Gemm(%a, %b, %c) {transB = 1 : i64} : (tensor<2x8xf32>, tensor<3x8xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// A bias of shape [N] (torch.nn.Linear on 2-D inputs) is broadcast by the Add, as Gemm broadcasts it.
// CHECK-LABEL: func @gemm_vector_bias
// CHECK: %[[Y:.*]] = sinter.quantized_matmul %arg0, {{.*}} -> tensor<2x3xf32>
// CHECK: graph.Add(%[[Y]], %arg1) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
func.func @gemm_vector_bias(%a: tensor<2x8xf32>, %c: tensor<3xf32>) -> tensor<2x3xf32> {
  %b = graph.constant dense<0.5> : tensor<3x8xf32>
  %y = graph.Gemm(%a, %b, %c) {transB = 1 : i64} : (tensor<2x8xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// A scaled bias stays an fp32 Gemm (not folded yet).
// CHECK-LABEL: func @gemm_scaled_bias
// CHECK: graph.Gemm
func.func @gemm_scaled_bias(%a: tensor<2x8xf32>, %c: tensor<3xf32>) -> tensor<2x3xf32> {
  %b = graph.constant dense<0.5> : tensor<3x8xf32>
  %y = graph.Gemm(%a, %b, %c) {transB = 1 : i64, beta = 2.0 : f32} : (tensor<2x8xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// A weight that is not a constant is not a weight: the MatMul stays fp32.
// CHECK-LABEL: func @activation_times_activation
// CHECK: graph.MatMul
// CHECK-NOT: sinter.quantized_matmul
func.func @activation_times_activation(%x: tensor<2x8xf32>, %w: tensor<8x4xf32>) -> tensor<2x4xf32> {
  %y = graph.MatMul(%x, %w) : (tensor<2x8xf32>, tensor<8x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// Layers whose input or bias is an earlier layer's result, with nothing between them: each reads its operands
// when it is rewritten, after the layer before it was replaced.
// CHECK-LABEL: func @chained_layers
// CHECK: %[[A:.*]] = sinter.quantized_matmul %arg0, {{.*}} -> tensor<2x8xf32>
// CHECK: %[[B:.*]] = sinter.quantized_matmul %[[A]], {{.*}} -> tensor<2x8xf32>
// CHECK: %[[C:.*]] = sinter.quantized_matmul %[[B]], {{.*}} -> tensor<2x8xf32>
// CHECK: graph.Add(%[[C]], %[[B]])
func.func @chained_layers(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %w = graph.constant dense<0.25> : tensor<8x8xf32>
  %a = graph.MatMul(%x, %w) : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  %b = graph.MatMul(%a, %w) : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  %c = graph.Gemm(%b, %w, %b) : (tensor<2x8xf32>, tensor<8x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %c : tensor<2x8xf32>
}

// -----

// Rank-3 activations (a transformer's [batch, seq, d]) keep their leading dimensions.
// CHECK-LABEL: func @batched_input
// CHECK: sinter.quantized_matmul %arg0, {{.*}} -> tensor<1x5x3xf32>
func.func @batched_input(%x: tensor<1x5x8xf32>) -> tensor<1x5x3xf32> {
  %w = graph.constant dense<[[-1.1218, -0.6076, -0.7273],
 [-0.0663, -0.7424, -0.9480],
 [-0.0387, -0.0587, -0.2373],
 [1.2906, -1.0433, -0.5488],
 [1.8667, 0.6061, 0.2339],
 [-0.1370, -0.1039, -0.0044],
 [-0.7663, 0.2500, -1.3623],
 [-0.0650, -0.1829, 0.0671]]> : tensor<8x3xf32>
  %y = graph.MatMul(%x, %w) : (tensor<1x5x8xf32>, tensor<8x3xf32>) -> tensor<1x5x3xf32>
  return %y : tensor<1x5x3xf32>
}
