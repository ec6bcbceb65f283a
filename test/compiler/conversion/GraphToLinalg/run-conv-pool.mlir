// RUN: sinter-opt %s --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg),one-shot-bufferize{bufferize-function-boundaries},func.func(convert-linalg-to-loops),expand-strided-metadata,lower-affine,convert-scf-to-cf,convert-math-to-llvm,convert-math-to-libm,convert-arith-to-llvm,convert-index-to-llvm,finalize-memref-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,reconcile-unrealized-casts)' \
// RUN: | mlir-runner -e main -entry-point-result=void --shared-libs=/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so,/usr/lib/llvm-22/lib/libmlir_runner_utils.so \
// RUN: | FileCheck %s
//
// Numeric check of the graph -> linalg lowering: lower, bufferize, run on the CPU with mlir-runner.
// Conv (depthwise 1-D with causal padding, grouped, 2-D SAME_UPPER), MaxPool, AveragePool, ConvTranspose.
// Expected values: computed independently in float64 with numpy (numpy.fft for DFT, numpy.einsum; torch
// interpolate for Resize, torch-cross-checked scatter loops for ConvTranspose) from the ONNX operator
// definitions on the same inputs, by a generator script (not the lowering), written as printMemref prints
// them (%g). Results that carry float32 roundoff are quantized in the test itself to floor(y * S + 0.5), with
// S picked so that the largest |y| * S is ~1e3-1e5 and no y * S lies within 0.02 of a rounding boundary;
// exact results (gathers, slices, pads, max pools, argmax) are printed as they are.
// Causal depthwise Conv1d (group = channels, pads [K-1, 0]) with bias, printed as floor(y * 1750 + 0.5)
// CHECK: rank = 3 offset = 0 sizes = [1, 3, 8]
// CHECK-NEXT: {{\[}}-3310, -440, -4697, 8027, -5228, 9169, -4173, 8147]
// CHECK-NEXT: {{\[}}-1034, 4453, 609, 1471, 8931, 98, 1720, 2862]
// CHECK-NEXT: {{\[}}-2772, -4428, -4741, -8427, 1567, 1892, -2561, -6484]
// Grouped Conv1d: group 2, stride 2, dilation 2, pads [1, 1], printed as floor(y * 2000 + 0.5)
// CHECK: rank = 3 offset = 0 sizes = [1, 6, 5]
// CHECK-NEXT: {{\[}}-2079, 3199, 5524, -5875, -4558]
// CHECK-NEXT: {{\[}}-663, -10556, -3421, 14882, 7622]
// CHECK-NEXT: {{\[}}3079, 14459, -8351, -7979, -1523]
// CHECK-NEXT: {{\[}}-1991, -1638, -3653, 1695, -2205]
// CHECK-NEXT: {{\[}}1642, 4867, 113, -2680, -1880]
// CHECK-NEXT: {{\[}}-961, 1030, 4290, 3972, -689]
// Conv2d SAME_UPPER stride 2 with bias, printed as floor(y * 150 + 0.5)
// CHECK: rank = 4 offset = 0 sizes = [1, 3, 2, 2]
// CHECK-NEXT: {{\[}}1064, -1326]
// CHECK-NEXT: {{\[}}-520, -839]
// CHECK-NEXT: {{\[}}1734, -255]
// CHECK-NEXT: {{\[}}1010, 18]
// CHECK-NEXT: {{\[}}-12, 258]
// CHECK-NEXT: {{\[}}-67, 414]
// MaxPool 3x3, stride 2, pads 1
// CHECK: rank = 4 offset = 0 sizes = [1, 2, 3, 3]
// CHECK-NEXT: {{\[}}1.79, 1.4, 1.15]
// CHECK-NEXT: {{\[}}1.79, 1.11, 1.33]
// CHECK-NEXT: {{\[}}1.13, 1.68, 1.33]
// CHECK-NEXT: {{\[}}0.22, 0.73, -0.11]
// CHECK-NEXT: {{\[}}0.22, 1.65, 1.65]
// CHECK-NEXT: {{\[}}1.77, 1.77, 1.57]
// MaxPool 2x2, stride 2, ceil_mode (partial last windows)
// CHECK: rank = 4 offset = 0 sizes = [1, 2, 3, 3]
// CHECK-NEXT: {{\[}}1.79, 1.4, 0.16]
// CHECK-NEXT: {{\[}}1.13, 1.11, 1.33]
// CHECK-NEXT: {{\[}}0.87, 1.68, 0.45]
// CHECK-NEXT: {{\[}}0.22, 0.73, -0.7]
// CHECK-NEXT: {{\[}}-0.25, 1.65, 1.57]
// CHECK-NEXT: {{\[}}1.77, -1.04, 1.46]
// AveragePool 3x3, stride 2, pads 1, count_include_pad 0, printed as floor(y * 10000 + 0.5)
// CHECK: rank = 4 offset = 0 sizes = [1, 2, 3, 3]
// CHECK-NEXT: {{\[}}7800, 2667, -2825]
// CHECK-NEXT: {{\[}}967, -4222, -6383]
// CHECK-NEXT: {{\[}}-1550, -5250, -1975]
// CHECK-NEXT: {{\[}}-3000, -2033, -9000]
// CHECK-NEXT: {{\[}}-6733, -3189, 1183]
// CHECK-NEXT: {{\[}}2200, -1800, 5850]
// AveragePool 3x3, stride 2, pads 1, count_include_pad 1, printed as floor(y * 10000 + 0.5)
// CHECK: rank = 4 offset = 0 sizes = [1, 2, 3, 3]
// CHECK-NEXT: {{\[}}3467, 1778, -1256]
// CHECK-NEXT: {{\[}}644, -4222, -4256]
// CHECK-NEXT: {{\[}}-689, -3500, -878]
// CHECK-NEXT: {{\[}}-1333, -1356, -4000]
// CHECK-NEXT: {{\[}}-4489, -3189, 789]
// CHECK-NEXT: {{\[}}978, -1200, 2600]
// ConvTranspose 1-D: group 2, stride 2, pads [1, 2], output_padding 1, bias, printed as floor(y * 2000 + 0.5)
// CHECK: rank = 3 offset = 0 sizes = [1, 6, 9]
// CHECK-NEXT: {{\[}}4459, 7211, 3125, -6364, 6134, 4680, -5590, -1846, 2715]
// CHECK-NEXT: {{\[}}366, 3477, 10852, -8067, 9582, 5931, 6139, -3465, 9014]
// CHECK-NEXT: {{\[}}-7304, -3842, 2082, -2973, -2814, 8738, 10159, -4825, 1287]
// CHECK-NEXT: {{\[}}-2659, 1850, 3944, 5047, 2524, 4874, 10009, 6020, 330]
// CHECK-NEXT: {{\[}}5298, -4565, 4901, 4424, 8098, -5744, 4364, 12722, 5383]
// CHECK-NEXT: {{\[}}-2177, 5760, -5234, 3169, -6415, 3174, -7940, -5348, -3717]
// ConvTranspose 2-D: strides [2, 1], dilations [1, 2], no bias, printed as floor(y * 2000 + 0.5)
// CHECK: rank = 4 offset = 0 sizes = [1, 2, 6, 7]
// CHECK-NEXT: {{\[}}-2230, 676, -1423, -195, 1036, 1515, -2201]
// CHECK-NEXT: {{\[}}7234, -2206, -5307, 1616, 1223, -95, -2776]
// CHECK-NEXT: {{\[}}-1392, -2402, -4011, -4101, -1850, -3098, -4768]
// CHECK-NEXT: {{\[}}4498, 7741, 4109, -5279, -3855, 2970, 540]
// CHECK-NEXT: {{\[}}-1874, 115, 174, 1618, -8548, -530, 908]
// CHECK-NEXT: {{\[}}6118, -341, -2835, 116, -686, -923, 2505]
// CHECK-NEXT: {{\[}}3076, -1289, 8838, -2285, 3592, -1200, 7001]
// CHECK-NEXT: {{\[}}-5832, 1978, -6602, 1487, 1372, 602, -5473]
// CHECK-NEXT: {{\[}}1455, 1961, 7399, 5266, 6592, -2554, 3344]
// CHECK-NEXT: {{\[}}-3367, -5486, -9757, -6034, -3758, 3148, -1516]
// CHECK-NEXT: {{\[}}3667, 684, 5037, 594, 2747, 2144, -5341]
// CHECK-NEXT: {{\[}}-5537, -195, -4238, 511, -3729, -1719, 4403]

func.func private @printMemrefF32(memref<*xf32>)
func.func private @printMemrefI64(memref<*xi64>)

func.func @main() {
  %c0 = graph.constant dense<[[[-1.190000057220459, 0.25999999046325684, -0.47999998927116394, 1.2300000190734863, -1.4900000095367432, 1.809999942779541, 0.9200000166893005, -1.2999999523162842], [0.7699999809265137, -1.6299999952316284, 0.23000000417232513, -1.590000033378601, -1.8300000429153442, -0.4300000071525574, 0.7599999904632568, 0.9100000262260437], [0.6800000071525574, 0.3700000047683716, 1.5199999809265137, 0.15000000596046448, -1.6100000143051147, -1.4299999475479126, 1.850000023841858, 1.190000057220459]]]> : tensor<1x3x8xf32>
  %c1 = graph.constant dense<[[[-1.9700000286102295, 1.7799999713897705, 0.6200000047683716, 1.6399999856948853]], [[-1.3899999856948853, 0.3499999940395355, 0.019999999552965164, -1.2999999523162842]], [[-1.75, 0.6600000262260437, -1.8700000047683716, -1.0499999523162842]]]> : tensor<3x1x4xf32>
  %c2 = graph.constant dense<[0.05999999865889549, 0.4099999964237213, -0.8700000047683716]> : tensor<3xf32>
  %cv = graph.Conv(%c0, %c1, %c2) {group = 3 : i64, pads = array<i64: 3, 0>} : (tensor<1x3x8xf32>, tensor<3x1x4xf32>, tensor<3xf32>) -> tensor<1x3x8xf32>
  %c3 = graph.constant dense<1750.0> : tensor<f32>
  %c4 = graph.constant dense<0.5> : tensor<f32>
  %q5a = graph.Mul(%cv, %c3) : (tensor<1x3x8xf32>, tensor<f32>) -> tensor<1x3x8xf32>
  %q5b = graph.Add(%q5a, %c4) : (tensor<1x3x8xf32>, tensor<f32>) -> tensor<1x3x8xf32>
  %q5 = graph.Floor(%q5b) : (tensor<1x3x8xf32>) -> tensor<1x3x8xf32>
  %m6 = bufferization.to_buffer %q5 : tensor<1x3x8xf32> to memref<1x3x8xf32>
  %u6 = memref.cast %m6 : memref<1x3x8xf32> to memref<*xf32>
  func.call @printMemrefF32(%u6) : (memref<*xf32>) -> ()
  %c7 = graph.constant dense<[[[1.3700000047683716, 1.5800000429153442, 0.8899999856948853, 1.7100000381469727, -1.7599999904632568, -1.7999999523162842, -1.5, -1.5099999904632568, 0.11999999731779099], [1.649999976158142, -1.2699999809265137, 1.9700000286102295, 1.5199999809265137, -0.7099999785423279, -1.2300000190734863, -0.009999999776482582, -0.7400000095367432, -1.8799999952316284], [-1.6299999952316284, 0.36000001430511475, 0.5400000214576721, 1.8700000047683716, -1.940000057220459, 0.9300000071525574, 0.5299999713897705, 0.009999999776482582, -1.5199999809265137], [1.4299999475479126, 0.8100000023841858, 0.27000001072883606, 1.9199999570846558, -1.6399999856948853, 0.9100000262260437, -0.05000000074505806, -0.8799999952316284, 1.5399999618530273]]]> : tensor<1x4x9xf32>
  %c8 = graph.constant dense<[[[1.2300000190734863, -0.23999999463558197], [0.5699999928474426, 0.5199999809265137]], [[-1.9700000286102295, -1.1100000143051147], [-1.1299999952316284, -1.1200000047683716]], [[0.9599999785423279, 1.7699999809265137], [-0.9300000071525574, 0.9900000095367432]], [[-1.9900000095367432, 1.2400000095367432], [1.2300000190734863, -1.7799999713897705]], [[-1.600000023841858, 0.20999999344348907], [1.0499999523162842, 0.9200000166893005]], [[0.7300000190734863, 1.0499999523162842], [0.4000000059604645, -1.059999942779541]]]> : tensor<6x2x2xf32>
  %n = graph.none
  %gc = graph.Conv(%c7, %c8, %n) {group = 2 : i64, strides = array<i64: 2>, dilations = array<i64: 2>, pads = array<i64: 1, 1>} : (tensor<1x4x9xf32>, tensor<6x2x2xf32>, none) -> tensor<1x6x5xf32>
  %c9 = graph.constant dense<2000.0> : tensor<f32>
  %c10 = graph.constant dense<0.5> : tensor<f32>
  %q11a = graph.Mul(%gc, %c9) : (tensor<1x6x5xf32>, tensor<f32>) -> tensor<1x6x5xf32>
  %q11b = graph.Add(%q11a, %c10) : (tensor<1x6x5xf32>, tensor<f32>) -> tensor<1x6x5xf32>
  %q11 = graph.Floor(%q11b) : (tensor<1x6x5xf32>) -> tensor<1x6x5xf32>
  %m12 = bufferization.to_buffer %q11 : tensor<1x6x5xf32> to memref<1x6x5xf32>
  %u12 = memref.cast %m12 : memref<1x6x5xf32> to memref<*xf32>
  func.call @printMemrefF32(%u12) : (memref<*xf32>) -> ()
  %c13 = graph.constant dense<[[[[-1.8899999856948853, 1.649999976158142, -0.3400000035762787, 0.8899999856948853], [-0.9399999976158142, 1.9199999570846558, -1.2899999618530273, -1.809999942779541], [-0.019999999552965164, -0.5199999809265137, 0.6200000047683716, -2.0], [-1.4299999475479126, 1.440000057220459, 0.7300000190734863, -0.6700000166893005]], [[-1.899999976158142, -1.8300000429153442, -0.4399999976158142, 1.7699999809265137], [1.6699999570846558, -0.7400000095367432, -0.5099999904632568, -0.9300000071525574], [-1.4299999475479126, 0.3700000047683716, -0.15000000596046448, 1.340000033378601], [-0.019999999552965164, -1.9299999475479126, -0.25, -1.4600000381469727]]]]> : tensor<1x2x4x4xf32>
  %c14 = graph.constant dense<[[[[-0.6700000166893005, 0.009999999776482582, 0.17000000178813934], [0.7799999713897705, 1.8600000143051147, -0.5], [1.0199999809265137, 0.10999999940395355, 1.4600000381469727]], [[0.23999999463558197, -0.4699999988079071, -0.0], [0.11999999731779099, 1.940000057220459, -1.75], [-1.8200000524520874, -1.2200000286102295, -1.9800000190734863]]], [[[-1.5800000429153442, -0.41999998688697815, -1.1799999475479126], [-0.07000000029802322, 1.3799999952316284, 0.550000011920929], [1.0700000524520874, 1.3200000524520874, -1.4900000095367432]], [[-1.8200000524520874, -0.20999999344348907, -0.12999999523162842], [1.840000033378601, -0.9700000286102295, -0.2199999988079071], [0.23999999463558197, 1.399999976158142, -1.5]]], [[[1.7100000381469727, 0.3199999928474426, -0.15000000596046448], [-0.23000000417232513, -1.7999999523162842, -0.8999999761581421], [0.47999998927116394, 1.6799999475479126, 1.6799999475479126]], [[-0.9800000190734863, 0.14000000059604645, -0.7799999713897705], [-0.5299999713897705, -0.6000000238418579, -0.27000001072883606], [-1.9900000095367432, -0.18000000715255737, -0.7400000095367432]]]]> : tensor<3x2x3x3xf32>
  %c15 = graph.constant dense<[-0.949999988079071, 0.28999999165534973, -0.03999999910593033]> : tensor<3xf32>
  %cc2 = graph.Conv(%c13, %c14, %c15) {auto_pad = "SAME_UPPER", strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) -> tensor<1x3x2x2xf32>
  %c16 = graph.constant dense<150.0> : tensor<f32>
  %c17 = graph.constant dense<0.5> : tensor<f32>
  %q18a = graph.Mul(%cc2, %c16) : (tensor<1x3x2x2xf32>, tensor<f32>) -> tensor<1x3x2x2xf32>
  %q18b = graph.Add(%q18a, %c17) : (tensor<1x3x2x2xf32>, tensor<f32>) -> tensor<1x3x2x2xf32>
  %q18 = graph.Floor(%q18b) : (tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %m19 = bufferization.to_buffer %q18 : tensor<1x3x2x2xf32> to memref<1x3x2x2xf32>
  %u19 = memref.cast %m19 : memref<1x3x2x2xf32> to memref<*xf32>
  func.call @printMemrefF32(%u19) : (memref<*xf32>) -> ()
  %c20 = graph.constant dense<[[[[0.8799999952316284, -0.14000000059604645, 1.399999976158142, 1.149999976158142, 0.1599999964237213], [1.7899999618530273, 0.5899999737739563, -0.3100000023841858, -1.090000033378601, -1.350000023841858], [-0.5799999833106995, -1.0199999809265137, -0.12999999523162842, 1.1100000143051147, -1.850000023841858], [1.1299999952316284, -1.3300000429153442, 0.36000001430511475, -1.9800000190734863, 1.3300000429153442], [0.8700000047683716, -1.2899999618530273, 1.6799999475479126, -0.5899999737739563, 0.44999998807907104]], [[-1.1399999856948853, -0.009999999776482582, 0.7300000190734863, -1.2100000381469727, -0.699999988079071], [-0.27000001072883606, 0.2199999988079071, -0.8399999737739563, -0.10999999940395355, -1.5800000429153442], [-0.25, -1.9199999570846558, -1.2799999713897705, 1.649999976158142, -1.1699999570846558], [-0.5400000214576721, -1.2799999713897705, 0.3400000035762787, 0.3499999940395355, 1.5700000524520874], [0.9300000071525574, 1.7699999809265137, -1.2200000286102295, -1.0399999618530273, 1.4600000381469727]]]]> : tensor<1x2x5x5xf32>
  %mp, %mpi = graph.MaxPool(%c20) {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>) -> (tensor<1x2x3x3xf32>, none)
  %m21 = bufferization.to_buffer %mp : tensor<1x2x3x3xf32> to memref<1x2x3x3xf32>
  %u21 = memref.cast %m21 : memref<1x2x3x3xf32> to memref<*xf32>
  func.call @printMemrefF32(%u21) : (memref<*xf32>) -> ()
  %mc, %mci = graph.MaxPool(%c20) {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = 1 : i64} : (tensor<1x2x5x5xf32>) -> (tensor<1x2x3x3xf32>, none)
  %m22 = bufferization.to_buffer %mc : tensor<1x2x3x3xf32> to memref<1x2x3x3xf32>
  %u22 = memref.cast %m22 : memref<1x2x3x3xf32> to memref<*xf32>
  func.call @printMemrefF32(%u22) : (memref<*xf32>) -> ()
  %ap0 = graph.AveragePool(%c20) {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>, count_include_pad = 0 : i64} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  %c23 = graph.constant dense<10000.0> : tensor<f32>
  %c24 = graph.constant dense<0.5> : tensor<f32>
  %q25a = graph.Mul(%ap0, %c23) : (tensor<1x2x3x3xf32>, tensor<f32>) -> tensor<1x2x3x3xf32>
  %q25b = graph.Add(%q25a, %c24) : (tensor<1x2x3x3xf32>, tensor<f32>) -> tensor<1x2x3x3xf32>
  %q25 = graph.Floor(%q25b) : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %m26 = bufferization.to_buffer %q25 : tensor<1x2x3x3xf32> to memref<1x2x3x3xf32>
  %u26 = memref.cast %m26 : memref<1x2x3x3xf32> to memref<*xf32>
  func.call @printMemrefF32(%u26) : (memref<*xf32>) -> ()
  %ap1 = graph.AveragePool(%c20) {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>, count_include_pad = 1 : i64} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  %c27 = graph.constant dense<10000.0> : tensor<f32>
  %c28 = graph.constant dense<0.5> : tensor<f32>
  %q29a = graph.Mul(%ap1, %c27) : (tensor<1x2x3x3xf32>, tensor<f32>) -> tensor<1x2x3x3xf32>
  %q29b = graph.Add(%q29a, %c28) : (tensor<1x2x3x3xf32>, tensor<f32>) -> tensor<1x2x3x3xf32>
  %q29 = graph.Floor(%q29b) : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %m30 = bufferization.to_buffer %q29 : tensor<1x2x3x3xf32> to memref<1x2x3x3xf32>
  %u30 = memref.cast %m30 : memref<1x2x3x3xf32> to memref<*xf32>
  func.call @printMemrefF32(%u30) : (memref<*xf32>) -> ()
  %c31 = graph.constant dense<[[[1.4800000190734863, -1.4600000381469727, -0.550000011920929, -1.9500000476837158, -1.0700000524520874], [-0.6200000047683716, -0.7699999809265137, -1.5199999809265137, 1.809999942779541, -0.5699999928474426], [-0.10999999940395355, 0.7799999713897705, 1.2599999904632568, 1.559999942779541, 0.3499999940395355], [1.5399999618530273, 0.2199999988079071, 1.1799999475479126, -1.0299999713897705, 1.0]]]> : tensor<1x4x5xf32>
  %c32 = graph.constant dense<[[[-0.9599999785423279, 0.3100000023841858, 1.7400000095367432], [0.46000000834465027, -1.7200000286102295, 1.5700000524520874], [0.07999999821186066, -1.659999966621399, -0.5]], [[0.9300000071525574, -1.6299999952316284, 0.6700000166893005], [1.9900000095367432, -1.2400000095367432, 0.550000011920929], [1.690000057220459, 1.25, -1.059999942779541]], [[0.6399999856948853, 1.5, 0.7200000286102295], [-1.309999942779541, 1.2899999618530273, 1.3700000047683716], [1.5, -1.5099999904632568, -0.44999998807907104]], [[0.10000000149011612, -1.4900000095367432, -0.41999998688697815], [1.659999966621399, 1.0199999809265137, -1.75], [0.9300000071525574, 0.14000000059604645, 1.899999976158142]]]> : tensor<4x3x3xf32>
  %c33 = graph.constant dense<[0.7599999904632568, 1.9600000381469727, -0.41999998688697815, 1.1299999952316284, 1.2200000286102295, -1.4700000286102295]> : tensor<6xf32>
  %ct = graph.ConvTranspose(%c31, %c32, %c33) {group = 2 : i64, strides = array<i64: 2>, pads = array<i64: 1, 2>, output_padding = array<i64: 1>} : (tensor<1x4x5xf32>, tensor<4x3x3xf32>, tensor<6xf32>) -> tensor<1x6x9xf32>
  %c34 = graph.constant dense<2000.0> : tensor<f32>
  %c35 = graph.constant dense<0.5> : tensor<f32>
  %q36a = graph.Mul(%ct, %c34) : (tensor<1x6x9xf32>, tensor<f32>) -> tensor<1x6x9xf32>
  %q36b = graph.Add(%q36a, %c35) : (tensor<1x6x9xf32>, tensor<f32>) -> tensor<1x6x9xf32>
  %q36 = graph.Floor(%q36b) : (tensor<1x6x9xf32>) -> tensor<1x6x9xf32>
  %m37 = bufferization.to_buffer %q36 : tensor<1x6x9xf32> to memref<1x6x9xf32>
  %u37 = memref.cast %m37 : memref<1x6x9xf32> to memref<*xf32>
  func.call @printMemrefF32(%u37) : (memref<*xf32>) -> ()
  %n2 = graph.none
  %c38 = graph.constant dense<[[[[-1.2200000286102295, 0.20999999344348907, 1.2599999904632568], [-0.9700000286102295, -1.9199999570846558, -0.7900000214576721], [-0.5400000214576721, 0.4399999976158142, -1.25]], [[-0.9599999785423279, 0.49000000953674316, -1.4700000286102295], [-0.3400000035762787, -0.2800000011920929, -1.4800000190734863], [-1.409999966621399, -0.41999998688697815, 0.9599999785423279]]]]> : tensor<1x2x3x3xf32>
  %c39 = graph.constant dense<[[[[0.5600000023841858, 1.1699999570846558, 0.6200000047683716], [-1.7999999523162842, 1.2100000381469727, -0.8100000023841858]], [[-0.3400000035762787, -1.100000023841858, 0.8999999761581421], [1.2100000381469727, 1.440000057220459, -0.9700000286102295]]], [[[0.44999998807907104, -0.699999988079071, 1.2799999713897705], [-1.4800000190734863, 1.1299999952316284, 0.25]], [[-1.1699999570846558, -1.8600000143051147, -1.6100000143051147], [1.5, 0.8999999761581421, 1.0299999713897705]]]]> : tensor<2x2x2x3xf32>
  %ct2 = graph.ConvTranspose(%c38, %c39, %n2) {strides = array<i64: 2, 1>, dilations = array<i64: 1, 2>} : (tensor<1x2x3x3xf32>, tensor<2x2x2x3xf32>, none) -> tensor<1x2x6x7xf32>
  %c40 = graph.constant dense<2000.0> : tensor<f32>
  %c41 = graph.constant dense<0.5> : tensor<f32>
  %q42a = graph.Mul(%ct2, %c40) : (tensor<1x2x6x7xf32>, tensor<f32>) -> tensor<1x2x6x7xf32>
  %q42b = graph.Add(%q42a, %c41) : (tensor<1x2x6x7xf32>, tensor<f32>) -> tensor<1x2x6x7xf32>
  %q42 = graph.Floor(%q42b) : (tensor<1x2x6x7xf32>) -> tensor<1x2x6x7xf32>
  %m43 = bufferization.to_buffer %q42 : tensor<1x2x6x7xf32> to memref<1x2x6x7xf32>
  %u43 = memref.cast %m43 : memref<1x2x6x7xf32> to memref<*xf32>
  func.call @printMemrefF32(%u43) : (memref<*xf32>) -> ()
  return
}
