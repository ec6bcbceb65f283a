//===- TfIdfVectorizerToLinalg.cpp - TfIdfVectorizer -> linalg ------------------------------------------===//
//
// TfIdfVectorizer over integer tokens, following ONNX's reference implementation: in every row of X ([C] or
// [B, C]) an n-gram of length n in [min_gram_length, max_gram_length] starts at each position i and, for
// each skip s in [0, max_skip_count], takes the tokens at i, i + (s + 1), ..., i + (n - 1)(s + 1) (all inside
// the row); unigrams are counted once, not once per skip. An n-gram found in the pool adds 1 to output
// coordinate ngram_indexes[its ordinal in the pool]; ordinals run over every n-gram of every length in
// the pool, counted or not. The mode then weights the counts (TF: the count; IDF: weights[j] or 1 where
// the count is non-zero; TFIDF: weights[j] or 1 times the count).
//
// Every attribute is a compile-time constant, so the pool becomes constant tensors grouped by output
// coordinate: lengths [D][M] (0 = empty slot) and tokens [D][M][W] (M = most n-grams sharing a coordinate,
// W = longest n-gram). One linalg.generic over (row, coordinate, slot, start, skip) compares the n-gram at
// (start, skip) with the slot's tokens (unrolled over W) and sums the matches; a second one applies the
// mode. Strings (pool_strings) are not supported: the graph dialect has no string tensors.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <map>

using namespace mlir;

namespace sinter {
namespace {

/// The pool's countable n-grams grouped by output coordinate.
struct NgramTable {
  int64_t outputs = 0, slots = 1, width = 1;
  SmallVector<int64_t> lengths; // [outputs][slots], 0 for an empty slot
  SmallVector<int64_t> tokens;  // [outputs][slots][width], padded with 0
  bool empty = true;
};

/// Reads the pool the way ONNX's reference does (one level per n-gram length, ngram_counts[n - 1] its
/// start); a repeated n-gram takes the later ordinal's coordinate, as the reference's map assignment does.
FailureOr<NgramTable> buildTable(graph::TfIdfVectorizerOp op, ArrayRef<int64_t> pool, std::string &reason) {
  ArrayRef<int64_t> counts = op.getNgramCounts(), indexes = op.getNgramIndexes();
  int64_t minGram = op.getMinGramLength(), maxGram = op.getMaxGramLength();
  if (indexes.empty()) {
    reason = "ngram_indexes is empty";
    return failure();
  }
  std::map<SmallVector<int64_t>, int64_t> grams;
  int64_t ordinal = 0, total = pool.size();
  for (int64_t level = 0; level < static_cast<int64_t>(counts.size()); ++level) {
    int64_t size = level + 1, start = counts[level];
    int64_t end = level + 1 < static_cast<int64_t>(counts.size()) ? counts[level + 1] : total;
    if (start < 0 || end > total || start > end) {
      reason = "ngram_counts does not split the pool into increasing ranges";
      return failure();
    }
    if ((end - start) % size != 0) {
      reason = "the pool's " + std::to_string(size) + "-grams do not fill whole n-grams";
      return failure();
    }
    for (int64_t at = start; at < end; at += size, ++ordinal) {
      if (ordinal >= static_cast<int64_t>(indexes.size())) {
        reason = "ngram_indexes has fewer entries than the pool has n-grams";
        return failure();
      }
      if (size >= minGram && size <= maxGram)
        grams[SmallVector<int64_t>(pool.slice(at, size))] = indexes[ordinal];
    }
  }
  NgramTable table;
  for (int64_t index : indexes) {
    if (index < 0) {
      reason = "ngram_indexes holds a negative coordinate";
      return failure();
    }
    table.outputs = std::max(table.outputs, index + 1);
  }
  SmallVector<SmallVector<const SmallVector<int64_t> *>> byOutput(table.outputs);
  for (const auto &[gram, index] : grams) {
    byOutput[index].push_back(&gram);
    table.slots = std::max<int64_t>(table.slots, byOutput[index].size());
    table.width = std::max<int64_t>(table.width, gram.size());
    table.empty = false;
  }
  table.lengths.assign(table.outputs * table.slots, 0);
  table.tokens.assign(table.outputs * table.slots * table.width, 0);
  for (int64_t d = 0; d < table.outputs; ++d)
    for (auto [m, gram] : llvm::enumerate(byOutput[d])) {
      table.lengths[d * table.slots + m] = gram->size();
      llvm::copy(*gram, table.tokens.begin() + (d * table.slots + m) * table.width);
    }
  return table;
}

Value i64Constant(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get(shape, b.getI64Type());
  return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, values));
}

struct TfIdfVectorizerLowering : OpConversionPattern<graph::TfIdfVectorizerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::TfIdfVectorizerOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType xType = staticType(adaptor.getX());
    RankedTensorType resultType = staticResultType(op);
    if (!xType || !resultType || (xType.getRank() != 1 && xType.getRank() != 2) ||
        resultType.getRank() != xType.getRank())
      return rewriter.notifyMatchFailure(op, "needs a static [C] or [B, C] input and a result of the same rank");
    if (op.getPoolStrings() || !op.getPoolInt64s())
      return rewriter.notifyMatchFailure(op, "string n-grams (pool_strings) are not supported, only pool_int64s");
    StringRef mode = op.getMode();
    if (mode != "TF" && mode != "IDF" && mode != "TFIDF")
      return rewriter.notifyMatchFailure(op, "mode must be TF, IDF or TFIDF");
    int64_t minGram = op.getMinGramLength(), maxGram = op.getMaxGramLength(), maxSkip = op.getMaxSkipCount();
    if (minGram < 1 || maxGram < minGram || maxSkip < 0)
      return rewriter.notifyMatchFailure(op, "needs 1 <= min_gram_length <= max_gram_length, max_skip_count >= 0");
    std::string reason;
    FailureOr<NgramTable> table = buildTable(op, *op.getPoolInt64s(), reason);
    if (failed(table))
      return rewriter.notifyMatchFailure(op, reason);
    bool batched = xType.getRank() == 2;
    int64_t rows = batched ? xType.getDimSize(0) : 1, columns = xType.getShape().back();
    if (resultType.getShape().back() != table->outputs || (batched && resultType.getDimSize(0) != rows))
      return rewriter.notifyMatchFailure(op, "result shape is not [B,] max(ngram_indexes) + 1");
    std::optional<ArrayRef<float>> weights = op.getWeights();
    if (weights && !weights->empty() && static_cast<int64_t>(weights->size()) < table->outputs)
      return rewriter.notifyMatchFailure(op, "weights has fewer entries than output coordinates");
    bool weighted = weights && !weights->empty();

    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Type i64 = rewriter.getI64Type(), f32 = rewriter.getF32Type();
    if (table->empty || columns == 0) {
      rewriter.replaceOp(op, filledTensor(rewriter, loc, resultType, scalarConstant(rewriter, loc, f32, 0)));
      return success();
    }

    // Counts: loops (b,) d, m, i, s; the last three reduce.
    int64_t outRank = resultType.getRank(), loops = outRank + 3;
    int64_t dimD = outRank - 1, dimM = outRank, dimI = outRank + 1, dimS = outRank + 2;
    auto countType = RankedTensorType::get(resultType.getShape(), i64);
    Value lengths = i64Constant(rewriter, loc, {table->outputs, table->slots}, table->lengths);
    Value tokens = i64Constant(rewriter, loc, {table->outputs, table->slots, table->width}, table->tokens);
    Value zero = filledTensor(rewriter, loc, countType, scalarConstant(rewriter, loc, i64, 0));
    Value x = adaptor.getX();
    bool unigramsOnce = minGram == 1;
    int64_t width = table->width;

    SmallVector<utils::IteratorType> iterators(outRank, utils::IteratorType::parallel);
    iterators.append(3, utils::IteratorType::reduction);
    auto lengthsMap = AffineMap::get(loops, 0, {getAffineDimExpr(dimD, ctx), getAffineDimExpr(dimM, ctx)}, ctx);
    auto countsMap = AffineMap::getMultiDimIdentityMap(outRank, ctx);
    countsMap = AffineMap::get(loops, 0, countsMap.getResults(), ctx);
    // X read at (b, i) is the n-gram's first token; the other tokens are extracted. The slot and skip loop
    // sizes come from a shape-only operand (an empty [M, S] tensor, as pooling windows do).
    SmallVector<AffineExpr> xExprs;
    if (batched)
      xExprs.push_back(getAffineDimExpr(0, ctx));
    xExprs.push_back(getAffineDimExpr(dimI, ctx));
    auto xMap = AffineMap::get(loops, 0, xExprs, ctx);
    Value extent = emptyTensor(rewriter, loc, RankedTensorType::get({table->slots, maxSkip + 1}, rewriter.getI8Type()));
    auto extentMap = AffineMap::get(loops, 0, {getAffineDimExpr(dimM, ctx), getAffineDimExpr(dimS, ctx)}, ctx);
    auto counts = linalg::GenericOp::create(
        rewriter, loc, TypeRange{countType}, ValueRange{lengths, x, extent}, ValueRange{zero},
        ArrayRef<AffineMap>{lengthsMap, xMap, extentMap, countsMap}, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          auto index = [&](int64_t v) { return arith::ConstantIndexOp::create(b, l, v).getResult(); };
          auto cmp = [&](arith::CmpIPredicate p, Value a, Value c) {
            return arith::CmpIOp::create(b, l, p, a, c).getResult();
          };
          Value len = arith::IndexCastOp::create(b, l, b.getIndexType(), args[0]);
          Value d = linalg::IndexOp::create(b, l, dimD), m = linalg::IndexOp::create(b, l, dimM);
          Value i = linalg::IndexOp::create(b, l, dimI), s = linalg::IndexOp::create(b, l, dimS);
          Value step = arith::AddIOp::create(b, l, s, index(1));
          Value valid = cmp(arith::CmpIPredicate::sgt, len, index(0));
          if (unigramsOnce)
            valid = arith::AndIOp::create(b, l, valid,
                                          arith::OrIOp::create(b, l, cmp(arith::CmpIPredicate::ne, len, index(1)),
                                                               cmp(arith::CmpIPredicate::eq, s, index(0))));
          // The n-gram's last token must lie inside the row (len >= 1 wherever valid holds).
          Value span = arith::MulIOp::create(
              b, l, arith::MaxSIOp::create(b, l, arith::SubIOp::create(b, l, len, index(1)), index(0)), step);
          Value last = arith::AddIOp::create(b, l, i, span);
          valid = arith::AndIOp::create(b, l, valid, cmp(arith::CmpIPredicate::slt, last, index(columns)));
          for (int64_t k = 0; k < width; ++k) {
            Value token = args[1];
            if (k > 0) {
                Value pos = arith::AddIOp::create(b, l, i, arith::MulIOp::create(b, l, step, index(k)));
              // Tokens past the n-gram's length (or the row) are not compared; clamping keeps the read in bounds.
              Value safe = arith::SelectOp::create(b, l, cmp(arith::CmpIPredicate::slt, pos, index(columns)), pos,
                                                   index(0));
              SmallVector<Value> at;
              if (batched)
                at.push_back(linalg::IndexOp::create(b, l, 0));
              at.push_back(safe);
              token = tensor::ExtractOp::create(b, l, x, at);
            }
            if (token.getType() != i64)
              token = arith::ExtSIOp::create(b, l, i64, token);
            Value expected = tensor::ExtractOp::create(b, l, tokens, ValueRange{d, m, index(k)});
            Value match = arith::OrIOp::create(b, l, cmp(arith::CmpIPredicate::eq, token, expected),
                                               cmp(arith::CmpIPredicate::sle, len, index(k)));
            valid = arith::AndIOp::create(b, l, valid, match);
          }
          Value one = arith::ExtUIOp::create(b, l, i64, valid);
          linalg::YieldOp::create(b, l, arith::AddIOp::create(b, l, args[3], one).getResult());
        });

    // Weighting by mode.
    AffineMap id = identityMap(ctx, outRank);
    SmallVector<Value> inputs = {counts.getResult(0)};
    SmallVector<AffineMap> maps = {id};
    if (weighted && mode != "TF") {
      SmallVector<float> w(weights->take_front(table->outputs));
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(RankedTensorType::get({table->outputs}, f32), ArrayRef<float>(w))));
      maps.push_back(AffineMap::get(outRank, 0, {getAffineDimExpr(dimD, ctx)}, ctx));
    }
    maps.push_back(id);
    bool hasWeights = inputs.size() > 1;
    auto result = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, inputs, ValueRange{emptyTensor(rewriter, loc, resultType)}, maps,
        parallelIterators(outRank), [&](OpBuilder &b, Location l, ValueRange args) {
          Value count = args[0];
          Value tf = arith::SIToFPOp::create(b, l, f32, count);
          Value weight = hasWeights ? args[1] : scalarConstant(b, l, f32, 1);
          Value value = tf;
          if (mode == "IDF") {
            Value present = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, count, scalarConstant(b, l, i64, 0));
            value = arith::SelectOp::create(b, l, present, weight, scalarConstant(b, l, f32, 0));
          } else if (mode == "TFIDF" && hasWeights) {
            value = arith::MulFOp::create(b, l, weight, tf);
          }
          linalg::YieldOp::create(b, l, value);
        });
    rewriter.replaceOp(op, result.getResults());
    return success();
  }
};

} // namespace

void populateGraphTfIdfVectorizerToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<TfIdfVectorizerLowering>(converter, patterns.getContext());
}

} // namespace sinter
