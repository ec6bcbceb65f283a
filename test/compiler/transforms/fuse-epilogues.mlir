// RUN: sinter-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(sinter-fuse-epilogues))' | FileCheck %s

// An MLP layer: zero fill, matmul, bias + ReLU. One group; the epilogue now updates the matmul's result in
// place (outs = it), reading only the bias.
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[COL:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func @matmul_bias_relu
// CHECK: %[[FILL:.+]] = linalg.fill {sinter.dispatch_group = 0 : i64}
// CHECK: %[[MM:.+]] = linalg.generic
// CHECK-SAME: outs(%[[FILL]] : tensor<4x32xf32>) attrs =  {sinter.dispatch_group = 0 : i64}
// CHECK: %[[EPI:.+]] = linalg.generic {indexing_maps = [#[[COL]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%{{.+}} : tensor<32xf32>) outs(%[[MM]] : tensor<4x32xf32>) attrs =  {sinter.dispatch_group = 0 : i64}
// CHECK-NEXT: ^bb0(%[[BIAS:.+]]: f32, %[[OUT:.+]]: f32):
// CHECK-NEXT: %[[S:.+]] = arith.addf %[[OUT]], %[[BIAS]] : f32
// CHECK-NEXT: %[[R:.+]] = arith.maximumf %[[S]], %{{.+}} : f32
// CHECK-NEXT: linalg.yield %[[R]]
// CHECK: return %[[EPI]]
func.func @matmul_bias_relu(%x: tensor<4x16xf32>, %w: tensor<16x32xf32>, %bias: tensor<32xf32>) -> tensor<4x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x32xf32>) -> tensor<4x32xf32>
  %mm = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<4x16xf32>, tensor<16x32xf32>) outs(%f : tensor<4x32xf32>) {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %p = arith.mulf %i, %j : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x32xf32>
  %e2 = tensor.empty() : tensor<4x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%mm, %bias : tensor<4x32xf32>, tensor<32xf32>) outs(%e2 : tensor<4x32xf32>) {
  ^bb0(%v: f32, %b: f32, %o: f32):
    %s = arith.addf %v, %b : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x32xf32>
  return %r : tensor<4x32xf32>
}

// -----

// A convolution as sinter-conv-to-im2col leaves it: the bias broadcast into [1, 8, 4, 4], collapsed to the
// contraction's [1, 8, 16]; the residual add + ReLU on the expanded [1, 8, 4, 4]. Both are collapsed to
// [1, 8, 16] (no reshapes left between the group's ops); the residual is read through a collapse_shape.
#bias4 = affine_map<(d0, d1, d2, d3) -> (d1)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#wmap = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
#xmap = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#omap = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[BIAS3:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG: #[[ID3:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func @conv_bias_residual_relu
// CHECK: %[[RES:.+]] = tensor.collapse_shape %arg3 {{\[}}[0], [1], [2, 3]] : tensor<1x8x4x4xf32> into tensor<1x8x16xf32>
// CHECK: %[[B:.+]] = linalg.generic {indexing_maps = [#[[BIAS3]], #[[ID3]]]
// CHECK-SAME: outs(%{{.+}} : tensor<1x8x16xf32>) attrs =  {sinter.dispatch_group = 0 : i64}
// CHECK: %[[CONV:.+]] = linalg.generic
// CHECK-SAME: outs(%[[B]] : tensor<1x8x16xf32>) attrs =  {sinter.dispatch_group = 0 : i64}
// CHECK: %[[EPI:.+]] = linalg.generic {indexing_maps = [#[[ID3]], #[[ID3]]]
// CHECK-SAME: ins(%[[RES]] : tensor<1x8x16xf32>) outs(%[[CONV]] : tensor<1x8x16xf32>) attrs =  {sinter.dispatch_group = 0 : i64}
// CHECK: %[[OUT:.+]] = tensor.expand_shape %[[EPI]]
// CHECK: return %[[OUT]]
func.func @conv_bias_residual_relu(%w: tensor<8x3xf32>, %x: tensor<1x3x16xf32>, %bias: tensor<8xf32>, %res: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x4x4xf32>
  %b = linalg.generic {indexing_maps = [#bias4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%bias : tensor<8xf32>) outs(%e : tensor<1x8x4x4xf32>) {
  ^bb0(%i: f32, %o: f32):
    linalg.yield %i : f32
  } -> tensor<1x8x4x4xf32>
  %bc = tensor.collapse_shape %b [[0], [1], [2, 3]] : tensor<1x8x4x4xf32> into tensor<1x8x16xf32>
  %conv = linalg.generic {indexing_maps = [#wmap, #xmap, #omap], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%w, %x : tensor<8x3xf32>, tensor<1x3x16xf32>) outs(%bc : tensor<1x8x16xf32>) {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %p = arith.mulf %i, %j : f32
    %s = arith.addf %p, %o : f32
    linalg.yield %s : f32
  } -> tensor<1x8x16xf32>
  %ce = tensor.expand_shape %conv [[0], [1], [2, 3]] output_shape [1, 8, 4, 4] : tensor<1x8x16xf32> into tensor<1x8x4x4xf32>
  %e2 = tensor.empty() : tensor<1x8x4x4xf32>
  %r = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%ce, %res : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) outs(%e2 : tensor<1x8x4x4xf32>) {
  ^bb0(%v: f32, %q: f32, %o: f32):
    %s = arith.addf %v, %q : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x8x4x4xf32>
  return %r : tensor<1x8x4x4xf32>
}

// -----

// A residual computed after the contraction (ResNet's downsample blocks: relu(downsample(x) + conv(y)), the
// downsample first): the first contraction and its fill move down to the epilogue, so the group's ops are
// consecutive (program formation outlines only consecutive ops together). The second matmul is not grouped
// (its one user is the first one's epilogue, as an addend).
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func @residual_from_later_contraction
// CHECK: %[[SECOND:.+]] = linalg.generic
// CHECK-SAME: ins(%arg2, %arg3 :
// CHECK-SAME: outs(%arg4 : tensor<4x32xf32>) {
// CHECK: } -> tensor<4x32xf32>
// CHECK-NEXT: %[[FILL:.+]] = linalg.fill {sinter.dispatch_group = 0 : i64}
// CHECK-NEXT: %[[FIRST:.+]] = linalg.generic
// CHECK-SAME: ins(%arg0, %arg1 :
// CHECK-SAME: outs(%[[FILL]] : tensor<4x32xf32>) attrs =  {sinter.dispatch_group = 0 : i64}
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[SECOND]] : tensor<4x32xf32>) outs(%[[FIRST]] : tensor<4x32xf32>) attrs =  {sinter.dispatch_group = 0 : i64}
func.func @residual_from_later_contraction(%x: tensor<4x16xf32>, %w: tensor<16x32xf32>, %y: tensor<4x16xf32>, %v: tensor<16x32xf32>, %acc: tensor<4x32xf32>) -> tensor<4x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x32xf32>) -> tensor<4x32xf32>
  %first = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<4x16xf32>, tensor<16x32xf32>) outs(%f : tensor<4x32xf32>) {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %p = arith.mulf %i, %j : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x32xf32>
  %second = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%y, %v : tensor<4x16xf32>, tensor<16x32xf32>) outs(%acc : tensor<4x32xf32>) {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %p = arith.mulf %i, %j : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%first, %second : tensor<4x32xf32>, tensor<4x32xf32>) outs(%e : tensor<4x32xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x32xf32>
  return %r : tensor<4x32xf32>
}

// -----

// Not fused: the matmul's result has a second user (the epilogue would hide C's value from it), and the
// other consumer computes something the ukernel cannot (exp). The fill still joins the contraction.
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func @two_users
// CHECK: linalg.fill {sinter.dispatch_group = 0 : i64}
// CHECK: %[[MM:.+]] = linalg.generic
// CHECK-SAME: {sinter.dispatch_group = 0 : i64}
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[MM]] : tensor<4x32xf32>)
// CHECK-NOT: sinter.dispatch_group
// CHECK: return
func.func @two_users(%x: tensor<4x16xf32>, %w: tensor<16x32xf32>) -> (tensor<4x32xf32>, tensor<4x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x32xf32>) -> tensor<4x32xf32>
  %mm = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<4x16xf32>, tensor<16x32xf32>) outs(%f : tensor<4x32xf32>) {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %p = arith.mulf %i, %j : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<4x32xf32>) outs(%e : tensor<4x32xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x32xf32>
  return %r, %mm : tensor<4x32xf32>, tensor<4x32xf32>
}

// -----

// Not fused: an epilogue that is not adds-then-clamp (exp; a clamp before an add) and a fill with a
// nonzero value. Nothing is marked.
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func @not_encodable
// CHECK-NOT: sinter.dispatch_group
// CHECK: return
func.func @not_encodable(%x: tensor<4x16xf32>, %w: tensor<16x32xf32>, %y: tensor<4x32xf32>) -> (tensor<4x32xf32>, tensor<4x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<4x32xf32>
  %mm = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<4x16xf32>, tensor<16x32xf32>) outs(%y : tensor<4x32xf32>) {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %p = arith.mulf %i, %j : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<4x32xf32>) outs(%e : tensor<4x32xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = math.exp %v : f32
    linalg.yield %m : f32
  } -> tensor<4x32xf32>
  %f1 = linalg.fill ins(%one : f32) outs(%e : tensor<4x32xf32>) -> tensor<4x32xf32>
  %mm2 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<4x16xf32>, tensor<16x32xf32>) outs(%f1 : tensor<4x32xf32>) {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %p = arith.mulf %i, %j : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x32xf32>
  %r2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%mm2, %y : tensor<4x32xf32>, tensor<4x32xf32>) outs(%e : tensor<4x32xf32>) {
  ^bb0(%v: f32, %q: f32, %o: f32):
    %m = arith.maximumf %v, %zero : f32
    %s = arith.addf %m, %q : f32
    linalg.yield %s : f32
  } -> tensor<4x32xf32>
  return %r, %r2 : tensor<4x32xf32>, tensor<4x32xf32>
}

// -----

// A batched contraction takes only its zero fill (the ukernel applies no bias or epilogue across a
// batch): the fill joins its group, the ReLU after it does not.
#ba = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#bb = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#bc = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func @batched_zero_init
// CHECK: linalg.fill {sinter.dispatch_group = [[G:[0-9]+]] : i64}
// CHECK-NEXT: linalg.generic {{.*}} attrs = {sinter.dispatch_group = [[G]] : i64}
// CHECK-NOT: sinter.dispatch_group
// CHECK: return
func.func @batched_zero_init(%bx: tensor<2x4x16xf32>, %bw: tensor<2x16x32xf32>) -> tensor<2x4x32xf32> {
  %zero = arith.constant 0.0 : f32
  %be = tensor.empty() : tensor<2x4x32xf32>
  %bf = linalg.fill ins(%zero : f32) outs(%be : tensor<2x4x32xf32>) -> tensor<2x4x32xf32>
  %bm = linalg.generic {indexing_maps = [#ba, #bb, #bc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%bx, %bw : tensor<2x4x16xf32>, tensor<2x16x32xf32>) outs(%bf : tensor<2x4x32xf32>) {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %p = arith.mulf %i, %j : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x4x32xf32>
  %r = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%bm : tensor<2x4x32xf32>) outs(%be : tensor<2x4x32xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<2x4x32xf32>
  return %r : tensor<2x4x32xf32>
}

// -----

// A 3x3 convolution reading its zero-padded input through the im2col gather: the pad joins the group as
// a fill of the padded tensor and a copy into its interior (in place after bufferization), right before the
// bias prologue, so the CPU target can read the unpadded input instead (GatherUkernel.cpp).
#bias3 = affine_map<(d0, d1, d2) -> (d1)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#w = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
#patch = affine_map<(d0, d1, d2, d3) -> (d0, d3 floordiv 9, d2 floordiv 4 + (d3 mod 9) floordiv 3, d2 mod 4 + d3 mod 3)>
#o = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func @padded_conv
// CHECK-NOT: tensor.pad
// CHECK: tensor.empty() : tensor<1x8x16xf32>
// CHECK-NEXT: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[EMPTY:.+]] = tensor.empty() : tensor<1x2x6x6xf32>
// CHECK-NEXT: %[[FILL:.+]] = linalg.fill {sinter.dispatch_group = 0 : i64} ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<1x2x6x6xf32>)
// CHECK-NEXT: %[[INTERIOR:.+]] = tensor.extract_slice %[[FILL]][0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 1, 1]
// CHECK-NEXT: %[[COPY:.+]] = linalg.copy {sinter.dispatch_group = 0 : i64} ins(%arg1 : tensor<1x2x4x4xf32>) outs(%[[INTERIOR]] : tensor<1x2x4x4xf32>)
// CHECK-NEXT: %[[PADDED:.+]] = tensor.insert_slice %[[COPY]] into %[[FILL]][0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 1, 1]
// CHECK-NEXT: %[[B:.+]] = linalg.generic
// CHECK-SAME: attrs =  {sinter.dispatch_group = 0 : i64}
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}}, %[[PADDED]] : tensor<8x18xf32>, tensor<1x2x6x6xf32>) outs(%[[B]] : tensor<1x8x16xf32>) attrs =  {sinter.dispatch_group = 0 : i64}
func.func @padded_conv(%w: tensor<8x18xf32>, %x: tensor<1x2x4x4xf32>, %bias: tensor<8xf32>) -> tensor<1x8x16xf32> {
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x2x4x4xf32> to tensor<1x2x6x6xf32>
  %e = tensor.empty() : tensor<1x8x16xf32>
  %b = linalg.generic {indexing_maps = [#bias3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%bias : tensor<8xf32>) outs(%e : tensor<1x8x16xf32>) {
  ^bb0(%i: f32, %o: f32):
    linalg.yield %i : f32
  } -> tensor<1x8x16xf32>
  %conv = linalg.generic {indexing_maps = [#w, #patch, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%w, %padded : tensor<8x18xf32>, tensor<1x2x6x6xf32>) outs(%b : tensor<1x8x16xf32>) {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %p = arith.mulf %i, %j : f32
    %s = arith.addf %p, %o : f32
    linalg.yield %s : f32
  } -> tensor<1x8x16xf32>
  return %conv : tensor<1x8x16xf32>
}

// -----

// The padding stays a tensor.pad (and the contractions ungrouped) when the gather could not read it in
// place: a nonzero padding value, and a contraction that reads B through a plain permutation map (no
// gather).
#w = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
#patch = affine_map<(d0, d1, d2, d3) -> (d0, d3 floordiv 9, d2 floordiv 4 + (d3 mod 9) floordiv 3, d2 mod 4 + d3 mod 3)>
#o = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#a2 = affine_map<(d0, d1, d2) -> (d0, d2)>
#b2 = affine_map<(d0, d1, d2) -> (d2, d1)>
#c2 = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func @padding_kept
// CHECK: tensor.pad
// CHECK: tensor.pad
// CHECK-NOT: sinter.dispatch_group
// CHECK: return
func.func @padding_kept(%w: tensor<8x18xf32>, %x: tensor<1x2x4x4xf32>, %c: tensor<1x8x16xf32>, %a: tensor<4x6xf32>, %m: tensor<4x8xf32>, %acc: tensor<4x10xf32>) -> (tensor<1x8x16xf32>, tensor<4x10xf32>) {
  %one = arith.constant 1.0 : f32
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %one : f32
  } : tensor<1x2x4x4xf32> to tensor<1x2x6x6xf32>
  %conv = linalg.generic {indexing_maps = [#w, #patch, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%w, %padded : tensor<8x18xf32>, tensor<1x2x6x6xf32>) outs(%c : tensor<1x8x16xf32>) {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %p = arith.mulf %i, %j : f32
    %s = arith.addf %p, %o : f32
    linalg.yield %s : f32
  } -> tensor<1x8x16xf32>
  %mp = tensor.pad %m low[1, 2] high[1, 0] {
  ^bb0(%i0: index, %i1: index):
    tensor.yield %zero : f32
  } : tensor<4x8xf32> to tensor<6x10xf32>
  %mm = linalg.generic {indexing_maps = [#a2, #b2, #c2], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %mp : tensor<4x6xf32>, tensor<6x10xf32>) outs(%acc : tensor<4x10xf32>) {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %p = arith.mulf %i, %j : f32
    %s = arith.addf %p, %o : f32
    linalg.yield %s : f32
  } -> tensor<4x10xf32>
  return %conv, %mm : tensor<1x8x16xf32>, tensor<4x10xf32>
}

// -----

// A max pool's -inf padding and a sum pool's +0 padding (their ops' identities) join the pools' groups as a
// fill and a copy into the interior, right before the pool; a max pool padded with 0 keeps its tensor.pad.
// CHECK-LABEL: func @pool_padding
// CHECK: tensor.empty() : tensor<3x3xf32>
// CHECK-NEXT: %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: %[[E:.+]] = tensor.empty() : tensor<1x2x10x10xf32>
// CHECK-NEXT: %[[FILL:.+]] = linalg.fill {sinter.dispatch_group = 0 : i64} ins(%[[NEGINF]] : f32) outs(%[[E]] : tensor<1x2x10x10xf32>)
// CHECK-NEXT: %[[IN:.+]] = tensor.extract_slice %[[FILL]][0, 0, 1, 1] [1, 2, 8, 8] [1, 1, 1, 1]
// CHECK-NEXT: %[[COPY:.+]] = linalg.copy {sinter.dispatch_group = 0 : i64} ins(%arg0 : tensor<1x2x8x8xf32>) outs(%[[IN]] :
// CHECK-NEXT: %[[P:.+]] = tensor.insert_slice %[[COPY]] into %[[FILL]][0, 0, 1, 1] [1, 2, 8, 8] [1, 1, 1, 1]
// CHECK-NEXT: linalg.pooling_nchw_max {{{.*}}sinter.dispatch_group = 0 : i64{{.*}}} ins(%[[P]], %{{.+}} :
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: tensor.empty() : tensor<1x2x10x10xf32>
// CHECK-NEXT: linalg.fill {sinter.dispatch_group = 1 : i64} ins(%[[ZERO]] : f32)
// CHECK: linalg.copy {sinter.dispatch_group = 1 : i64}
// CHECK: linalg.pooling_nchw_sum {{{.*}}sinter.dispatch_group = 1 : i64
// CHECK: tensor.pad
// CHECK-NEXT: ^bb0
// CHECK-NEXT: tensor.yield %{{.+}} : f32
// CHECK: linalg.pooling_nchw_max {dilations
// CHECK-NOT: sinter.dispatch_group
// CHECK: return
func.func @pool_padding(%x: tensor<1x2x8x8xf32>, %init: tensor<1x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %neginf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %window = tensor.empty() : tensor<3x3xf32>
  %p0 = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %neginf : f32
  } : tensor<1x2x8x8xf32> to tensor<1x2x10x10xf32>
  %max = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p0, %window : tensor<1x2x10x10xf32>, tensor<3x3xf32>) outs(%init : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %p1 = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x2x8x8xf32> to tensor<1x2x10x10xf32>
  %sum = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p1, %window : tensor<1x2x10x10xf32>, tensor<3x3xf32>) outs(%init : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %p2 = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x2x8x8xf32> to tensor<1x2x10x10xf32>
  %max0 = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p2, %window : tensor<1x2x10x10xf32>, tensor<3x3xf32>) outs(%init : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %max, %sum, %max0 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}
