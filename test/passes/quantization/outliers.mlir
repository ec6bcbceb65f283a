// RUN: sinter-opt %s --pass-pipeline='builtin.module(sinter-quantize-weights{symmetric=false outliers=0.125 group-size=4})' | FileCheck %s
// RUN: sinter-opt %s --pass-pipeline='builtin.module(sinter-quantize-weights{symmetric=false outliers=0.125 group-size=4 report=%t.json})' -o /dev/null
// RUN: FileCheck %s --check-prefix=REPORT < %t.json

// Asymmetric groups of 4 with one fp16 outlier per column (0.125 * K=8): the planted 5.0 (row 3, column 0)
// and -4.0 (row 6, column 1) are the largest |w| of their columns, so they are the outliers.
// CHECK-LABEL: func @asymmetric_with_outliers
// CHECK: %[[R:.*]] = graph.constant dense_resource<[[RB:mm1.outlier_rows.*]]> : tensor<2x1xi32>
// CHECK: %[[V:.*]] = graph.constant dense_resource<[[VB:mm1.outlier_values.*]]> : tensor<2x1xf16>
// CHECK: sinter.quantized_matmul %arg0, %{{.*}}, %{{.*}} zeros %{{.*}} outliers(%[[R]], %[[V]]) {{\{}}bits = 4 : i64, group_size = 4 : i64}
// CHECK-SAME: (tensor<3x8xf32>, tensor<2x4xi8>, tensor<2x2xf16>, tensor<2x2xi8>, tensor<2x1xi32>, tensor<2x1xf16>) -> tensor<3x2xf32>
// Rows 3 and 6 as i32; 5.0 = 0x4500 and -4.0 = 0xC400 in fp16.
// CHECK: [[RB]]: "0x080000000300000006000000"
// CHECK: [[VB]]: "0x080000000045
// CHECK-SAME: 00C4"
// Bytes: codes 2*4 + fp16 scales 2*2*2 + zeros 2*2 + outliers 2*(4+2) = 32.
// REPORT: "outliers": 2, "bytes": 32, "fp32_bytes": 64
func.func @asymmetric_with_outliers(%x: tensor<3x8xf32>) -> tensor<3x2xf32> {
  %w = graph.constant dense<[[-0.1343, -0.0616],
 [-0.0294, -0.2075],
 [0.0092, 0.0151],
 [5.0000, -0.0424],
 [-0.0374, -0.0977],
 [-0.0270, -0.0553],
 [0.0092, -4.0000],
 [0.0236, 0.0143]]> : tensor<8x2xf32>
  %y = graph.MatMul(%x, %w) : (tensor<3x8xf32>, tensor<8x2xf32>) -> tensor<3x2xf32> loc("mm1")
  return %y : tensor<3x2xf32>
}
