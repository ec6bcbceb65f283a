// RUN: sinter-opt %s --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg),one-shot-bufferize{bufferize-function-boundaries},func.func(convert-linalg-to-loops),expand-strided-metadata,lower-affine,convert-scf-to-cf,convert-math-to-llvm,convert-math-to-libm,convert-arith-to-llvm,convert-index-to-llvm,finalize-memref-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,reconcile-unrealized-casts)' \
// RUN: | mlir-runner -e main -entry-point-result=void --shared-libs=/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so,/usr/lib/llvm-22/lib/libmlir_runner_utils.so \
// RUN: | FileCheck %s
//
// Numeric check of the graph -> linalg lowering: lower, bufferize, run on the CPU with mlir-runner.
// ReduceMean (keepdims), ReduceSum (axes input), ReduceMax, ReduceLogSumExp, ReduceL2, ArgMax, ArgMin, TopK, Einsum.
// Expected values: computed independently in float64 with numpy (numpy.fft for DFT, numpy.einsum; torch
// interpolate for Resize, torch-cross-checked scatter loops for ConvTranspose) from the ONNX operator
// definitions on the same inputs, by a generator script (not the lowering), written as printMemref prints
// them (%g). Results that carry float32 roundoff are quantized in the test itself to floor(y * S + 0.5), with
// S picked so that the largest |y| * S is ~1e3-1e5 and no y * S lies within 0.02 of a rounding boundary;
// exact results (gathers, slices, pads, max pools, argmax) are printed as they are.
// ReduceMean over axis 1, keepdims, printed as floor(y * 10000 + 0.5)
// CHECK: rank = 3 offset = 0 sizes = [2, 1, 4]
// CHECK-NEXT: {{\[}}4567, 6800, -567, 2900]
// CHECK-NEXT: {{\[}}-1867, -6100, -4300, 600]
// ReduceSum over axes [0, 2] (axes input), keepdims 0, printed as floor(y * 1000 + 0.5)
// CHECK: rank = 1 offset = 0 sizes = [3]
// CHECK-NEXT: {{\[}}-5220, -1650, 7480]
// ReduceMax over the last axis
// CHECK: rank = 2 offset = 0 sizes = [2, 3]
// CHECK-NEXT: {{\[}}0.2, 1.3, 1.82]
// CHECK-NEXT: {{\[}}0.01, 0.47, 0.9]
// ReduceLogSumExp over axes [0, 1], printed as floor(y * 1000 + 0.5)
// CHECK: rank = 3 offset = 0 sizes = [1, 1, 4]
// CHECK-NEXT: {{\[}}2147, 2398, 2300, 2406]
// ReduceL2 over everything, printed as floor(y * 1000 + 0.5)
// CHECK: rank = 1 offset = 0 sizes = [1]
// CHECK-NEXT: {{\[}}5347]
// ArgMax along axis 1, first index of ties
// CHECK: rank = 2 offset = 0 sizes = [3, 1]
// CHECK-NEXT: {{\[}}1]
// CHECK-NEXT: {{\[}}0]
// CHECK-NEXT: {{\[}}0]
// ArgMax along axis 1, last index of ties
// CHECK: rank = 1 offset = 0 sizes = [3]
// CHECK-NEXT: {{\[}}2, 3, 3]
// ArgMin along axis 0
// CHECK: rank = 1 offset = 0 sizes = [4]
// CHECK-NEXT: {{\[}}0, 2, 1, 0]
// TopK k=4 largest: values (ties: lower index first)
// CHECK: rank = 2 offset = 0 sizes = [2, 4]
// CHECK-NEXT: {{\[}}5, 5, 3, 1]
// CHECK-NEXT: {{\[}}7, 4, 4, 4]
// TopK k=4 largest: indices
// CHECK: rank = 2 offset = 0 sizes = [2, 4]
// CHECK-NEXT: {{\[}}1, 3, 2, 0]
// CHECK-NEXT: {{\[}}3, 0, 2, 4]
// TopK k=1 smallest along axis 0: indices
// CHECK: rank = 2 offset = 0 sizes = [1, 6]
// CHECK-NEXT: {{\[}}0, 1, 0, 0, 0, 0]
// Einsum bij,bjk->bki (numpy.einsum), printed as floor(y * 2000 + 0.5)
// CHECK: rank = 3 offset = 0 sizes = [2, 5, 3]
// CHECK-NEXT: {{\[}}-3669, 882, 5987]
// CHECK-NEXT: {{\[}}4452, -3660, 7524]
// CHECK-NEXT: {{\[}}-17712, 5480, -4763]
// CHECK-NEXT: {{\[}}-4768, 3433, 3931]
// CHECK-NEXT: {{\[}}-5216, 11506, -264]
// CHECK-NEXT: {{\[}}3056, -4093, -827]
// CHECK-NEXT: {{\[}}-4322, 443, 5858]
// CHECK-NEXT: {{\[}}908, 2784, -1702]
// CHECK-NEXT: {{\[}}-4704, 6164, 10748]
// CHECK-NEXT: {{\[}}-7145, 3527, 8955]

func.func private @printMemrefF32(memref<*xf32>)
func.func private @printMemrefI64(memref<*xi64>)

func.func @main() {
  %c0 = graph.constant dense<[[[0.20000000298023224, -0.46000000834465027, -0.41999998688697815, -1.7699999809265137], [0.41999998688697815, 0.7099999785423279, -1.5700000524520874, 1.2999999523162842], [0.75, 1.7899999618530273, 1.8200000524520874, 1.340000033378601]], [[0.009999999776482582, -0.33000001311302185, -1.940000057220459, -0.5099999904632568], [-1.4700000286102295, -1.8899999856948853, 0.4699999988079071, 0.3799999952316284], [0.8999999761581421, 0.38999998569488525, 0.18000000715255737, 0.3100000023841858]]]> : tensor<2x3x4xf32>
  %rm = graph.ReduceMean(%c0) {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %c1 = graph.constant dense<10000.0> : tensor<f32>
  %c2 = graph.constant dense<0.5> : tensor<f32>
  %q3a = graph.Mul(%rm, %c1) : (tensor<2x1x4xf32>, tensor<f32>) -> tensor<2x1x4xf32>
  %q3b = graph.Add(%q3a, %c2) : (tensor<2x1x4xf32>, tensor<f32>) -> tensor<2x1x4xf32>
  %q3 = graph.Floor(%q3b) : (tensor<2x1x4xf32>) -> tensor<2x1x4xf32>
  %m4 = bufferization.to_buffer %q3 : tensor<2x1x4xf32> to memref<2x1x4xf32>
  %u4 = memref.cast %m4 : memref<2x1x4xf32> to memref<*xf32>
  func.call @printMemrefF32(%u4) : (memref<*xf32>) -> ()
  %c5 = graph.constant dense<[0, 2]> : tensor<2xi64>
  %rs = graph.ReduceSum(%c0, %c5) {keepdims = 0 : i64} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<3xf32>
  %c6 = graph.constant dense<1000.0> : tensor<f32>
  %c7 = graph.constant dense<0.5> : tensor<f32>
  %q8a = graph.Mul(%rs, %c6) : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %q8b = graph.Add(%q8a, %c7) : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %q8 = graph.Floor(%q8b) : (tensor<3xf32>) -> tensor<3xf32>
  %m9 = bufferization.to_buffer %q8 : tensor<3xf32> to memref<3xf32>
  %u9 = memref.cast %m9 : memref<3xf32> to memref<*xf32>
  func.call @printMemrefF32(%u9) : (memref<*xf32>) -> ()
  %rx = graph.ReduceMax(%c0) {axes = array<i64: -1>, keepdims = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  %m10 = bufferization.to_buffer %rx : tensor<2x3xf32> to memref<2x3xf32>
  %u10 = memref.cast %m10 : memref<2x3xf32> to memref<*xf32>
  func.call @printMemrefF32(%u10) : (memref<*xf32>) -> ()
  %rl = graph.ReduceLogSumExp(%c0) {axes = array<i64: 0, 1>} : (tensor<2x3x4xf32>) -> tensor<1x1x4xf32>
  %c11 = graph.constant dense<1000.0> : tensor<f32>
  %c12 = graph.constant dense<0.5> : tensor<f32>
  %q13a = graph.Mul(%rl, %c11) : (tensor<1x1x4xf32>, tensor<f32>) -> tensor<1x1x4xf32>
  %q13b = graph.Add(%q13a, %c12) : (tensor<1x1x4xf32>, tensor<f32>) -> tensor<1x1x4xf32>
  %q13 = graph.Floor(%q13b) : (tensor<1x1x4xf32>) -> tensor<1x1x4xf32>
  %m14 = bufferization.to_buffer %q13 : tensor<1x1x4xf32> to memref<1x1x4xf32>
  %u14 = memref.cast %m14 : memref<1x1x4xf32> to memref<*xf32>
  func.call @printMemrefF32(%u14) : (memref<*xf32>) -> ()
  %r2 = graph.ReduceL2(%c0) {keepdims = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<f32>
  %c15 = graph.constant dense<[0]> : tensor<1xi64>
  %r2e = graph.Unsqueeze(%r2, %c15) : (tensor<f32>, tensor<1xi64>) -> tensor<1xf32>
  %c16 = graph.constant dense<1000.0> : tensor<f32>
  %c17 = graph.constant dense<0.5> : tensor<f32>
  %q18a = graph.Mul(%r2e, %c16) : (tensor<1xf32>, tensor<f32>) -> tensor<1xf32>
  %q18b = graph.Add(%q18a, %c17) : (tensor<1xf32>, tensor<f32>) -> tensor<1xf32>
  %q18 = graph.Floor(%q18b) : (tensor<1xf32>) -> tensor<1xf32>
  %m19 = bufferization.to_buffer %q18 : tensor<1xf32> to memref<1xf32>
  %u19 = memref.cast %m19 : memref<1xf32> to memref<*xf32>
  func.call @printMemrefF32(%u19) : (memref<*xf32>) -> ()
  %c20 = graph.constant dense<[[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, -1.0, 2.0], [5.0, 0.0, 5.0, 5.0]]> : tensor<3x4xf32>
  %am = graph.ArgMax(%c20) {axis = 1 : i64} : (tensor<3x4xf32>) -> tensor<3x1xi64>
  %m21 = bufferization.to_buffer %am : tensor<3x1xi64> to memref<3x1xi64>
  %u21 = memref.cast %m21 : memref<3x1xi64> to memref<*xi64>
  func.call @printMemrefI64(%u21) : (memref<*xi64>) -> ()
  %aml = graph.ArgMax(%c20) {axis = 1 : i64, select_last_index = 1 : i64, keepdims = 0 : i64} : (tensor<3x4xf32>) -> tensor<3xi64>
  %m22 = bufferization.to_buffer %aml : tensor<3xi64> to memref<3xi64>
  %u22 = memref.cast %m22 : memref<3xi64> to memref<*xi64>
  func.call @printMemrefI64(%u22) : (memref<*xi64>) -> ()
  %an = graph.ArgMin(%c20) {axis = 0 : i64, keepdims = 0 : i64} : (tensor<3x4xf32>) -> tensor<4xi64>
  %m23 = bufferization.to_buffer %an : tensor<4xi64> to memref<4xi64>
  %u23 = memref.cast %m23 : memref<4xi64> to memref<*xi64>
  func.call @printMemrefI64(%u23) : (memref<*xi64>) -> ()
  %c24 = graph.constant dense<[[1.0, 5.0, 3.0, 5.0, -2.0, 0.0], [4.0, -1.0, 4.0, 7.0, 4.0, 2.0]]> : tensor<2x6xf32>
  %c25 = graph.constant dense<[4]> : tensor<1xi64>
  %tv, %ti = graph.TopK(%c24, %c25) : (tensor<2x6xf32>, tensor<1xi64>) -> (tensor<2x4xf32>, tensor<2x4xi64>)
  %m26 = bufferization.to_buffer %tv : tensor<2x4xf32> to memref<2x4xf32>
  %u26 = memref.cast %m26 : memref<2x4xf32> to memref<*xf32>
  func.call @printMemrefF32(%u26) : (memref<*xf32>) -> ()
  %m27 = bufferization.to_buffer %ti : tensor<2x4xi64> to memref<2x4xi64>
  %u27 = memref.cast %m27 : memref<2x4xi64> to memref<*xi64>
  func.call @printMemrefI64(%u27) : (memref<*xi64>) -> ()
  %c28 = graph.constant dense<[1]> : tensor<1xi64>
  %sv, %si = graph.TopK(%c24, %c28) {largest = 0 : i64, axis = 0 : i64} : (tensor<2x6xf32>, tensor<1xi64>) -> (tensor<1x6xf32>, tensor<1x6xi64>)
  %m29 = bufferization.to_buffer %si : tensor<1x6xi64> to memref<1x6xi64>
  %u29 = memref.cast %m29 : memref<1x6xi64> to memref<*xi64>
  func.call @printMemrefI64(%u29) : (memref<*xi64>) -> ()
  %c30 = graph.constant dense<[[[-0.30000001192092896, 1.3700000047683716, -1.7200000286102295, -1.850000023841858], [-1.899999976158142, -0.14000000059604645, 0.8399999737739563, 1.090000033378601], [0.23999999463558197, 1.2699999809265137, 1.2599999904632568, -1.2000000476837158]], [[-1.1299999952316284, 1.440000057220459, 1.9900000095367432, -1.2000000476837158], [0.4099999964237213, -0.9200000166893005, 0.18000000715255737, 1.7400000095367432], [-1.1200000047683716, -1.7999999523162842, 0.3199999928474426, 1.3300000429153442]]]> : tensor<2x3x4xf32>
  %c31 = graph.constant dense<[[[0.15000000596046448, 0.30000001192092896, 0.49000000953674316, -0.05000000074505806, -1.7300000190734863], [-0.03999999910593033, 0.3799999952316284, -1.7699999809265137, 0.6700000166893005, 1.1399999856948853], [1.7400000095367432, 0.8600000143051147, 1.6100000143051147, 1.3799999952316284, 0.7900000214576721], [-0.6800000071525574, -1.7699999809265137, 1.899999976158142, 0.5099999904632568, 1.7999999523162842]], [[-1.3700000047683716, -1.1100000143051147, 0.2800000011920929, -0.8700000047683716, -1.909999966621399], [0.6200000047683716, -1.2200000286102295, 1.4199999570846558, -1.590000033378601, -0.6299999952316284], [-0.7300000190734863, -0.9300000071525574, 0.23999999463558197, 0.15000000596046448, -1.6399999856948853], [-0.44999998807907104, -0.1599999964237213, 1.4600000381469727, 1.1200000047683716, 1.2999999523162842]]]> : tensor<2x4x5xf32>
  %es = graph.Einsum(%c30, %c31) {equation = "bij,bjk->bki"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x5x3xf32>
  %c32 = graph.constant dense<2000.0> : tensor<f32>
  %c33 = graph.constant dense<0.5> : tensor<f32>
  %q34a = graph.Mul(%es, %c32) : (tensor<2x5x3xf32>, tensor<f32>) -> tensor<2x5x3xf32>
  %q34b = graph.Add(%q34a, %c33) : (tensor<2x5x3xf32>, tensor<f32>) -> tensor<2x5x3xf32>
  %q34 = graph.Floor(%q34b) : (tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  %m35 = bufferization.to_buffer %q34 : tensor<2x5x3xf32> to memref<2x5x3xf32>
  %u35 = memref.cast %m35 : memref<2x5x3xf32> to memref<*xf32>
  func.call @printMemrefF32(%u35) : (memref<*xf32>) -> ()
  return
}
