// RUN: sinter-opt %s --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg),one-shot-bufferize{bufferize-function-boundaries},func.func(convert-linalg-to-loops),expand-strided-metadata,lower-affine,convert-scf-to-cf,convert-math-to-llvm,convert-math-to-libm,convert-arith-to-llvm,convert-index-to-llvm,finalize-memref-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,reconcile-unrealized-casts)' \
// RUN: | mlir-runner -e main -entry-point-result=void --shared-libs=/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so,/usr/lib/llvm-22/lib/libmlir_runner_utils.so \
// RUN: | FileCheck %s
//
// Numeric check of the graph -> linalg lowering: lower, bufferize, run on the CPU with mlir-runner.
// Softmax, LogSoftmax, LayerNormalization, InstanceNormalization, BatchNormalization, LpNormalization, GlobalAveragePool, GlobalMaxPool.
// Expected values: computed independently in float64 with numpy (numpy.fft for DFT, numpy.einsum; torch
// interpolate for Resize, torch-cross-checked scatter loops for ConvTranspose) from the ONNX operator
// definitions on the same inputs, by a generator script (not the lowering), written as printMemref prints
// them (%g). Results that carry float32 roundoff are quantized in the test itself to floor(y * S + 0.5), with
// S picked so that the largest |y| * S is ~1e3-1e5 and no y * S lies within 0.02 of a rounding boundary;
// exact results (gathers, slices, pads, max pools, argmax) are printed as they are.
// Softmax along the last axis, printed as floor(y * 10000 + 0.5)
// CHECK: rank = 2 offset = 0 sizes = [2, 5]
// CHECK-NEXT: {{\[}}5596, 156, 4064, 77, 108]
// CHECK-NEXT: {{\[}}60, 125, 198, 9476, 142]
// LogSoftmax along axis 0, printed as floor(y * 1000 + 0.5)
// CHECK: rank = 2 offset = 0 sizes = [2, 5]
// CHECK-NEXT: {{\[}}-6, -362, -26, -4225, -542]
// CHECK-NEXT: {{\[}}-5156, -1192, -3656, -15, -872]
// LayerNormalization over the last axis, epsilon 1e-3, with B, printed as floor(y * 1000 + 0.5)
// CHECK: rank = 3 offset = 0 sizes = [2, 3, 4]
// CHECK-NEXT: {{\[}}315, -1054, 133, 789]
// CHECK-NEXT: {{\[}}-2342, 707, 315, -3897]
// CHECK-NEXT: {{\[}}-528, 2332, 2767, 346]
// CHECK-NEXT: {{\[}}-2031, 52, 3314, 1238]
// CHECK-NEXT: {{\[}}-2563, 2062, 3226, -1352]
// CHECK-NEXT: {{\[}}-2540, -3321, 1320, 844]
// InstanceNormalization (epsilon 1e-5), printed as floor(y * 1750 + 0.5)
// CHECK: rank = 3 offset = 0 sizes = [2, 3, 5]
// CHECK-NEXT: {{\[}}-4567, -5484, -4332, -981, -299]
// CHECK-NEXT: {{\[}}-1714, 1192, 186, -2124, -3577]
// CHECK-NEXT: {{\[}}-1464, -763, -3871, -2916, -1573]
// CHECK-NEXT: {{\[}}-1541, -4435, -5507, 106, -4285]
// CHECK-NEXT: {{\[}}-2553, -2986, 1838, -889, -1448]
// CHECK-NEXT: {{\[}}-1525, -2123, -2391, -3977, -572]
// BatchNormalization (inference, epsilon 1e-2), printed as floor(y * 1000 + 0.5)
// CHECK: rank = 4 offset = 0 sizes = [2, 3, 2, 2]
// CHECK-NEXT: {{\[}}601, 1008]
// CHECK-NEXT: {{\[}}2177, 1892]
// CHECK-NEXT: {{\[}}-860, 1544]
// CHECK-NEXT: {{\[}}-2084, 1533]
// CHECK-NEXT: {{\[}}-1037, -1022]
// CHECK-NEXT: {{\[}}-1011, -1008]
// CHECK-NEXT: {{\[}}469, 1558]
// CHECK-NEXT: {{\[}}2193, 2283]
// CHECK-NEXT: {{\[}}99, -1720]
// CHECK-NEXT: {{\[}}596, -1488]
// CHECK-NEXT: {{\[}}-1045, -999]
// CHECK-NEXT: {{\[}}-1011, -1028]
// LpNormalization p=1 along axis 0, printed as floor(y * 10000 + 0.5)
// CHECK: rank = 2 offset = 0 sizes = [2, 5]
// CHECK-NEXT: {{\[}}5553, -3172, 6997, -3397, -4343]
// CHECK-NEXT: {{\[}}-4447, -6828, -3003, 6603, -5657]
// GlobalAveragePool, printed as floor(y * 10000 + 0.5)
// CHECK: rank = 4 offset = 0 sizes = [2, 3, 1, 1]
// CHECK-NEXT: {{\[}}-2275]
// CHECK-NEXT: {{\[}}-900]
// CHECK-NEXT: {{\[}}-1650]
// CHECK-NEXT: {{\[}}-6175]
// CHECK-NEXT: {{\[}}5100]
// CHECK-NEXT: {{\[}}-675]
// GlobalMaxPool
// CHECK: rank = 4 offset = 0 sizes = [2, 3, 1, 1]
// CHECK-NEXT: {{\[}}1.32]
// CHECK-NEXT: {{\[}}1.83]
// CHECK-NEXT: {{\[}}1.19]
// CHECK-NEXT: {{\[}}1.57]
// CHECK-NEXT: {{\[}}1.5]
// CHECK-NEXT: {{\[}}1.79]

func.func private @printMemrefF32(memref<*xf32>)
func.func private @printMemrefI64(memref<*xi64>)

func.func @main() {
  %c0 = graph.constant dense<[[2.859999895095825, -0.7200000286102295, 2.5399999618530273, -1.4299999475479126, -1.090000033378601], [-2.2899999618530273, -1.5499999523162842, -1.090000033378601, 2.7799999713897705, -1.4199999570846558]]> : tensor<2x5xf32>
  %s = graph.Softmax(%c0) : (tensor<2x5xf32>) -> tensor<2x5xf32>
  %c1 = graph.constant dense<10000.0> : tensor<f32>
  %c2 = graph.constant dense<0.5> : tensor<f32>
  %q3a = graph.Mul(%s, %c1) : (tensor<2x5xf32>, tensor<f32>) -> tensor<2x5xf32>
  %q3b = graph.Add(%q3a, %c2) : (tensor<2x5xf32>, tensor<f32>) -> tensor<2x5xf32>
  %q3 = graph.Floor(%q3b) : (tensor<2x5xf32>) -> tensor<2x5xf32>
  %m4 = bufferization.to_buffer %q3 : tensor<2x5xf32> to memref<2x5xf32>
  %u4 = memref.cast %m4 : memref<2x5xf32> to memref<*xf32>
  func.call @printMemrefF32(%u4) : (memref<*xf32>) -> ()
  %ls = graph.LogSoftmax(%c0) {axis = 0 : i64} : (tensor<2x5xf32>) -> tensor<2x5xf32>
  %c5 = graph.constant dense<1000.0> : tensor<f32>
  %c6 = graph.constant dense<0.5> : tensor<f32>
  %q7a = graph.Mul(%ls, %c5) : (tensor<2x5xf32>, tensor<f32>) -> tensor<2x5xf32>
  %q7b = graph.Add(%q7a, %c6) : (tensor<2x5xf32>, tensor<f32>) -> tensor<2x5xf32>
  %q7 = graph.Floor(%q7b) : (tensor<2x5xf32>) -> tensor<2x5xf32>
  %m8 = bufferization.to_buffer %q7 : tensor<2x5xf32> to memref<2x5xf32>
  %u8 = memref.cast %m8 : memref<2x5xf32> to memref<*xf32>
  func.call @printMemrefF32(%u8) : (memref<*xf32>) -> ()
  %c9 = graph.constant dense<[[[-0.23999999463558197, 0.4399999976158142, 1.4500000476837158, 1.4600000381469727], [0.699999988079071, 0.6399999856948853, 0.9399999976158142, -1.1100000143051147], [-1.309999942779541, 1.4800000190734863, -1.7599999904632568, 0.7300000190734863]], [[0.6800000071525574, 0.4399999976158142, -1.7599999904632568, 1.909999966621399], [-0.23999999463558197, 0.12999999523162842, -1.9900000095367432, -0.9900000095367432], [1.4299999475479126, -0.30000001192092896, 0.9399999976158142, 1.690000057220459]]]> : tensor<2x3x4xf32>
  %c10 = graph.constant dense<[-1.3899999856948853, 1.9700000286102295, -1.2699999809265137, 1.7599999904632568]> : tensor<4xf32>
  %c11 = graph.constant dense<[-1.649999976158142, -0.12999999523162842, 1.3200000524520874, -0.8799999952316284]> : tensor<4xf32>
  %ln, %ln1, %ln2 = graph.LayerNormalization(%c9, %c10, %c11) {epsilon = 1.0e-03 : f32} : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<2x3x4xf32>, none, none)
  %c12 = graph.constant dense<1000.0> : tensor<f32>
  %c13 = graph.constant dense<0.5> : tensor<f32>
  %q14a = graph.Mul(%ln, %c12) : (tensor<2x3x4xf32>, tensor<f32>) -> tensor<2x3x4xf32>
  %q14b = graph.Add(%q14a, %c13) : (tensor<2x3x4xf32>, tensor<f32>) -> tensor<2x3x4xf32>
  %q14 = graph.Floor(%q14b) : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %m15 = bufferization.to_buffer %q14 : tensor<2x3x4xf32> to memref<2x3x4xf32>
  %u15 = memref.cast %m15 : memref<2x3x4xf32> to memref<*xf32>
  func.call @printMemrefF32(%u15) : (memref<*xf32>) -> ()
  %c16 = graph.constant dense<[[[1.4800000190734863, 1.909999966621399, 1.3700000047683716, -0.20000000298023224, -0.5199999809265137], [-0.07000000029802322, -1.6299999952316284, -1.090000033378601, 0.15000000596046448, 0.9300000071525574], [-0.20000000298023224, -0.7799999713897705, 1.7899999618530273, 1.0, -0.10999999940395355]], [[-0.17000000178813934, 0.9900000095367432, 1.4199999570846558, -0.8299999833106995, 0.9300000071525574], [1.2400000095367432, 1.5499999523162842, -1.899999976158142, 0.05000000074505806, 0.44999998807907104], [-0.8799999952316284, -0.1899999976158142, 0.11999999731779099, 1.9500000476837158, -1.9800000190734863]]]> : tensor<2x3x5xf32>
  %c17 = graph.constant dense<[-1.190000057220459, -0.9700000286102295, -0.6399999856948853]> : tensor<3xf32>
  %c18 = graph.constant dense<[-1.7899999618530273, -0.6899999976158142, -1.2100000381469727]> : tensor<3xf32>
  %in = graph.InstanceNormalization(%c16, %c17, %c18) : (tensor<2x3x5xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x5xf32>
  %c19 = graph.constant dense<1750.0> : tensor<f32>
  %c20 = graph.constant dense<0.5> : tensor<f32>
  %q21a = graph.Mul(%in, %c19) : (tensor<2x3x5xf32>, tensor<f32>) -> tensor<2x3x5xf32>
  %q21b = graph.Add(%q21a, %c20) : (tensor<2x3x5xf32>, tensor<f32>) -> tensor<2x3x5xf32>
  %q21 = graph.Floor(%q21b) : (tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  %m22 = bufferization.to_buffer %q21 : tensor<2x3x5xf32> to memref<2x3x5xf32>
  %u22 = memref.cast %m22 : memref<2x3x5xf32> to memref<*xf32>
  func.call @printMemrefF32(%u22) : (memref<*xf32>) -> ()
  %c23 = graph.constant dense<[[[[1.3200000524520874, 0.550000011920929], [-1.659999966621399, -1.1200000047683716]], [[0.7200000286102295, -1.4600000381469727], [1.8300000429153442, -1.4500000476837158]], [[1.190000057220459, -0.009999999776482582], [-0.7799999713897705, -1.059999942779541]]], [[[1.5700000524520874, -0.49000000953674316], [-1.690000057220459, -1.8600000143051147]], [[-0.15000000596046448, 1.5], [-0.6000000238418579, 1.2899999618530273]], [[1.7899999618530273, -1.7300000190734863], [-0.8100000023841858, 0.47999998927116394]]]]> : tensor<2x3x2x2xf32>
  %c24 = graph.constant dense<[-0.7900000214576721, -1.2999999523162842, -0.019999999552965164]> : tensor<3xf32>
  %c25 = graph.constant dense<[1.0399999618530273, 0.75, -1.0099999904632568]> : tensor<3xf32>
  %c26 = graph.constant dense<[0.49000000953674316, -0.7400000095367432, -0.8899999856948853]> : tensor<3xf32>
  %c27 = graph.constant dense<[2.2200000286102295, 1.3799999952316284, 2.299999952316284]> : tensor<3xf32>
  %bn, %bn1, %bn2 = graph.BatchNormalization(%c23, %c24, %c25, %c26, %c27) {epsilon = 1.0e-02 : f32} : (tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x2x2xf32>, none, none)
  %c28 = graph.constant dense<1000.0> : tensor<f32>
  %c29 = graph.constant dense<0.5> : tensor<f32>
  %q30a = graph.Mul(%bn, %c28) : (tensor<2x3x2x2xf32>, tensor<f32>) -> tensor<2x3x2x2xf32>
  %q30b = graph.Add(%q30a, %c29) : (tensor<2x3x2x2xf32>, tensor<f32>) -> tensor<2x3x2x2xf32>
  %q30 = graph.Floor(%q30b) : (tensor<2x3x2x2xf32>) -> tensor<2x3x2x2xf32>
  %m31 = bufferization.to_buffer %q30 : tensor<2x3x2x2xf32> to memref<2x3x2x2xf32>
  %u31 = memref.cast %m31 : memref<2x3x2x2xf32> to memref<*xf32>
  func.call @printMemrefF32(%u31) : (memref<*xf32>) -> ()
  %lp = graph.LpNormalization(%c0) {axis = 0 : i64, p = 1 : i64} : (tensor<2x5xf32>) -> tensor<2x5xf32>
  %c32 = graph.constant dense<10000.0> : tensor<f32>
  %c33 = graph.constant dense<0.5> : tensor<f32>
  %q34a = graph.Mul(%lp, %c32) : (tensor<2x5xf32>, tensor<f32>) -> tensor<2x5xf32>
  %q34b = graph.Add(%q34a, %c33) : (tensor<2x5xf32>, tensor<f32>) -> tensor<2x5xf32>
  %q34 = graph.Floor(%q34b) : (tensor<2x5xf32>) -> tensor<2x5xf32>
  %m35 = bufferization.to_buffer %q34 : tensor<2x5xf32> to memref<2x5xf32>
  %u35 = memref.cast %m35 : memref<2x5xf32> to memref<*xf32>
  func.call @printMemrefF32(%u35) : (memref<*xf32>) -> ()
  %c36 = graph.constant dense<[[[[1.3200000524520874, 0.550000011920929], [-1.659999966621399, -1.1200000047683716]], [[0.7200000286102295, -1.4600000381469727], [1.8300000429153442, -1.4500000476837158]], [[1.190000057220459, -0.009999999776482582], [-0.7799999713897705, -1.059999942779541]]], [[[1.5700000524520874, -0.49000000953674316], [-1.690000057220459, -1.8600000143051147]], [[-0.15000000596046448, 1.5], [-0.6000000238418579, 1.2899999618530273]], [[1.7899999618530273, -1.7300000190734863], [-0.8100000023841858, 0.47999998927116394]]]]> : tensor<2x3x2x2xf32>
  %gp = graph.GlobalAveragePool(%c36) : (tensor<2x3x2x2xf32>) -> tensor<2x3x1x1xf32>
  %c37 = graph.constant dense<10000.0> : tensor<f32>
  %c38 = graph.constant dense<0.5> : tensor<f32>
  %q39a = graph.Mul(%gp, %c37) : (tensor<2x3x1x1xf32>, tensor<f32>) -> tensor<2x3x1x1xf32>
  %q39b = graph.Add(%q39a, %c38) : (tensor<2x3x1x1xf32>, tensor<f32>) -> tensor<2x3x1x1xf32>
  %q39 = graph.Floor(%q39b) : (tensor<2x3x1x1xf32>) -> tensor<2x3x1x1xf32>
  %m40 = bufferization.to_buffer %q39 : tensor<2x3x1x1xf32> to memref<2x3x1x1xf32>
  %u40 = memref.cast %m40 : memref<2x3x1x1xf32> to memref<*xf32>
  func.call @printMemrefF32(%u40) : (memref<*xf32>) -> ()
  %c41 = graph.constant dense<[[[[1.3200000524520874, 0.550000011920929], [-1.659999966621399, -1.1200000047683716]], [[0.7200000286102295, -1.4600000381469727], [1.8300000429153442, -1.4500000476837158]], [[1.190000057220459, -0.009999999776482582], [-0.7799999713897705, -1.059999942779541]]], [[[1.5700000524520874, -0.49000000953674316], [-1.690000057220459, -1.8600000143051147]], [[-0.15000000596046448, 1.5], [-0.6000000238418579, 1.2899999618530273]], [[1.7899999618530273, -1.7300000190734863], [-0.8100000023841858, 0.47999998927116394]]]]> : tensor<2x3x2x2xf32>
  %gm = graph.GlobalMaxPool(%c41) : (tensor<2x3x2x2xf32>) -> tensor<2x3x1x1xf32>
  %m42 = bufferization.to_buffer %gm : tensor<2x3x1x1xf32> to memref<2x3x1x1xf32>
  %u42 = memref.cast %m42 : memref<2x3x1x1xf32> to memref<*xf32>
  func.call @printMemrefF32(%u42) : (memref<*xf32>) -> ()
  return
}
