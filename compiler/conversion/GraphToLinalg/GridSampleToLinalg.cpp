//===- GridSampleToLinalg.cpp - GridSample -> linalg --------------------------------------------------------===//
//
// GridSample (4-D input, opset 16): one linalg.generic over the result [N, C, H_out, W_out] whose body reads
// the grid's (x, y), maps them to input pixel coordinates and gathers the nearest, bilinear (2 x 2) or
// bicubic (4 x 4, A = -0.75) neighbourhood with tensor.extract. The coordinate math follows ONNX Runtime's
// kernel, which the ONNX test data agrees with: denormalize (align_corners: -1 and 1 are the corner pixel
// centres, else the image edges), round half to even for nearest, then border / reflection padding fold
// coordinates outside the image back in, and pixels read outside it (zeros padding) are 0.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace sinter {
namespace {

enum class Padding { Zeros, Border, Reflection };

/// Scalar float helpers bound to one builder and element type.
struct FloatMath {
  OpBuilder &b;
  Location loc;
  Type t;
  Value c(double v) const { return scalarConstant(b, loc, t, v); }
  Value add(Value x, Value y) const { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) const { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) const { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) const { return arith::DivFOp::create(b, loc, x, y); }
  Value floor(Value x) const { return math::FloorOp::create(b, loc, x); }
  Value clamp(Value x, double lo, double hi) const {
    return arith::MinimumFOp::create(b, loc, arith::MaximumFOp::create(b, loc, x, c(lo)), c(hi));
  }
  Value less(Value x, Value y) const { return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, y); }
  Value select(Value cond, Value x, Value y) const { return arith::SelectOp::create(b, loc, cond, x, y); }

  /// ONNX Runtime's GsReflect: folds x into [lo, hi] by reflecting at the bounds as often as needed.
  Value reflect(Value x, double lo, double hi) const {
    double range = hi - lo;
    auto fold = [&](Value distance, Value evenBase, bool evenSubtracts) {
      Value n = floor(div(distance, c(range)));
      Value r = sub(distance, mul(n, c(range)));
      Value nInt = arith::FPToSIOp::create(b, loc, b.getI64Type(), n);
      Value odd = arith::TruncIOp::create(b, loc, b.getI1Type(), nInt);
      Value even = evenSubtracts ? sub(evenBase, r) : add(evenBase, r);
      Value oddValue = evenSubtracts ? add(c(lo), r) : sub(c(hi), r);
      return select(odd, oddValue, even);
    };
    Value below = fold(sub(c(lo), x), c(lo), false);
    Value above = fold(sub(x, c(hi)), c(hi), true);
    return select(less(x, c(lo)), below, select(less(c(hi), x), above, x));
  }
};

struct GridSampleLowering : OpConversionPattern<graph::GridSampleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::GridSampleOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType xType = staticType(adaptor.getX()), gridType = staticType(adaptor.getGrid());
    if (!resultType || !xType || !gridType || xType.getRank() != 4 || gridType.getRank() != 4 ||
        gridType.getDimSize(3) != 2 || !isa<FloatType>(xType.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a static 4-D float input and an [N, H, W, 2] grid");
    int64_t n = xType.getDimSize(0), channels = xType.getDimSize(1), height = xType.getDimSize(2),
            width = xType.getDimSize(3);
    if (gridType.getDimSize(0) != n ||
        resultType.getShape() != ArrayRef<int64_t>{n, channels, gridType.getDimSize(1), gridType.getDimSize(2)})
      return rewriter.notifyMatchFailure(op, "result shape disagrees with the input and the grid");
    StringRef mode = op.getMode();
    if (mode != "bilinear" && mode != "nearest" && mode != "bicubic")
      return rewriter.notifyMatchFailure(op, "unknown mode");
    Padding padding;
    if (op.getPaddingMode() == "zeros")
      padding = Padding::Zeros;
    else if (op.getPaddingMode() == "border")
      padding = Padding::Border;
    else if (op.getPaddingMode() == "reflection")
      padding = Padding::Reflection;
    else
      return rewriter.notifyMatchFailure(op, "unknown padding_mode");
    bool alignCorners = op.getAlignCorners() != 0;
    Type element = xType.getElementType();
    Value x = adaptor.getX(), grid = adaptor.getGrid();
    Location loc = op.getLoc();

    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{}, ValueRange{emptyTensor(rewriter, loc, resultType)},
        ArrayRef<AffineMap>{identityMap(getContext(), 4)}, parallelIterators(4),
        [&](OpBuilder &b, Location l, ValueRange) {
          FloatMath m{b, l, element};
          Value batch = linalg::IndexOp::create(b, l, 0), channel = linalg::IndexOp::create(b, l, 1);
          Value row = linalg::IndexOp::create(b, l, 2), column = linalg::IndexOp::create(b, l, 3);
          auto gridAt = [&](int64_t k) {
            return tensor::ExtractOp::create(b, l, grid,
                                             ValueRange{batch, row, column, arith::ConstantIndexOp::create(b, l, k)})
                .getResult();
          };
          // Denormalized coordinates (x along the width, y along the height).
          auto denormalize = [&](Value v, int64_t size) {
            Value shifted = m.add(v, m.c(1));
            return alignCorners ? m.div(m.mul(shifted, m.c(size - 1)), m.c(2))
                                : m.div(m.sub(m.mul(shifted, m.c(size)), m.c(1)), m.c(2));
          };
          Value fx = denormalize(gridAt(0), width), fy = denormalize(gridAt(1), height);
          if (mode == "nearest") {
            fx = math::RoundEvenOp::create(b, l, fx);
            fy = math::RoundEvenOp::create(b, l, fy);
          }
          double xMin = alignCorners ? 0 : -0.5, xMax = alignCorners ? width - 1 : width - 0.5;
          double yMin = alignCorners ? 0 : -0.5, yMax = alignCorners ? height - 1 : height - 0.5;
          if (padding == Padding::Border) {
            fx = m.clamp(fx, 0, width - 1);
            fy = m.clamp(fy, 0, height - 1);
          } else if (padding == Padding::Reflection) {
            fx = m.reflect(fx, xMin, xMax);
            fy = m.reflect(fy, yMin, yMax);
          }
          // The pixel at integral (float) coordinates, padded as the mode says.
          auto pixel = [&](Value py, Value px) -> Value {
            Value inside;
            if (padding == Padding::Zeros) {
              auto within = [&](Value v, int64_t size) {
                Value lo = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, v, m.c(0));
                Value hi = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLE, v, m.c(size - 1));
                return arith::AndIOp::create(b, l, lo, hi).getResult();
              };
              inside = arith::AndIOp::create(b, l, within(px, width), within(py, height));
            } else if (padding == Padding::Reflection) {
              px = m.reflect(px, xMin, xMax);
              py = m.reflect(py, yMin, yMax);
            }
            // Clamped in every mode, so that no read leaves the input (a no-op where the mode already folded
            // the coordinate in); truncation toward zero as in the reference's integer cast.
            auto toIndex = [&](Value v, int64_t size) {
              Value i = arith::FPToSIOp::create(b, l, b.getI64Type(), m.clamp(v, 0, size - 1));
              return arith::IndexCastOp::create(b, l, b.getIndexType(), i).getResult();
            };
            Value value =
                tensor::ExtractOp::create(b, l, x, ValueRange{batch, channel, toIndex(py, height), toIndex(px, width)});
            return inside ? m.select(inside, value, m.c(0)) : value;
          };

          Value result;
          if (mode == "nearest") {
            result = pixel(fy, fx);
          } else if (mode == "bilinear") {
            Value x1 = m.floor(fx), y1 = m.floor(fy);
            Value x2 = m.add(x1, m.c(1)), y2 = m.add(y1, m.c(1));
            Value dx2 = m.sub(x2, fx), dx1 = m.sub(fx, x1), dy2 = m.sub(y2, fy), dy1 = m.sub(fy, y1);
            Value top = m.add(m.mul(dx2, pixel(y1, x1)), m.mul(dx1, pixel(y1, x2)));
            Value bottom = m.add(m.mul(dx2, pixel(y2, x1)), m.mul(dx1, pixel(y2, x2)));
            result = m.add(m.mul(dy2, top), m.mul(dy1, bottom));
          } else {
            Value x0 = m.sub(m.floor(fx), m.c(1)), y0 = m.sub(m.floor(fy), m.c(1));
            Value tx = m.sub(fx, m.floor(fx)), ty = m.sub(fy, m.floor(fy));
            auto coefficients = [&](Value s) {
              const double a = -0.75;
              Value s1 = m.add(s, m.c(1)), t = m.sub(m.c(1), s), t1 = m.sub(m.c(2), s);
              auto outer = [&](Value v) { // ((a v - 5a) v + 8a) v - 4a, for 1 < v < 2
                return m.sub(m.mul(m.add(m.mul(m.sub(m.mul(m.c(a), v), m.c(5 * a)), v), m.c(8 * a)), v), m.c(4 * a));
              };
              auto inner = [&](Value v) { // ((a + 2) v - (a + 3)) v v + 1, for 0 <= v <= 1
                return m.add(m.mul(m.mul(m.sub(m.mul(m.c(a + 2), v), m.c(a + 3)), v), v), m.c(1));
              };
              return std::array<Value, 4>{outer(s1), inner(s), inner(t), outer(t1)};
            };
            std::array<Value, 4> cx = coefficients(tx), cy = coefficients(ty);
            result = m.c(0);
            for (int64_t i = 0; i < 4; ++i) {
              Value rowSum = m.c(0);
              for (int64_t j = 0; j < 4; ++j)
                rowSum = m.add(rowSum, m.mul(cx[j], pixel(m.add(y0, m.c(i)), m.add(x0, m.c(j)))));
              result = m.add(result, m.mul(cy[i], rowSum));
            }
          }
          linalg::YieldOp::create(b, l, result);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void populateGraphGridSampleToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<GridSampleLowering>(converter, patterns.getContext());
}

} // namespace sinter
