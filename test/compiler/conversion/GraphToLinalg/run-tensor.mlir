// RUN: sinter-opt %s --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg),one-shot-bufferize{bufferize-function-boundaries},func.func(convert-linalg-to-loops),expand-strided-metadata,lower-affine,convert-scf-to-cf,convert-math-to-llvm,convert-math-to-libm,convert-arith-to-llvm,convert-index-to-llvm,finalize-memref-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,reconcile-unrealized-casts)' \
// RUN: | mlir-runner -e main -entry-point-result=void --shared-libs=/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so,/usr/lib/llvm-22/lib/libmlir_runner_utils.so \
// RUN: | FileCheck %s
//
// Numeric check of the graph -> linalg lowering: lower, bufferize, run on the CPU with mlir-runner.
// Gather and GatherElements with negative indices, Slice with negative steps, Pad reflect/edge, Tile, Resize.
// Expected values: computed independently in float64 with numpy (numpy.fft for DFT, numpy.einsum; torch
// interpolate for Resize, torch-cross-checked scatter loops for ConvTranspose) from the ONNX operator
// definitions on the same inputs, by a generator script (not the lowering), written as printMemref prints
// them (%g). Results that carry float32 roundoff are quantized in the test itself to floor(y * S + 0.5), with
// S picked so that the largest |y| * S is ~1e3-1e5 and no y * S lies within 0.02 of a rounding boundary;
// exact results (gathers, slices, pads, max pools, argmax) are printed as they are.
// Gather rows with negative indices (-1 -> 4, -5 -> 0)
// CHECK: rank = 3 offset = 0 sizes = [2, 2, 3]
// CHECK-NEXT: {{\[}}0.47, 0.04, 1.78]
// CHECK-NEXT: {{\[}}0.09, -1.03, -0.29]
// CHECK-NEXT: {{\[}}0.47, 0.04, 1.78]
// CHECK-NEXT: {{\[}}0.2, -1.12, 0.19]
// GatherElements along axis 1 with negative indices
// CHECK: rank = 2 offset = 0 sizes = [5, 2]
// CHECK-NEXT: {{\[}}1.78, 1.78]
// CHECK-NEXT: {{\[}}-0.02, -0.02]
// CHECK-NEXT: {{\[}}-0.79, 1.53]
// CHECK-NEXT: {{\[}}-1.12, 0.19]
// CHECK-NEXT: {{\[}}0.09, -1.03]
// Slice with negative steps: rows [-1::-2], columns [5:0:-2]
// CHECK: rank = 2 offset = 0 sizes = [2, 3]
// CHECK-NEXT: {{\[}}23, 21, 19]
// CHECK-NEXT: {{\[}}11, 9, 7]
// Pad reflect
// CHECK: rank = 2 offset = 0 sizes = [7, 9]
// CHECK-NEXT: {{\[}}8, 7, 6, 7, 8, 9, 10, 11, 10]
// CHECK-NEXT: {{\[}}2, 1, 0, 1, 2, 3, 4, 5, 4]
// CHECK-NEXT: {{\[}}8, 7, 6, 7, 8, 9, 10, 11, 10]
// CHECK-NEXT: {{\[}}14, 13, 12, 13, 14, 15, 16, 17, 16]
// CHECK-NEXT: {{\[}}20, 19, 18, 19, 20, 21, 22, 23, 22]
// CHECK-NEXT: {{\[}}14, 13, 12, 13, 14, 15, 16, 17, 16]
// CHECK-NEXT: {{\[}}8, 7, 6, 7, 8, 9, 10, 11, 10]
// Pad edge
// CHECK: rank = 2 offset = 0 sizes = [7, 9]
// CHECK-NEXT: {{\[}}0, 0, 0, 1, 2, 3, 4, 5, 5]
// CHECK-NEXT: {{\[}}0, 0, 0, 1, 2, 3, 4, 5, 5]
// CHECK-NEXT: {{\[}}6, 6, 6, 7, 8, 9, 10, 11, 11]
// CHECK-NEXT: {{\[}}12, 12, 12, 13, 14, 15, 16, 17, 17]
// CHECK-NEXT: {{\[}}18, 18, 18, 19, 20, 21, 22, 23, 23]
// CHECK-NEXT: {{\[}}18, 18, 18, 19, 20, 21, 22, 23, 23]
// CHECK-NEXT: {{\[}}18, 18, 18, 19, 20, 21, 22, 23, 23]
// Tile [2, 1]
// CHECK: rank = 2 offset = 0 sizes = [8, 6]
// CHECK-NEXT: {{\[}}0, 1, 2, 3, 4, 5]
// CHECK-NEXT: {{\[}}6, 7, 8, 9, 10, 11]
// CHECK-NEXT: {{\[}}12, 13, 14, 15, 16, 17]
// CHECK-NEXT: {{\[}}18, 19, 20, 21, 22, 23]
// CHECK-NEXT: {{\[}}0, 1, 2, 3, 4, 5]
// CHECK-NEXT: {{\[}}6, 7, 8, 9, 10, 11]
// CHECK-NEXT: {{\[}}12, 13, 14, 15, 16, 17]
// CHECK-NEXT: {{\[}}18, 19, 20, 21, 22, 23]
// Resize nearest, asymmetric + floor, scales [1, 1, 2, 1.5] (torch "nearest")
// CHECK: rank = 4 offset = 0 sizes = [1, 2, 6, 6]
// CHECK-NEXT: {{\[}}-1.61, -1.61, -1.12, 1.65, 1.65, 1.51]
// CHECK-NEXT: {{\[}}-1.61, -1.61, -1.12, 1.65, 1.65, 1.51]
// CHECK-NEXT: {{\[}}1.32, 1.32, 0.88, -0.7, -0.7, -1.69]
// CHECK-NEXT: {{\[}}1.32, 1.32, 0.88, -0.7, -0.7, -1.69]
// CHECK-NEXT: {{\[}}0.92, 0.92, -1.3, 0.78, 0.78, 1.1]
// CHECK-NEXT: {{\[}}0.92, 0.92, -1.3, 0.78, 0.78, 1.1]
// CHECK-NEXT: {{\[}}-0.48, -0.48, -1.79, 0.51, 0.51, -0.33]
// CHECK-NEXT: {{\[}}-0.48, -0.48, -1.79, 0.51, 0.51, -0.33]
// CHECK-NEXT: {{\[}}-1.75, -1.75, -0.4, 1.71, 1.71, -1.16]
// CHECK-NEXT: {{\[}}-1.75, -1.75, -0.4, 1.71, 1.71, -1.16]
// CHECK-NEXT: {{\[}}1.45, 1.45, -0.11, 0.48, 0.48, -0.9]
// CHECK-NEXT: {{\[}}1.45, 1.45, -0.11, 0.48, 0.48, -0.9]
// Resize linear, half_pixel, sizes [1, 2, 5, 7] (torch bilinear, align_corners=False), printed as floor(y * 1000 + 0.5)
// CHECK: rank = 4 offset = 0 sizes = [1, 2, 5, 7]
// CHECK-NEXT: {{\[}}-1610, -1435, -1155, 265, 1640, 1560, 1510]
// CHECK-NEXT: {{\[}}-438, -396, -328, 195, 676, 401, 230]
// CHECK-NEXT: {{\[}}1320, 1163, 911, 90, -771, -1336, -1690]
// CHECK-NEXT: {{\[}}1080, 541, -320, -120, 173, 57, -16]
// CHECK-NEXT: {{\[}}920, 127, -1141, -260, 803, 986, 1100]
// CHECK-NEXT: {{\[}}-480, -948, -1696, -640, 450, -30, -330]
// CHECK-NEXT: {{\[}}-988, -1076, -1216, -122, 872, -72, -662]
// CHECK-NEXT: {{\[}}-1750, -1268, -496, 655, 1505, -135, -1160]
// CHECK-NEXT: {{\[}}170, 29, -198, 373, 831, -298, -1004]
// CHECK-NEXT: {{\[}}1450, 893, 1, 185, 381, -407, -900]
// Resize linear, align_corners (torch bilinear, align_corners=True), printed as floor(y * 2000 + 0.5)
// CHECK: rank = 4 offset = 0 sizes = [1, 2, 5, 7]
// CHECK-NEXT: {{\[}}-3220, -2730, -2240, 530, 3300, 3160, 3020]
// CHECK-NEXT: {{\[}}-290, -265, -240, 355, 950, 385, -180]
// CHECK-NEXT: {{\[}}2640, 2200, 1760, 180, -1400, -2390, -3380]
// CHECK-NEXT: {{\[}}2240, 910, -420, -170, 80, -255, -590]
// CHECK-NEXT: {{\[}}1840, -380, -2600, -520, 1560, 1880, 2200]
// CHECK-NEXT: {{\[}}-960, -2270, -3580, -1280, 1020, 180, -660]
// CHECK-NEXT: {{\[}}-2230, -2210, -2190, 15, 2220, 365, -1490]
// CHECK-NEXT: {{\[}}-3500, -2150, -800, 1310, 3420, 550, -2320]
// CHECK-NEXT: {{\[}}-300, -405, -510, 840, 2190, 65, -2060]
// CHECK-NEXT: {{\[}}2900, 1340, -220, 370, 960, -420, -1800]
// Resize nearest, half_pixel + round_prefer_ceil (torch "nearest-exact")
// CHECK: rank = 4 offset = 0 sizes = [1, 2, 5, 7]
// CHECK-NEXT: {{\[}}-1.61, -1.61, -1.12, 1.65, 1.65, 1.51, 1.51]
// CHECK-NEXT: {{\[}}-1.61, -1.61, -1.12, 1.65, 1.65, 1.51, 1.51]
// CHECK-NEXT: {{\[}}1.32, 1.32, 0.88, -0.7, -0.7, -1.69, -1.69]
// CHECK-NEXT: {{\[}}0.92, 0.92, -1.3, 0.78, 0.78, 1.1, 1.1]
// CHECK-NEXT: {{\[}}0.92, 0.92, -1.3, 0.78, 0.78, 1.1, 1.1]
// CHECK-NEXT: {{\[}}-0.48, -0.48, -1.79, 0.51, 0.51, -0.33, -0.33]
// CHECK-NEXT: {{\[}}-0.48, -0.48, -1.79, 0.51, 0.51, -0.33, -0.33]
// CHECK-NEXT: {{\[}}-1.75, -1.75, -0.4, 1.71, 1.71, -1.16, -1.16]
// CHECK-NEXT: {{\[}}1.45, 1.45, -0.11, 0.48, 0.48, -0.9, -0.9]
// CHECK-NEXT: {{\[}}1.45, 1.45, -0.11, 0.48, 0.48, -0.9, -0.9]

func.func private @printMemrefF32(memref<*xf32>)
func.func private @printMemrefI64(memref<*xi64>)

func.func @main() {
  %c0 = graph.constant dense<[[0.4699999988079071, 0.03999999910593033, 1.7799999713897705], [-0.019999999552965164, -0.10999999940395355, 0.3100000023841858], [-0.7900000214576721, 1.5299999713897705, 0.09000000357627869], [0.20000000298023224, -1.1200000047683716, 0.1899999976158142], [0.09000000357627869, -1.0299999713897705, -0.28999999165534973]]> : tensor<5x3xf32>
  %c1 = graph.constant dense<[[0, -1], [-5, 3]]> : tensor<2x2xi64>
  %ga = graph.Gather(%c0, %c1) : (tensor<5x3xf32>, tensor<2x2xi64>) -> tensor<2x2x3xf32>
  %m2 = bufferization.to_buffer %ga : tensor<2x2x3xf32> to memref<2x2x3xf32>
  %u2 = memref.cast %m2 : memref<2x2x3xf32> to memref<*xf32>
  func.call @printMemrefF32(%u2) : (memref<*xf32>) -> ()
  %c3 = graph.constant dense<[[2, -1], [0, 0], [-3, 1], [1, 2], [0, -2]]> : tensor<5x2xi64>
  %ge = graph.GatherElements(%c0, %c3) {axis = 1 : i64} : (tensor<5x3xf32>, tensor<5x2xi64>) -> tensor<5x2xf32>
  %m4 = bufferization.to_buffer %ge : tensor<5x2xf32> to memref<5x2xf32>
  %u4 = memref.cast %m4 : memref<5x2xf32> to memref<*xf32>
  func.call @printMemrefF32(%u4) : (memref<*xf32>) -> ()
  %c5 = graph.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 8.0, 9.0, 10.0, 11.0], [12.0, 13.0, 14.0, 15.0, 16.0, 17.0], [18.0, 19.0, 20.0, 21.0, 22.0, 23.0]]> : tensor<4x6xf32>
  %c6 = graph.constant dense<[-1, 5]> : tensor<2xi64>
  %c7 = graph.constant dense<[-100, 0]> : tensor<2xi64>
  %c8 = graph.constant dense<[0, 1]> : tensor<2xi64>
  %c9 = graph.constant dense<[-2, -2]> : tensor<2xi64>
  %sl = graph.Slice(%c5, %c6, %c7, %c8, %c9) : (tensor<4x6xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<2x3xf32>
  %m10 = bufferization.to_buffer %sl : tensor<2x3xf32> to memref<2x3xf32>
  %u10 = memref.cast %m10 : memref<2x3xf32> to memref<*xf32>
  func.call @printMemrefF32(%u10) : (memref<*xf32>) -> ()
  %c11 = graph.constant dense<[1, 2, 2, 1]> : tensor<4xi64>
  %nn = graph.none
  %pr = graph.Pad(%c5, %c11, %nn) {mode = "reflect"} : (tensor<4x6xf32>, tensor<4xi64>, none) -> tensor<7x9xf32>
  %m12 = bufferization.to_buffer %pr : tensor<7x9xf32> to memref<7x9xf32>
  %u12 = memref.cast %m12 : memref<7x9xf32> to memref<*xf32>
  func.call @printMemrefF32(%u12) : (memref<*xf32>) -> ()
  %pe = graph.Pad(%c5, %c11, %nn) {mode = "edge"} : (tensor<4x6xf32>, tensor<4xi64>, none) -> tensor<7x9xf32>
  %m13 = bufferization.to_buffer %pe : tensor<7x9xf32> to memref<7x9xf32>
  %u13 = memref.cast %m13 : memref<7x9xf32> to memref<*xf32>
  func.call @printMemrefF32(%u13) : (memref<*xf32>) -> ()
  %c14 = graph.constant dense<[2, 1]> : tensor<2xi64>
  %ti = graph.Tile(%c5, %c14) : (tensor<4x6xf32>, tensor<2xi64>) -> tensor<8x6xf32>
  %m15 = bufferization.to_buffer %ti : tensor<8x6xf32> to memref<8x6xf32>
  %u15 = memref.cast %m15 : memref<8x6xf32> to memref<*xf32>
  func.call @printMemrefF32(%u15) : (memref<*xf32>) -> ()
  %rn = graph.none
  %c16 = graph.constant dense<[[[[-1.6100000143051147, -1.1200000047683716, 1.649999976158142, 1.5099999904632568], [1.3200000524520874, 0.8799999952316284, -0.699999988079071, -1.690000057220459], [0.9200000166893005, -1.2999999523162842, 0.7799999713897705, 1.100000023841858]], [[-0.47999998927116394, -1.7899999618530273, 0.5099999904632568, -0.33000001311302185], [-1.75, -0.4000000059604645, 1.7100000381469727, -1.159999966621399], [1.4500000476837158, -0.10999999940395355, 0.47999998927116394, -0.8999999761581421]]]]> : tensor<1x2x3x4xf32>
  %c17 = graph.constant dense<[1.0, 1.0, 2.0, 1.5]> : tensor<4xf32>
  %r1 = graph.Resize(%c16, %rn, %c17, %rn) {coordinate_transformation_mode = "asymmetric", nearest_mode = "floor"} : (tensor<1x2x3x4xf32>, none, tensor<4xf32>, none) -> tensor<1x2x6x6xf32>
  %m18 = bufferization.to_buffer %r1 : tensor<1x2x6x6xf32> to memref<1x2x6x6xf32>
  %u18 = memref.cast %m18 : memref<1x2x6x6xf32> to memref<*xf32>
  func.call @printMemrefF32(%u18) : (memref<*xf32>) -> ()
  %c19 = graph.constant dense<[[[[-1.6100000143051147, -1.1200000047683716, 1.649999976158142, 1.5099999904632568], [1.3200000524520874, 0.8799999952316284, -0.699999988079071, -1.690000057220459], [0.9200000166893005, -1.2999999523162842, 0.7799999713897705, 1.100000023841858]], [[-0.47999998927116394, -1.7899999618530273, 0.5099999904632568, -0.33000001311302185], [-1.75, -0.4000000059604645, 1.7100000381469727, -1.159999966621399], [1.4500000476837158, -0.10999999940395355, 0.47999998927116394, -0.8999999761581421]]]]> : tensor<1x2x3x4xf32>
  %c20 = graph.constant dense<[1, 2, 5, 7]> : tensor<4xi64>
  %r2 = graph.Resize(%c19, %rn, %rn, %c20) {mode = "linear"} : (tensor<1x2x3x4xf32>, none, none, tensor<4xi64>) -> tensor<1x2x5x7xf32>
  %c21 = graph.constant dense<1000.0> : tensor<f32>
  %c22 = graph.constant dense<0.5> : tensor<f32>
  %q23a = graph.Mul(%r2, %c21) : (tensor<1x2x5x7xf32>, tensor<f32>) -> tensor<1x2x5x7xf32>
  %q23b = graph.Add(%q23a, %c22) : (tensor<1x2x5x7xf32>, tensor<f32>) -> tensor<1x2x5x7xf32>
  %q23 = graph.Floor(%q23b) : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %m24 = bufferization.to_buffer %q23 : tensor<1x2x5x7xf32> to memref<1x2x5x7xf32>
  %u24 = memref.cast %m24 : memref<1x2x5x7xf32> to memref<*xf32>
  func.call @printMemrefF32(%u24) : (memref<*xf32>) -> ()
  %r3 = graph.Resize(%c19, %rn, %rn, %c20) {mode = "linear", coordinate_transformation_mode = "align_corners"} : (tensor<1x2x3x4xf32>, none, none, tensor<4xi64>) -> tensor<1x2x5x7xf32>
  %c25 = graph.constant dense<2000.0> : tensor<f32>
  %c26 = graph.constant dense<0.5> : tensor<f32>
  %q27a = graph.Mul(%r3, %c25) : (tensor<1x2x5x7xf32>, tensor<f32>) -> tensor<1x2x5x7xf32>
  %q27b = graph.Add(%q27a, %c26) : (tensor<1x2x5x7xf32>, tensor<f32>) -> tensor<1x2x5x7xf32>
  %q27 = graph.Floor(%q27b) : (tensor<1x2x5x7xf32>) -> tensor<1x2x5x7xf32>
  %m28 = bufferization.to_buffer %q27 : tensor<1x2x5x7xf32> to memref<1x2x5x7xf32>
  %u28 = memref.cast %m28 : memref<1x2x5x7xf32> to memref<*xf32>
  func.call @printMemrefF32(%u28) : (memref<*xf32>) -> ()
  %r4 = graph.Resize(%c19, %rn, %rn, %c20) {nearest_mode = "round_prefer_ceil"} : (tensor<1x2x3x4xf32>, none, none, tensor<4xi64>) -> tensor<1x2x5x7xf32>
  %m29 = bufferization.to_buffer %r4 : tensor<1x2x5x7xf32> to memref<1x2x5x7xf32>
  %u29 = memref.cast %m29 : memref<1x2x5x7xf32> to memref<*xf32>
  func.call @printMemrefF32(%u29) : (memref<*xf32>) -> ()
  return
}
