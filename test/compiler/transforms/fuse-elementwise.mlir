// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(sinter-conv-to-im2col, sinter-fuse-elementwise))' | FileCheck %s
// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(sinter-conv-to-im2col, sinter-fuse-elementwise{fuse-gathers=true}))' | FileCheck %s --check-prefix=GATHER

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
// Bias add feeding ReLU: one generic.
// CHECK-LABEL: func @bias_relu
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK-NOT: linalg.generic
func.func @bias_relu(%x: tensor<2x32xf32>, %b: tensor<32xf32>) -> tensor<2x32xf32> {
  %e = tensor.empty() : tensor<2x32xf32>
  %0 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %b : tensor<2x32xf32>, tensor<32xf32>) outs(%e : tensor<2x32xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<2x32xf32>
  %z = arith.constant 0.0 : f32
  %1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<2x32xf32>) outs(%e : tensor<2x32xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %z : f32
    linalg.yield %m : f32
  } -> tensor<2x32xf32>
  return %1 : tensor<2x32xf32>
}

// -----

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
// An elementwise producer is not pulled into a contraction (it would be recomputed per k).
// CHECK-LABEL: func @not_into_matmul
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
func.func @not_into_matmul(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>, %acc: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %0 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %t = math.tanh %v : f32
    linalg.yield %t : f32
  } -> tensor<2x3xf32>
  %1 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%0, %w : tensor<2x3xf32>, tensor<3x4xf32>) outs(%acc : tensor<2x4xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<2x4xf32>
  return %1 : tensor<2x4xf32>
}

// -----

// A transpose feeding a contraction (attention's K^T) disappears into the contraction's indexing map:
// no copy is made, the contraction reads the original layout.
// CHECK-LABEL: func @transpose_into_matmul
// CHECK-NOT: linalg.transpose
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[KT:map[0-9]*]], #{{.*}}], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<4x3xf32>)
// CHECK-NOT: linalg.generic
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @transpose_into_matmul(%q: tensor<2x3xf32>, %k: tensor<4x3xf32>, %acc: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %e = tensor.empty() : tensor<3x4xf32>
  %kt = linalg.transpose ins(%k : tensor<4x3xf32>) outs(%e : tensor<3x4xf32>) permutation = [1, 0]
  %1 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%q, %kt : tensor<2x3xf32>, tensor<3x4xf32>) outs(%acc : tensor<2x4xf32>) {
  ^bb0(%p: f32, %x: f32, %r: f32):
    %m = arith.mulf %p, %x : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<2x4xf32>
  return %1 : tensor<2x4xf32>
}

// -----

// A gather (im2col: not a permutation) stays a separate copy in front of the contraction, which keeps plain
// strided operands for the matmul ukernel. With fuse-gathers (the CPU target with ukernels) it fuses: the
// contraction reads the input through the patch map, and the ukernel gathers while packing.
// CHECK-LABEL: func @conv_im2col_stays
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel"]
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// GATHER-DAG: #[[PATCH:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3 floordiv 9, (d2 floordiv 8) * 2 + (d3 mod 9) floordiv 3, (d2 mod 8) * 2 + d3 mod 3)>
// GATHER-LABEL: func @conv_im2col_stays
// GATHER-NOT: iterator_types = ["parallel", "parallel", "parallel"]}
// GATHER: linalg.generic {indexing_maps = [#{{.+}}, #[[PATCH]], #{{.+}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%{{.+}}, %{{.+}} : tensor<16x72xf32>, tensor<1x8x17x17xf32>)
func.func @conv_im2col_stays(%x: tensor<1x8x17x17xf32>, %w: tensor<16x8x3x3xf32>, %init: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%x, %w : tensor<1x8x17x17xf32>, tensor<16x8x3x3xf32>) outs(%init : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  return %0 : tensor<1x16x8x8xf32>
}

// -----

// A batch of images keeps its patches a copy even with fuse-gathers: the ukernel's gather form has a single
// column loop.
// GATHER-LABEL: func @conv_batch_stays
// GATHER: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel"]
// GATHER: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]
func.func @conv_batch_stays(%x: tensor<2x8x10x10xf32>, %w: tensor<16x8x3x3xf32>, %init: tensor<2x16x8x8xf32>) -> tensor<2x16x8x8xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<2x8x10x10xf32>, tensor<16x8x3x3xf32>) outs(%init : tensor<2x16x8x8xf32>) -> tensor<2x16x8x8xf32>
  return %0 : tensor<2x16x8x8xf32>
}
