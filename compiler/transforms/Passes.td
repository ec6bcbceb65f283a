//===- Passes.td - Sinter transforms on linalg/tensor IR ------------------------------------------------===//
//
// Transforms between lowering steps (fusion, later tiling and vectorization schedules). Sources live in
// compiler/transforms/, tests in test/compiler/transforms/.
//
//===----------------------------------------------------------------------------------------------------===//

#ifndef SINTER_TRANSFORMS_PASSES
#define SINTER_TRANSFORMS_PASSES

include "mlir/Pass/PassBase.td"

def FuseElementwise : Pass<"sinter-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Fuse elementwise linalg producers into their elementwise consumers";
  let description = [{
    Upstream's elementwise fusion, restricted so that it never duplicates work: a producer is fused only
    into an all-parallel consumer (never into a contraction or reduction, where it would be recomputed for
    every reduction step) and only when the consumer is its single user. Each fused chain becomes one
    dispatch that reads its inputs and writes its result once. The exception is a producer that only
    moves data (a transpose, generalized first, or a copy): it fuses into any consumer, which then reads
    the original tensor through a permuted map instead of a transposed copy (attention's head split).
    With `fuse-gathers`, a gather copy (an all-parallel copy whose input map is not a permutation, such as
    sinter-conv-to-im2col's patches) also fuses into a contraction consumer, which then reads the padded
    input through the gather map: the CPU target's sgemm ukernel gathers such operands while packing
    (GatherUkernel.cpp), so the patches are never materialized. Off by default: on the loop path such a
    contraction recomputes every patch address in its innermost loop.
  }];
  let options = [
    Option<"fuseGathers", "fuse-gathers", "bool", /*default=*/"false",
           "Fuse gather copies (im2col) into contraction consumers">
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::affine::AffineDialect"];
}

def ConvToIm2col : Pass<"sinter-conv-to-im2col", "mlir::func::FuncOp"> {
  let summary = "Rewrite f32 2-D convolutions as im2col + matrix multiplication";
  let description = [{
    Upstream's im2col rewrite for `linalg.conv_2d_nchw_fchw` (group 1, any stride and dilation; padding is
    already a separate `tensor.pad`): the input patches are gathered into a [N, C*KH*KW, OH*OW] tensor and
    the convolution becomes a contraction with the [F, C*KH*KW] filter, which the CPU target runs on its
    matrix-multiply ukernel instead of a 7-deep loop nest. The patches are one copy, unless
    sinter-fuse-elementwise{fuse-gathers} folds it into the contraction (the CPU target with ukernels then
    gathers them while packing); only f32 convolutions are rewritten (the contraction ukernel is f32).
    With transpose-small-maps, a batch-1 convolution whose output positions fill 32-wide tiles at least 20
    points worse than its filters (ResNet's 7x7 stage) becomes C^T = patches^T . W^T instead:
    positions as rows, a transposed constant filter, the patches gathered into memory.
  }];
  let options = [
    Option<"transposeSmallMaps", "transpose-small-maps", "bool", /*default=*/"true",
           "Multiply positions-as-rows for small batch-1 output maps">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

def ConvToWinograd : Pass<"sinter-conv-to-winograd", "mlir::func::FuncOp"> {
  let summary = "Rewrite f32 3x3 stride-1 convolutions as Winograd F(2x2, 3x3)";
  let description = [{
    For a `linalg.conv_2d_nchw_fchw` with a constant 3x3 filter, unit strides and dilations (padding is
    a separate `tensor.pad`): the input transform V = B^T d B of every 4x4 input tile, a
    `linalg.batch_matmul` of the 16 transformed filters U = G g G^T (computed at compile time) with V, and
    the output transform Y += A^T m A into the convolution's init, which keeps its bias. The transforms are
    linalg.generic reductions with B^T and A^T as constant operands, marked `sinter.winograd` = "input" /
    "output" (compiler/transforms/WinogradTransforms.h), exact as IR; the CPU target runs them on
    ukernels. 16/36 of the direct form's multiplications. Convolutions with fewer than `min-channels`
    input channels or filters, or fewer than `min-tiles` 2x2 output tiles, are left alone; odd output
    extents are padded to whole tiles and sliced back.
  }];
  let options = [
    Option<"minChannels", "min-channels", "int64_t", /*default=*/"16",
           "Fewest input channels and filters to rewrite">,
    Option<"minTiles", "min-tiles", "int64_t", /*default=*/"32",
           "Fewest 2x2 output tiles (over the batch) to rewrite">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

def PackWeights : Pass<"sinter-pack-weights", "mlir::func::FuncOp"> {
  let summary = "Store constant matrix-multiply weights in the panel layout the CPU ukernel reads";
  let description = [{
    For an f32 contraction whose right-hand operand B is a 2-D constant (a weight, [K, N] or transposed
    [N, K]), rewrites B at compile time into panels of `panel-width` columns: a [ceil(N / W), K, W] constant
    whose panel p holds columns p*W .. p*W+W-1 of every row of K, contiguous, zero-padded past N. The
    contraction reads it through the map (n, k) -> (n floordiv W, k, n mod W), so the IR stays exact (a
    loop lowering computes the same values); the CPU target recognizes the form and calls its sgemm ukernel
    in packed mode, which then neither packs B per call nor walks its rows with a large stride. W must be
    the ukernel's panel width (two vectors: 16 floats with AVX2, 32 with AVX-512, 8 with NEON).
  }];
  let options = [
    Option<"panelWidth", "panel-width", "unsigned", "16", "Columns per panel (the ukernel's NR)">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::arith::ArithDialect"];
}

def FuseEpilogues : Pass<"sinter-fuse-epilogues", "mlir::func::FuncOp"> {
  let summary = "Group f32 contractions with their bias prologue and elementwise epilogue for the ukernel";
  let description = [{
    For each f32 contraction C += A * B (no batch), takes the op that sets C's initial value (a fill with
    0 or a broadcast of a bias; its result used only as C's init) and the elementwise op that consumes C
    (adds of other tensors, then maximum/minimum with constants: bias add, ReLU, Clip, residual add; its
    only user), folds reshapes between them by collapsing their iteration dimensions to C's shape,
    rewrites the epilogue to update C in place (outs = C), and marks the ops with one
    `sinter.dispatch_group`. Program formation outlines a group as one dispatch, which the CPU target
    replaces by one sgemm ukernel call applying prologue and epilogue as it stores C (ukernels/
    sgemm_epilogue.h). A contraction that reads B through a gather map (a convolution's im2col) from a
    tensor.pad with +0.0 (static amounts, at most two padded dimensions, one use) gets the pad in its group
    too, rewritten as a fill of the padded tensor and a linalg.copy of the input into its interior, which
    the CPU target drops to read the unpadded input in place; so does a linalg.pooling_nchw_max (_sum) with
    its -inf (+0) padding along H and W and the -inf (+0) fill of its output, grouped with the pool. A
    sinter-conv-to-winograd chain is one group with its output transform's bias broadcast, its elementwise
    epilogue (ReLU, residual add) and its input's zero padding; a batched contraction takes only its zero
    fill. The rewrite keeps the IR's meaning; only the grouping is new.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // SINTER_TRANSFORMS_PASSES
