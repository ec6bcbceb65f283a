//===- RuntimeCheck.cpp - emitting run-time checks (compiler/conversion/RuntimeCheck.h) ------------------===//
#include "compiler/conversion/RuntimeCheck.h"
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"
#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace sinter {

void emitRuntimeCheck(OpBuilder &b, Location loc, StringRef message,
                      function_ref<Value(OpBuilder &, Location)> holds) {
  auto type = RankedTensorType::get({}, b.getI8Type());
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, ValueRange{}, ValueRange{empty},
      ArrayRef<AffineMap>{AffineMap::get(0, 0, b.getContext())}, ArrayRef<utils::IteratorType>{},
      [&](OpBuilder &nb, Location l, ValueRange) {
        Value ok = holds(nb, l);
        Value failed = arith::XOrIOp::create(nb, l, ok, arith::ConstantIntOp::create(nb, l, 1, 1));
        linalg::YieldOp::create(nb, l, ValueRange{arith::ExtUIOp::create(nb, l, nb.getI8Type(), failed)});
      });
  generic->setAttr(kRuntimeCheckAttr, b.getStringAttr(message));
}

std::string describeNode(Operation *op) {
  StringRef name = op->getName().getStringRef();
  name.consume_front("graph.");
  if (auto loc = dyn_cast<NameLoc>(op->getLoc()))
    return ("node '" + loc.getName().getValue() + "' (" + name + ")").str();
  return name.str();
}

namespace {

/// graph.runtime_check -> a run-time check; one whose condition is the constant true is dropped.
struct RuntimeCheckLowering : OpConversionPattern<graph::RuntimeCheckOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::RuntimeCheckOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Value holds = adaptor.getHolds();
    RankedTensorType type = staticType(holds);
    if (!type || type.getNumElements() != 1)
      return rewriter.notifyMatchFailure(op, "needs a one-element condition");
    DenseElementsAttr constant;
    if (matchPattern(holds, m_Constant(&constant)) && constant.getSplatValue<bool>()) {
      rewriter.eraseOp(op);
      return success();
    }
    emitRuntimeCheck(rewriter, op.getLoc(), op.getMessage(),
                     [&](OpBuilder &b, Location l) { return scalarOf(b, l, holds); });
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void populateGraphRuntimeCheckToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<RuntimeCheckLowering>(converter, patterns.getContext());
}

} // namespace sinter
