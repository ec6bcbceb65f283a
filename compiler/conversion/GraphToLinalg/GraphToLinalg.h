//===- GraphToLinalg.h - graph dialect -> linalg/tensor/arith/math patterns ----------------------------===//
//
// One populate function per op category; each lives in its own file. All patterns require ranked, static
// result types (the importer makes them so); they fail to match otherwise, and the pass reports the op.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_COMPILER_CONVERSION_GRAPHTOLINALG_GRAPHTOLINALG_H
#define SINTER_COMPILER_CONVERSION_GRAPHTOLINALG_GRAPHTOLINALG_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

namespace sinter {

/// Tensor types with signless element types (ONNX's unsigned integers become signless; arith and linalg
/// work on signless integers, and patterns read signedness from the original op's types).
class GraphToLinalgTypeConverter : public mlir::TypeConverter {
public:
  GraphToLinalgTypeConverter();
};

/// Unary/binary/variadic elementwise ops with Numpy broadcasting, Cast, Where, Clip, activations.
void populateGraphElementwiseToLinalgPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// MatMul (batched, broadcasting) and Gemm.
void populateGraphMatMulToLinalgPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// graph.constant, graph.none and data movement: Reshape, Transpose, Concat, Slice, Split, Gather,
/// Squeeze/Unsqueeze/Flatten, Expand, Pad, ...
void populateGraphTensorToLinalgPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// Normalizations, softmax, convolutions, pooling, DFT.
void populateGraphNNToLinalgPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// Reduce* ops, ArgMax/ArgMin.
void populateGraphReductionToLinalgPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// Index-computing ops: Shape, Size, EyeLike, Range, windows, ReverseSequence, OneHot, DepthToSpace/SpaceToDepth, GatherND, CumSum,
/// ScatterElements, ScatterND.
void populateGraphIndexingToLinalgPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// Slice, Pad and ReduceSum whose starts/pads/axes are runtime values (static result shapes).
void populateGraphRuntimeOperandsToLinalgPatterns(const mlir::TypeConverter &converter,
                                                  mlir::RewritePatternSet &patterns);
/// Resize with runtime scales/sizes/roi, cubic mode and tf_crop_and_resize.
void populateGraphResizeToLinalgPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear.
void populateGraphQuantizeToLinalgPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// RNN, GRU, LSTM, unrolled over the static sequence length.
void populateGraphRecurrentToLinalgPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// GridSample (nearest, bilinear, bicubic; zeros, border, reflection padding).
void populateGraphGridSampleToLinalgPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// Det of matrices up to 4 x 4.
void populateGraphDetToLinalgPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// MaxPool the named pooling ops do not cover (N-D, unsigned, Indices), AveragePool with 3+ spatial dimensions,
/// MaxUnpool.
void populateGraphPoolingToLinalgPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// RoiAlign with a fixed sampling_ratio.
void populateGraphRoiAlignToLinalgPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// STFT with run-time frame_step / frame_length.
void populateGraphSTFTToLinalgPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// MatMulInteger, ConvInteger, QLinearMatMul, QLinearConv.
void populateGraphIntegerToLinalgPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// BatchNormalization in training mode.
void populateGraphBatchNormTrainingToLinalgPatterns(const mlir::TypeConverter &converter,
                                                    mlir::RewritePatternSet &patterns);
/// TfIdfVectorizer over integer tokens (the n-gram pool becomes constant tensors).
void populateGraphTfIdfVectorizerToLinalgPatterns(const mlir::TypeConverter &converter,
                                                  mlir::RewritePatternSet &patterns);
/// The ai.onnx.preview.training optimizers: Adagrad, Adam, Momentum (standard and Nesterov).
void populateGraphOptimizerToLinalgPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// Training losses: NegativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss.
void populateGraphLossToLinalgPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// graph.runtime_check (RuntimeCheck.cpp; compiler/conversion/RuntimeCheck.h).
void populateGraphRuntimeCheckToLinalgPatterns(const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// NonZero, Compress, Unique, NonMaxSuppression: results whose shape depends on input values, lowered to a
/// data tensor of their static bound plus their actual dims (compiler/conversion/BoundedResult.h).
void populateGraphBoundedResultsToLinalgPatterns(const mlir::TypeConverter &converter,
                                                 mlir::RewritePatternSet &patterns);
/// Fails, with an error naming the node, op and the consumer, when a result whose shape depends on input
/// values feeds anything but the function's return: only graph outputs may have such shapes.
mlir::LogicalResult checkBoundedResultsAreOutputs(mlir::func::FuncOp func);

} // namespace sinter

#endif // SINTER_COMPILER_CONVERSION_GRAPHTOLINALG_GRAPHTOLINALG_H
