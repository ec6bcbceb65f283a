// RUN: sinter-opt %s --pass-pipeline='builtin.module(func.func(convert-graph-to-linalg),one-shot-bufferize{bufferize-function-boundaries},func.func(convert-linalg-to-loops),expand-strided-metadata,lower-affine,convert-scf-to-cf,convert-math-to-llvm,convert-math-to-libm,convert-arith-to-llvm,convert-index-to-llvm,finalize-memref-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,reconcile-unrealized-casts)' \
// RUN: | mlir-runner -e main -entry-point-result=void --shared-libs=/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so,/usr/lib/llvm-22/lib/libmlir_runner_utils.so \
// RUN: | FileCheck %s
//
// Numeric check of the graph -> linalg lowering: lower, bufferize, run on the CPU with mlir-runner.
// DFT forward (full and onesided), inverse round trip, complex input with dft_length.
// Expected values: computed independently in float64 with numpy (numpy.fft for DFT, numpy.einsum; torch
// interpolate for Resize, torch-cross-checked scatter loops for ConvTranspose) from the ONNX operator
// definitions on the same inputs, by a generator script (not the lowering), written as printMemref prints
// them (%g). Results that carry float32 roundoff are quantized in the test itself to floor(y * S + 0.5), with
// S picked so that the largest |y| * S is ~1e3-1e5 and no y * S lies within 0.02 of a rounding boundary;
// exact results (gathers, slices, pads, max pools, argmax) are printed as they are.
// Forward DFT of a real signal (numpy.fft.fft), printed as floor(y * 1000 + 0.5)
// CHECK: rank = 3 offset = 0 sizes = [1, 8, 2]
// CHECK-NEXT: {{\[}}4500, 0]
// CHECK-NEXT: {{\[}}475, -1646]
// CHECK-NEXT: {{\[}}6000, -2500]
// CHECK-NEXT: {{\[}}-4475, 2354]
// CHECK-NEXT: {{\[}}-500, 0]
// CHECK-NEXT: {{\[}}-4475, -2354]
// CHECK-NEXT: {{\[}}6000, 2500]
// CHECK-NEXT: {{\[}}475, 1646]
// Onesided forward DFT (numpy.fft.rfft), printed as floor(y * 1000 + 0.5)
// CHECK: rank = 3 offset = 0 sizes = [1, 5, 2]
// CHECK-NEXT: {{\[}}4500, 0]
// CHECK-NEXT: {{\[}}475, -1646]
// CHECK-NEXT: {{\[}}6000, -2500]
// CHECK-NEXT: {{\[}}-4475, 2354]
// CHECK-NEXT: {{\[}}-500, 0]
// Inverse of the forward DFT: the real part is the signal again, printed as floor(y * 1000 + 0.5)
// CHECK: rank = 3 offset = 0 sizes = [1, 8, 1]
// CHECK-NEXT: {{\[}}1000]
// CHECK-NEXT: {{\[}}2000]
// CHECK-NEXT: {{\[}}0]
// CHECK-NEXT: {{\[}}-1000]
// CHECK-NEXT: {{\[}}3000]
// CHECK-NEXT: {{\[}}500]
// CHECK-NEXT: {{\[}}-2000]
// CHECK-NEXT: {{\[}}1000]
// Complex DFT with dft_length 4 > 3 samples (zero padding), printed as floor(y * 1000 + 0.5)
// CHECK: rank = 2 offset = 0 sizes = [4, 2]
// CHECK-NEXT: {{\[}}0, 1500]
// CHECK-NEXT: {{\[}}3000, -500]
// CHECK-NEXT: {{\[}}0, -500]
// CHECK-NEXT: {{\[}}1000, -500]

func.func private @printMemrefF32(memref<*xf32>)
func.func private @printMemrefI64(memref<*xi64>)

func.func @main() {
  %c0 = graph.constant dense<[[[1.0], [2.0], [0.0], [-1.0], [3.0], [0.5], [-2.0], [1.0]]]> : tensor<1x8x1xf32>
  %nn = graph.none
  %f = graph.DFT(%c0, %nn) : (tensor<1x8x1xf32>, none) -> tensor<1x8x2xf32>
  %c1 = graph.constant dense<1000.0> : tensor<f32>
  %c2 = graph.constant dense<0.5> : tensor<f32>
  %q3a = graph.Mul(%f, %c1) : (tensor<1x8x2xf32>, tensor<f32>) -> tensor<1x8x2xf32>
  %q3b = graph.Add(%q3a, %c2) : (tensor<1x8x2xf32>, tensor<f32>) -> tensor<1x8x2xf32>
  %q3 = graph.Floor(%q3b) : (tensor<1x8x2xf32>) -> tensor<1x8x2xf32>
  %m4 = bufferization.to_buffer %q3 : tensor<1x8x2xf32> to memref<1x8x2xf32>
  %u4 = memref.cast %m4 : memref<1x8x2xf32> to memref<*xf32>
  func.call @printMemrefF32(%u4) : (memref<*xf32>) -> ()
  %fo = graph.DFT(%c0, %nn) {onesided = 1 : i64} : (tensor<1x8x1xf32>, none) -> tensor<1x5x2xf32>
  %c5 = graph.constant dense<1000.0> : tensor<f32>
  %c6 = graph.constant dense<0.5> : tensor<f32>
  %q7a = graph.Mul(%fo, %c5) : (tensor<1x5x2xf32>, tensor<f32>) -> tensor<1x5x2xf32>
  %q7b = graph.Add(%q7a, %c6) : (tensor<1x5x2xf32>, tensor<f32>) -> tensor<1x5x2xf32>
  %q7 = graph.Floor(%q7b) : (tensor<1x5x2xf32>) -> tensor<1x5x2xf32>
  %m8 = bufferization.to_buffer %q7 : tensor<1x5x2xf32> to memref<1x5x2xf32>
  %u8 = memref.cast %m8 : memref<1x5x2xf32> to memref<*xf32>
  func.call @printMemrefF32(%u8) : (memref<*xf32>) -> ()
  %i = graph.DFT(%f, %nn) {inverse = 1 : i64} : (tensor<1x8x2xf32>, none) -> tensor<1x8x2xf32>
  %c9 = graph.constant dense<[0, 0, 0]> : tensor<3xi64>
  %c10 = graph.constant dense<[1, 8, 1]> : tensor<3xi64>
  %ir = graph.Slice(%i, %c9, %c10, %nn, %nn) : (tensor<1x8x2xf32>, tensor<3xi64>, tensor<3xi64>, none, none) -> tensor<1x8x1xf32>
  %c11 = graph.constant dense<1000.0> : tensor<f32>
  %c12 = graph.constant dense<0.5> : tensor<f32>
  %q13a = graph.Mul(%ir, %c11) : (tensor<1x8x1xf32>, tensor<f32>) -> tensor<1x8x1xf32>
  %q13b = graph.Add(%q13a, %c12) : (tensor<1x8x1xf32>, tensor<f32>) -> tensor<1x8x1xf32>
  %q13 = graph.Floor(%q13b) : (tensor<1x8x1xf32>) -> tensor<1x8x1xf32>
  %m14 = bufferization.to_buffer %q13 : tensor<1x8x1xf32> to memref<1x8x1xf32>
  %u14 = memref.cast %m14 : memref<1x8x1xf32> to memref<*xf32>
  func.call @printMemrefF32(%u14) : (memref<*xf32>) -> ()
  %c15 = graph.constant dense<[[1.0, 0.0], [0.0, 1.0], [-1.0, 0.5]]> : tensor<3x2xf32>
  %c16 = graph.constant dense<4> : tensor<i64>
  %zl = graph.DFT(%c15, %c16) {axis = 0 : i64} : (tensor<3x2xf32>, tensor<i64>) -> tensor<4x2xf32>
  %c17 = graph.constant dense<1000.0> : tensor<f32>
  %c18 = graph.constant dense<0.5> : tensor<f32>
  %q19a = graph.Mul(%zl, %c17) : (tensor<4x2xf32>, tensor<f32>) -> tensor<4x2xf32>
  %q19b = graph.Add(%q19a, %c18) : (tensor<4x2xf32>, tensor<f32>) -> tensor<4x2xf32>
  %q19 = graph.Floor(%q19b) : (tensor<4x2xf32>) -> tensor<4x2xf32>
  %m20 = bufferization.to_buffer %q19 : tensor<4x2xf32> to memref<4x2xf32>
  %u20 = memref.cast %m20 : memref<4x2xf32> to memref<*xf32>
  func.call @printMemrefF32(%u20) : (memref<*xf32>) -> ()
  return
}
