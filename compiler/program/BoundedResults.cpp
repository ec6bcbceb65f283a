//===- BoundedResults.cpp - bounded results of @main -> data result + extra dims result ------------------===//
#include "compiler/conversion/BoundedResult.h"
#include "compiler/program/Program.h"

#include "mlir/IR/BuiltinAttributes.h"

#include "llvm/ADT/SetVector.h"

using namespace mlir;

namespace sinter {

LogicalResult exposeBoundedResults(ModuleOp module, Program &program) {
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main)
    return module.emitError("exposeBoundedResults expects a @main");
  if (!llvm::hasSingleElement(main.getBody()))
    return main.emitError("exposeBoundedResults expects @main to have one block");
  auto ret = cast<func::ReturnOp>(main.getBody().front().getTerminator());
  SmallVector<Value> results(ret.getOperands());
  unsigned outputs = results.size();
  bool changed = false;
  if (outputs != program.outputs.size())
    return main.emitError("@main's results do not match the signature read before lowering");
  for (unsigned i = 0; i < outputs; ++i) {
    auto cast = results[i].getDefiningOp<UnrealizedConversionCastOp>();
    if (!cast)
      continue;
    // A result declared with dynamic dims that the lowering computed with a static shape (Unique's
    // inverse_indices, whose length is the input's): return the static value, with its shape.
    auto from = cast.getNumOperands() == 1 ? dyn_cast<RankedTensorType>(cast.getOperand(0).getType()) : nullptr;
    auto to = dyn_cast<RankedTensorType>(results[i].getType());
    if (from && to && from.hasStaticShape() && !to.hasStaticShape() && from.getRank() == to.getRank()) {
      program.outputs[i].shape.assign(from.getShape().begin(), from.getShape().end());
      results[i] = cast.getOperand(0);
      changed = true;
      continue;
    }
    if (cast.getNumOperands() != 2)
      continue;
    auto shape = cast->getAttrOfType<DenseI64ArrayAttr>(kBoundedShapeAttr);
    auto bound = cast->getAttrOfType<DenseI64ArrayAttr>(kBoundShapeAttr);
    if (!shape || !bound || shape.size() != bound.size())
      continue;
    TensorSignature &signature = program.outputs[i];
    signature.shape.assign(shape.asArrayRef().begin(), shape.asArrayRef().end());
    signature.boundShape.assign(bound.asArrayRef().begin(), bound.asArrayRef().end());
    signature.dimsResult = results.size();
    results[i] = cast.getOperand(0);
    results.push_back(cast.getOperand(1));
  }
  if (results.size() == outputs && !changed)
    return success();
  llvm::SetVector<Operation *> casts; // a value returned twice is one cast
  for (Value v : ret.getOperands())
    if (auto cast = v.getDefiningOp<UnrealizedConversionCastOp>())
      casts.insert(cast);
  ret->setOperands(results);
  for (Operation *cast : casts)
    if (cast->use_empty())
      cast->erase();
  setEntryResultTypes(main, results);
  return success();
}

void setEntryResultTypes(func::FuncOp main, ArrayRef<Value> results) {
  MLIRContext *ctx = main.getContext();
  SmallVector<DictionaryAttr> resultAttrs;
  for (unsigned i = 0; i < results.size(); ++i)
    resultAttrs.push_back(i < main.getNumResults() && main.getResultAttrDict(i) ? main.getResultAttrDict(i)
                                                                                : DictionaryAttr::get(ctx));
  main.setFunctionType(FunctionType::get(ctx, main.getArgumentTypes(), ValueRange(results).getTypes()));
  main.setAllResultAttrs(resultAttrs);
}

} // namespace sinter
