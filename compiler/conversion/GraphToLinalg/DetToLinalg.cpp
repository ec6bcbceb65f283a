//===- DetToLinalg.cpp - Det -> linalg ------------------------------------------------------------------===//
//
// Det of [..., n, n] matrices for n <= 4: one linalg.generic over the batch dimensions whose body evaluates
// the Leibniz formula (sum over the n! permutations of the signed products), unrolled at compile time. It
// needs no pivoting, so it is exact in structure and stable for these sizes; larger matrices would need an
// LU factorization with data-dependent pivots and are refused.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <algorithm>
#include <numeric>

using namespace mlir;

namespace sinter {
namespace {

constexpr int64_t kMaxOrder = 4;

struct DetLowering : OpConversionPattern<graph::DetOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::DetOp op, OpAdaptor adaptor, ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType xType = staticType(adaptor.getX());
    if (!resultType || !xType || xType.getRank() < 2)
      return rewriter.notifyMatchFailure(op, "needs static shapes of rank >= 2");
    int64_t rank = xType.getRank(), order = xType.getDimSize(rank - 1);
    if (xType.getDimSize(rank - 2) != order || resultType.getShape() != xType.getShape().drop_back(2))
      return rewriter.notifyMatchFailure(op, "needs square matrices and a result of the batch shape");
    if (order < 1 || order > kMaxOrder)
      return rewriter.notifyMatchFailure(op, "only matrices up to 4 x 4 are supported");
    int64_t batchRank = rank - 2;
    Value x = adaptor.getX();
    Type element = xType.getElementType();
    Location loc = op.getLoc();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{}, ValueRange{emptyTensor(rewriter, loc, resultType)},
        ArrayRef<AffineMap>{identityMap(getContext(), batchRank)}, parallelIterators(batchRank),
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> index;
          for (int64_t d = 0; d < batchRank; ++d)
            index.push_back(linalg::IndexOp::create(b, l, d));
          SmallVector<SmallVector<Value>> entries(order);
          for (int64_t i = 0; i < order; ++i)
            for (int64_t j = 0; j < order; ++j) {
              SmallVector<Value> at(index);
              at.push_back(arith::ConstantIndexOp::create(b, l, i));
              at.push_back(arith::ConstantIndexOp::create(b, l, j));
              entries[i].push_back(tensor::ExtractOp::create(b, l, x, at));
            }
          SmallVector<int64_t> permutation(order);
          std::iota(permutation.begin(), permutation.end(), 0);
          Value sum = scalarConstant(b, l, element, 0);
          do {
            int64_t inversions = 0;
            for (int64_t i = 0; i < order; ++i)
              for (int64_t j = i + 1; j < order; ++j)
                inversions += permutation[i] > permutation[j];
            Value product = entries[0][permutation[0]];
            for (int64_t i = 1; i < order; ++i)
              product = arith::MulFOp::create(b, l, product, entries[i][permutation[i]]);
            sum = inversions % 2 ? Value(arith::SubFOp::create(b, l, sum, product))
                                 : Value(arith::AddFOp::create(b, l, sum, product));
          } while (std::next_permutation(permutation.begin(), permutation.end()));
          linalg::YieldOp::create(b, l, sum);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void populateGraphDetToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<DetLowering>(converter, patterns.getContext());
}

} // namespace sinter
