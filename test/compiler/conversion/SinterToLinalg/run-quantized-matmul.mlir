// RUN: sinter-opt %s --pass-pipeline='builtin.module(func.func(convert-sinter-to-linalg,convert-graph-to-linalg),one-shot-bufferize{bufferize-function-boundaries},func.func(convert-linalg-to-loops),expand-strided-metadata,lower-affine,convert-scf-to-cf,convert-math-to-llvm,convert-math-to-libm,convert-arith-to-llvm,convert-index-to-llvm,finalize-memref-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,reconcile-unrealized-casts)' \
// RUN: | mlir-runner -e main -entry-point-result=void --shared-libs=/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so,/usr/lib/llvm-22/lib/libmlir_runner_utils.so \
// RUN: | FileCheck %s
//
// Numeric check of the sinter.quantized_matmul lowering: every width, sym/asym, f16/f32 scales, outliers,
// rank 1/2/3 inputs, K not a multiple of 8 or of the group size. The packed constants and the expected
// values come from an independent numpy model of docs/QUANTIZATION.md (bit stream built as a Python
// integer, dequantized and multiplied in float64), not from compiler/quantization. Inputs are small
// integers; results are printed as floor(y * S + 0.5) with S chosen so no value lies within 0.05 of a
// rounding boundary.
// 3-bit asymmetric, group 8, f16 scales, K=20, N=3, 2 outliers per column, input [2, 2, 20]; printed as floor(y * 50 + 0.5)
// CHECK: rank = 3 offset = 0 sizes = [2, 2, 3]
// CHECK-NEXT: {{\[}}436, 22, 35]
// CHECK-NEXT: {{\[}}110, -1073, -34]
// CHECK-NEXT: {{\[}}190, 447, -150]
// CHECK-NEXT: {{\[}}-65, -140, -222]
// 2-bit symmetric, group 16, f32 scales, K=16, N=4, input [3, 16]; printed as floor(y * 5000 + 0.5)
// CHECK: rank = 2 offset = 0 sizes = [3, 4]
// CHECK-NEXT: {{\[}}0, 1150, -2413, -14150]
// CHECK-NEXT: {{\[}}-5953, -8628, 0, -12578]
// CHECK-NEXT: {{\[}}0, -575, -3379, -1572]
// 4-bit symmetric, group 4, f16 scales, K=12, N=2, 1 outliers per column, input [12]; printed as floor(y * 1000 + 0.5)
// CHECK: rank = 1 offset = 0 sizes = [2]
// CHECK-NEXT: {{\[}}12418, 10664]
// 8-bit asymmetric, group 32, f32 scales, K=9, N=2, input [1, 9]; printed as floor(y * 50 + 0.5)
// CHECK: rank = 2 offset = 0 sizes = [1, 2]
// CHECK-NEXT: {{\[}}12591, -6448]

func.func private @printMemrefF32(memref<*xf32>)

func.func @main() {
  %x0 = graph.constant dense<"0x000000000000803F000000C00000004000000000000000000000000000000000000040C0000040C0000000C0000040C0000000000000803F0000803F000000000000004000000000000040C0000000400000803F0000803F0000000000000000000040C00000000000000040000080BF0000803F000040C0000080BF0000000000004040000000C0000000C0000080BF0000404000000040000040C0000000C000000040000040C000000040000000C000004040000080BF000000000000803F000040C0000000000000000000000040000040400000803F000080BF000080BF000080BF00000040000080BF000000C0000080BF000040C0000040C0000040C000000040000000400000803F0000000000000040000000C0000040400000000000004040000000C0000000000000803F0000000000000000000000C0000080BF"> : tensor<2x2x20xf32>
  %p0 = graph.constant dense<"0x7037A3015FD78C070054EECEDC021EB60A007185EFB5A30D4C0B00"> : tensor<3x9xi8>
  %s0 = graph.constant dense<"0x2A36C4374B32EF322E345430F12E3A34DE30"> : tensor<3x3xf16>
  %z0 = graph.constant dense<"0x040507030106050500"> : tensor<3x3xi8>
  %r0 = graph.constant dense<"0x050000000F00000008000000100000000700000011000000"> : tensor<3x2xi32>
  %v0 = graph.constant dense<"0xD73DC4C1CDC0E2C39740463D"> : tensor<3x2xf16>
  %y0 = sinter.quantized_matmul %x0, %p0, %s0 zeros %z0 outliers(%r0, %v0) {bits = 3 : i64, group_size = 8 : i64} : (tensor<2x2x20xf32>, tensor<3x9xi8>, tensor<3x3xf16>, tensor<3x3xi8>, tensor<3x2xi32>, tensor<3x2xf16>) -> tensor<2x2x3xf32>
  %S0 = graph.constant dense<50.0> : tensor<f32>
  %h0 = graph.constant dense<0.5> : tensor<f32>
  %a0 = graph.Mul(%y0, %S0) : (tensor<2x2x3xf32>, tensor<f32>) -> tensor<2x2x3xf32>
  %b0 = graph.Add(%a0, %h0) : (tensor<2x2x3xf32>, tensor<f32>) -> tensor<2x2x3xf32>
  %q0 = graph.Floor(%b0) : (tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  %m0 = bufferization.to_buffer %q0 : tensor<2x2x3xf32> to memref<2x2x3xf32>
  %u0 = memref.cast %m0 : memref<2x2x3xf32> to memref<*xf32>
  func.call @printMemrefF32(%u0) : (memref<*xf32>) -> ()
  %x1 = graph.constant dense<"0x00000040000000C0000080BF00004040000040400000803F00000000000080BF0000803F0000803F000080BF000040C0000000C000004040000080BF000000000000000000000040000040C0000040C0000000C0000000000000803F000000000000000000004040000000C00000803F000000000000000000000040000000C000004040000080BF00000000000000000000004000000000000000C0000040C0000080BF00000040000040C00000404000000000000040C0000080BF00000000"> : tensor<3x16xf32>
  %p1 = graph.constant dense<"0xA436D19DF59D67D024B6D29C96887243"> : tensor<4x4xi8>
  %s1 = graph.constant dense<"0x36334B3EEF97EB3D39B2C53D4AFEA03E"> : tensor<4x1xf32>
  %y1 = sinter.quantized_matmul %x1, %p1, %s1 {bits = 2 : i64, group_size = 16 : i64, symmetric} : (tensor<3x16xf32>, tensor<4x4xi8>, tensor<4x1xf32>) -> tensor<3x4xf32>
  %S1 = graph.constant dense<5000.0> : tensor<f32>
  %h1 = graph.constant dense<0.5> : tensor<f32>
  %a1 = graph.Mul(%y1, %S1) : (tensor<3x4xf32>, tensor<f32>) -> tensor<3x4xf32>
  %b1 = graph.Add(%a1, %h1) : (tensor<3x4xf32>, tensor<f32>) -> tensor<3x4xf32>
  %q1 = graph.Floor(%b1) : (tensor<3x4xf32>) -> tensor<3x4xf32>
  %m1 = bufferization.to_buffer %q1 : tensor<3x4xf32> to memref<3x4xf32>
  %u1 = memref.cast %m1 : memref<3x4xf32> to memref<*xf32>
  func.call @printMemrefF32(%u1) : (memref<*xf32>) -> ()
  %x2 = graph.constant dense<"0x00000000000040C0000080BF000000000000404000004040000000C000004040000040C0000000400000004000004040"> : tensor<12xf32>
  %p2 = graph.constant dense<"0x15AA41A3BBCF000015E93F0382580000"> : tensor<2x8xi8>
  %s2 = graph.constant dense<"0xC6369F362B32A937CA318234"> : tensor<2x3xf16>
  %r2 = graph.constant dense<"0x0A00000003000000"> : tensor<2x1xi32>
  %v2 = graph.constant dense<"0xFA425EC1"> : tensor<2x1xf16>
  %y2 = sinter.quantized_matmul %x2, %p2, %s2 outliers(%r2, %v2) {bits = 4 : i64, group_size = 4 : i64, symmetric} : (tensor<12xf32>, tensor<2x8xi8>, tensor<2x3xf16>, tensor<2x1xi32>, tensor<2x1xf16>) -> tensor<2xf32>
  %S2 = graph.constant dense<1000.0> : tensor<f32>
  %h2 = graph.constant dense<0.5> : tensor<f32>
  %a2 = graph.Mul(%y2, %S2) : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  %b2 = graph.Add(%a2, %h2) : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  %q2 = graph.Floor(%b2) : (tensor<2xf32>) -> tensor<2xf32>
  %m2 = bufferization.to_buffer %q2 : tensor<2xf32> to memref<2xf32>
  %u2 = memref.cast %m2 : memref<2xf32> to memref<*xf32>
  func.call @printMemrefF32(%u2) : (memref<*xf32>) -> ()
  %x3 = graph.constant dense<"0x000040C00000004000004040000000C000000040000000C0000080BF0000803F00000040"> : tensor<1x9xf32>
  %p3 = graph.constant dense<"0x39E41D84785005C55500000000000000A9695FE218BCBF614300000000000000"> : tensor<2x16xi8>
  %s3 = graph.constant dense<"0x1771F13E3F3D223E"> : tensor<2x1xf32>
  %z3 = graph.constant dense<"0x081F"> : tensor<2x1xi8>
  %y3 = sinter.quantized_matmul %x3, %p3, %s3 zeros %z3 {bits = 8 : i64, group_size = 32 : i64} : (tensor<1x9xf32>, tensor<2x16xi8>, tensor<2x1xf32>, tensor<2x1xi8>) -> tensor<1x2xf32>
  %S3 = graph.constant dense<50.0> : tensor<f32>
  %h3 = graph.constant dense<0.5> : tensor<f32>
  %a3 = graph.Mul(%y3, %S3) : (tensor<1x2xf32>, tensor<f32>) -> tensor<1x2xf32>
  %b3 = graph.Add(%a3, %h3) : (tensor<1x2xf32>, tensor<f32>) -> tensor<1x2xf32>
  %q3 = graph.Floor(%b3) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %m3 = bufferization.to_buffer %q3 : tensor<1x2xf32> to memref<1x2xf32>
  %u3 = memref.cast %m3 : memref<1x2xf32> to memref<*xf32>
  func.call @printMemrefF32(%u3) : (memref<*xf32>) -> ()
  return
}
