//===- GraphToLinalg.cpp - the convert-graph-to-linalg pass ---------------------------------------------===//
#include "compiler/conversion/BoundedResult.h"
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"
#include "compiler/conversion/Passes.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Transforms/DialectConversion.h"

namespace sinter {
#define GEN_PASS_DEF_CONVERTGRAPHTOLINALG
#include "compiler/conversion/Passes.h.inc"
} // namespace sinter

using namespace mlir;

namespace sinter {

static Type signlessElementType(Type t) {
  if (auto it = dyn_cast<IntegerType>(t); it && !it.isSignless())
    return IntegerType::get(t.getContext(), it.getWidth());
  return t;
}

GraphToLinalgTypeConverter::GraphToLinalgTypeConverter() {
  addConversion([](Type t) { return t; });
  addConversion([](RankedTensorType t) -> Type { return t.clone(signlessElementType(t.getElementType())); });
  // Function boundaries keep ONNX's types; unsigned <-> signless is a bit-identical cast.
  auto cast = [](OpBuilder &b, Type type, ValueRange inputs, Location loc) -> Value {
    return UnrealizedConversionCastOp::create(b, loc, type, inputs).getResult(0);
  };
  addSourceMaterialization(cast);
  addTargetMaterialization(cast);
}

namespace {

/// graph.constant -> arith.constant with a signless element type (resource blobs are shared, not copied).
struct ConstantLowering : OpConversionPattern<graph::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::ConstantOp op, OpAdaptor, ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    Attribute value = op.getValue();
    if (type != op.getType()) {
      if (auto dense = dyn_cast<DenseElementsAttr>(value))
        value = dense.bitcast(type.getElementType());
      else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
        value = DenseResourceElementsAttr::get(type, resource.getRawHandle());
      else
        return rewriter.notifyMatchFailure(op, "unknown constant kind");
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, type, cast<TypedAttr>(value));
    return success();
  }
};

struct ConvertGraphToLinalgPass : impl::ConvertGraphToLinalgBase<ConvertGraphToLinalgPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    GraphToLinalgTypeConverter converter;
    if (failed(checkBoundedResultsAreOutputs(func)))
      return signalPassFailure();

    RewritePatternSet patterns(ctx);
    patterns.add<ConstantLowering>(converter, ctx);
    populateGraphElementwiseToLinalgPatterns(converter, patterns);
    populateGraphRuntimeCheckToLinalgPatterns(converter, patterns);
    populateGraphMatMulToLinalgPatterns(converter, patterns);
    populateGraphTensorToLinalgPatterns(converter, patterns);
    populateGraphNNToLinalgPatterns(converter, patterns);
    populateGraphReductionToLinalgPatterns(converter, patterns);
    populateGraphLossToLinalgPatterns(converter, patterns);
    populateGraphIndexingToLinalgPatterns(converter, patterns);
    populateGraphRuntimeOperandsToLinalgPatterns(converter, patterns);
    populateGraphResizeToLinalgPatterns(converter, patterns);
    populateGraphQuantizeToLinalgPatterns(converter, patterns);
    populateGraphRecurrentToLinalgPatterns(converter, patterns);
    populateGraphGridSampleToLinalgPatterns(converter, patterns);
    populateGraphDetToLinalgPatterns(converter, patterns);
    populateGraphPoolingToLinalgPatterns(converter, patterns);
    populateGraphIntegerToLinalgPatterns(converter, patterns);
    populateGraphRoiAlignToLinalgPatterns(converter, patterns);
    populateGraphSTFTToLinalgPatterns(converter, patterns);
    populateGraphBatchNormTrainingToLinalgPatterns(converter, patterns);
    populateGraphTfIdfVectorizerToLinalgPatterns(converter, patterns);
    populateGraphOptimizerToLinalgPatterns(converter, patterns);
    populateGraphBoundedResultsToLinalgPatterns(converter, patterns);

    // Graph ops are left "unknown" rather than illegal: one that no pattern lowers stays in place and is
    // reported below with its node and op type, instead of a generic legalization failure.
    ConversionTarget target(*ctx);
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect, math::MathDialect, memref::MemRefDialect,
                           scf::SCFDialect, tensor::TensorDialect>();
    target.addLegalOp<graph::NoneOp>();
    // The casts that join a bounded result's data and dims (compiler/conversion/BoundedResult.h).
    target.addDynamicallyLegalOp<UnrealizedConversionCastOp>(
        [](UnrealizedConversionCastOp cast) { return cast->hasAttr(kBoundShapeAttr); });
    if (failed(applyPartialConversion(func, target, std::move(patterns)))) {
      signalPassFailure();
      return;
    }

    bool unlowered = false;
    func.walk([&](Operation *op) {
      if (isa<graph::NoneOp>(op) || !isa<graph::GraphDialect>(op->getDialect()))
        return;
      StringRef name = op->getName().getStringRef().drop_front(strlen("graph."));
      bool dynamic = llvm::any_of(op->getResultTypes(), [](Type t) {
        auto shaped = dyn_cast<ShapedType>(t);
        return shaped && !shaped.hasStaticShape();
      });
      InFlightDiagnostic diag = op->emitError() << "(" << name << "): "
                                                << (dynamic ? "cannot be lowered: its result shape is not static"
                                                            : "lowering to linalg is not implemented for this op and its types");
      // Range's length is an input's business: say how to give it one (docs/ARCHITECTURE.md, "Run-time checks").
      if (dynamic && isa<graph::RangeOp>(op))
        diag << " (its length depends on input values: Sinter compiles it when it reaches a graph output declared "
                "with a fixed extent, and checks the length at run time)";
      unlowered = true;
    });
    if (unlowered)
      return signalPassFailure();
    func.walk([](graph::NoneOp none) {
      if (none->use_empty())
        none->erase();
    });
    signlessSignature(func, converter);
  }

  /// Gives the function signless argument and result types, so that no unsigned <-> signless casts are left
  /// at its boundary (bufferization cannot handle them). The module's signature, read before lowering, keeps
  /// ONNX's unsigned types; the bytes are the same.
  static void signlessSignature(func::FuncOp func, const TypeConverter &converter) {
    if (func.isDeclaration())
      return;
    Block &entry = func.getBody().front();
    for (BlockArgument arg : entry.getArguments())
      arg.setType(converter.convertType(arg.getType()));
    SmallVector<UnrealizedConversionCastOp> casts;
    func.walk([&](UnrealizedConversionCastOp cast) { casts.push_back(cast); });
    for (UnrealizedConversionCastOp cast : casts) {
      if (cast.getNumOperands() == 1 && cast.getNumResults() == 1 &&
          cast.getOperand(0).getType() == cast.getResult(0).getType()) {
        cast.getResult(0).replaceAllUsesWith(cast.getOperand(0));
        cast.erase();
      }
    }
    SmallVector<Type> resultTypes;
    func.walk([&](func::ReturnOp ret) {
      for (OpOperand &operand : ret->getOpOperands()) {
        auto cast = operand.get().getDefiningOp<UnrealizedConversionCastOp>();
        if (cast && cast.getNumOperands() == 1 &&
            cast.getOperand(0).getType() == converter.convertType(operand.get().getType()))
          operand.set(cast.getOperand(0));
        resultTypes.push_back(operand.get().getType());
      }
    });
    func.setFunctionType(FunctionType::get(func.getContext(), entry.getArgumentTypes(), resultTypes));
  }
};

} // namespace
} // namespace sinter
