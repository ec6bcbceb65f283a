//===- STFTToLinalg.cpp - STFT -> linalg ---------------------------------------------------------------------===//
//
// STFT (opset 17): one linalg.generic over the result [batch, frames, bins, 2] with a reduction loop over the
// frame's samples. frame_step and frame_length may be run-time scalars (the ONNX tests feed them as graph
// inputs): the frame start f * frame_step and the twiddles cos/sin(2 pi k n / frame_length) are computed in
// the body, in f64 and accumulated in f64 for the f32 result. The sample loop runs over the window length
// when a window is given (frame_length must then equal it), else over the whole signal, masked by
// n < frame_length. The frame and bin counts are the static result shape's; reads past the signal are
// clamped in bounds, never out of it.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;

namespace sinter {
namespace {

/// The single element of a rank-0 or one-element integer tensor, as an index.
Value scalarIndex(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<Value> at(type.getRank(), arith::ConstantIndexOp::create(b, loc, 0));
  Value v = tensor::ExtractOp::create(b, loc, tensor, at);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
}

struct STFTLowering : OpConversionPattern<graph::STFTOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::STFTOp op, OpAdaptor adaptor, ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType signalType = staticType(adaptor.getSignal());
    if (!resultType || !signalType || signalType.getRank() != 3 || resultType.getRank() != 4 ||
        resultType.getDimSize(3) != 2 || resultType.getDimSize(0) != signalType.getDimSize(0) ||
        (signalType.getDimSize(2) != 1 && signalType.getDimSize(2) != 2))
      return rewriter.notifyMatchFailure(op, "needs a static signal [batch, length, 1 or 2] and result [batch, frames, bins, 2]");
    Type element = signalType.getElementType();
    if (!element.isF32() && !element.isF64())
      return rewriter.notifyMatchFailure(op, "needs an f32 or f64 signal");
    bool complexInput = signalType.getDimSize(2) == 2;
    if (op.getOnesided() != 0 && complexInput)
      return rewriter.notifyMatchFailure(op, "onesided needs a real signal");
    auto isScalar = [](Value v) {
      RankedTensorType t = staticType(v);
      return t && t.getNumElements() == 1 && t.getRank() <= 1;
    };
    Value window = adaptor.getWindow(), frameLength = adaptor.getFrameLength();
    bool hasWindow = !isa<NoneType>(window.getType()), hasLength = !isa<NoneType>(frameLength.getType());
    if (!isScalar(adaptor.getFrameStep()) || (hasLength && !isScalar(frameLength)))
      return rewriter.notifyMatchFailure(op, "frame_step and frame_length must be scalars");
    int64_t signalLength = signalType.getDimSize(1), loopLength = signalLength;
    if (hasWindow) {
      RankedTensorType windowType = staticType(window);
      if (!windowType || windowType.getRank() != 1 || windowType.getElementType() != element)
        return rewriter.notifyMatchFailure(op, "window must be a static 1-D tensor of the signal's type");
      loopLength = windowType.getDimSize(0);
    } else if (!hasLength) {
      return rewriter.notifyMatchFailure(op, "needs a window or a frame_length");
    }
    if (loopLength < 1 || loopLength > signalLength)
      return rewriter.notifyMatchFailure(op, "frame longer than the signal");
    if (!hasLength && op.getOnesided() != 0 && resultType.getDimSize(2) != loopLength / 2 + 1)
      return rewriter.notifyMatchFailure(op, "bin count disagrees with the window length");
    if (!hasLength && op.getOnesided() == 0 && resultType.getDimSize(2) != loopLength)
      return rewriter.notifyMatchFailure(op, "bin count disagrees with the window length");

    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value signal = adaptor.getSignal();
    Type f64 = rewriter.getF64Type();
    auto accType = RankedTensorType::get(resultType.getShape(), f64);
    SmallVector<AffineExpr> outExprs;
    for (int64_t d = 0; d < 4; ++d)
      outExprs.push_back(getAffineDimExpr(d, ctx));
    Value samples = tensor::EmptyOp::create(rewriter, loc, ArrayRef<int64_t>{loopLength}, f64);
    SmallVector<utils::IteratorType> iterators = parallelIterators(4);
    iterators.push_back(utils::IteratorType::reduction);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{accType}, ValueRange{samples},
        ValueRange{filledTensor(rewriter, loc, accType, scalarConstant(rewriter, loc, f64, 0))},
        ArrayRef<AffineMap>{AffineMap::get(5, 0, {getAffineDimExpr(4, ctx)}, ctx), AffineMap::get(5, 0, outExprs, ctx)},
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          auto idx = [&](int64_t v) { return arith::ConstantIndexOp::create(b, l, v).getResult(); };
          auto toF64 = [&](Value i) {
            return arith::SIToFPOp::create(b, l, f64, arith::IndexCastOp::create(b, l, b.getI64Type(), i)).getResult();
          };
          auto extend = [&](Value v) { return v.getType() == f64 ? v : arith::ExtFOp::create(b, l, f64, v).getResult(); };
          Value batch = linalg::IndexOp::create(b, l, 0), frame = linalg::IndexOp::create(b, l, 1);
          Value bin = linalg::IndexOp::create(b, l, 2), part = linalg::IndexOp::create(b, l, 3);
          Value n = linalg::IndexOp::create(b, l, 4);
          // The run-time scalars are read inside the body (a dispatch holds only linalg ops). A non-positive
          // frame_length is invalid; it is clamped to 1 so that the twiddles never divide by 0.
          Value step = scalarIndex(b, l, adaptor.getFrameStep());
          Value length = hasLength ? scalarIndex(b, l, frameLength) : idx(loopLength);
          length = arith::MaxSIOp::create(b, l, length, idx(1));
          Value position = arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, frame, step), n);
          position = arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, position, idx(0)), idx(signalLength - 1));
          Value re = extend(tensor::ExtractOp::create(b, l, signal, ValueRange{batch, position, idx(0)}));
          Value im = complexInput ? extend(tensor::ExtractOp::create(b, l, signal, ValueRange{batch, position, idx(1)}))
                                  : scalarConstant(b, l, f64, 0);
          if (hasWindow) {
            Value w = extend(tensor::ExtractOp::create(b, l, window, ValueRange{n}));
            re = arith::MulFOp::create(b, l, re, w);
            im = arith::MulFOp::create(b, l, im, w);
          }
          // theta = 2 pi (k n mod L) / L; (re + i im)(cos theta - i sin theta).
          Value kn = arith::RemUIOp::create(b, l, arith::MulIOp::create(b, l, bin, n), length);
          Value theta = arith::DivFOp::create(
              b, l, arith::MulFOp::create(b, l, scalarConstant(b, l, f64, 2 * M_PI), toF64(kn)), toF64(length));
          Value c = math::CosOp::create(b, l, theta), s = math::SinOp::create(b, l, theta);
          Value realPart = arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, re, c), arith::MulFOp::create(b, l, im, s));
          Value imagPart = arith::SubFOp::create(b, l, arith::MulFOp::create(b, l, im, c), arith::MulFOp::create(b, l, re, s));
          Value isImag = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, part, idx(1));
          Value term = arith::SelectOp::create(b, l, isImag, imagPart, realPart);
          Value inFrame = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, n, length);
          term = arith::SelectOp::create(b, l, inFrame, term, scalarConstant(b, l, f64, 0));
          linalg::YieldOp::create(b, l, arith::AddFOp::create(b, l, args[1], term).getResult());
        });
    Value result = generic.getResult(0);
    if (element != f64)
      result = mapElements(rewriter, loc, result, element, [&](OpBuilder &b, Location l, Value v) -> Value {
        return arith::TruncFOp::create(b, l, element, v);
      });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateGraphSTFTToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<STFTLowering>(converter, patterns.getContext());
}

} // namespace sinter
