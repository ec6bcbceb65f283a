//===- NoAliasViews.cpp - disjoint buffer views as noalias dispatch arguments ----------------------------===//
#include "compiler/targets/cpu/NoAliasViews.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace sinter {
namespace {

struct View {
  memref::ViewOp op;
  int64_t begin, end; // bytes into the binding
};

/// The bytes a view of static shape and identity layout spans from its shift; nullopt otherwise.
std::optional<View> analyzeView(memref::ViewOp view) {
  APInt shift;
  MemRefType type = view.getType();
  if (!view.getSizes().empty() || !matchPattern(view.getByteShift(), m_ConstantInt(&shift)) ||
      !type.hasStaticShape() || !type.getLayout().isIdentity() || !type.getElementType().isIntOrFloat())
    return std::nullopt;
  int64_t elementBytes = (type.getElementTypeBitWidth() + 7) / 8;
  int64_t begin = shift.getSExtValue();
  return View{view, begin, begin + type.getNumElements() * elementBytes};
}

} // namespace

SmallVector<ViewArgument> separateDisjointViews(func::FuncOp func, ArrayRef<Binding> bindings) {
  SmallVector<ViewArgument> added;
  MLIRContext *ctx = func.getContext();
  for (unsigned b = 0; b < bindings.size(); ++b) {
    bool readOnly = bindings[b].kind == BindingKind::Constant;
    if (!readOnly && bindings[b].kind != BindingKind::Arena)
      continue;
    SmallVector<View> views;
    bool onlyViews = true;
    for (Operation *user : func.getArgument(b).getUsers()) {
      auto view = dyn_cast<memref::ViewOp>(user);
      std::optional<View> analyzed = view ? analyzeView(view) : std::nullopt;
      if (analyzed)
        views.push_back(*analyzed);
      else
        onlyViews = false;
    }
    if (!onlyViews && !readOnly)
      continue; // the buffer is also reached some other way
    for (View &view : views) {
      bool disjoint = readOnly || llvm::all_of(views, [&](const View &other) {
                        return other.op == view.op || other.end <= view.begin || view.end <= other.begin;
                      });
      if (!disjoint)
        continue;
      unsigned position = func.getNumArguments() - 2; // before the workgroup id and count
      NamedAttribute noalias(StringAttr::get(ctx, LLVM::LLVMDialect::getNoAliasAttrName()), UnitAttr::get(ctx));
      if (failed(func.insertArgument(position, view.op.getType(), DictionaryAttr::get(ctx, {noalias}),
                                     view.op.getLoc())))
        return added; // not reached: func.func accepts any argument
      view.op.getResult().replaceAllUsesWith(func.getArgument(position));
      added.push_back({b, view.begin});
    }
    // Erase afterwards: the views were collected from the use list.
    for (View &view : views)
      if (view.op->use_empty())
        view.op->erase();
  }
  return added;
}

} // namespace sinter
