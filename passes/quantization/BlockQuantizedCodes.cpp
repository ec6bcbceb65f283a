//===- BlockQuantizedCodes.cpp - constant 3-bit GEMV weights in the CPU kernel's blocked layout ----------===//
#include "passes/Passes.h"

#include "compiler/targets/cpu/ukernels/qgemm_tiles.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <vector>

namespace sinter {
#define GEN_PASS_DEF_SINTERBLOCKQUANTIZEDCODES
#include "passes/Passes.h.inc"
} // namespace sinter

using namespace mlir;

namespace {

/// The bytes of an i8 constant, or an empty vector when they cannot be read.
std::vector<uint8_t> constantBytes(ElementsAttr attr) {
  std::vector<uint8_t> bytes;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      bytes.assign(blob->getData().begin(), blob->getData().end());
  } else if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    for (const APInt &v : dense.getValues<APInt>())
      bytes.push_back(uint8_t(v.getZExtValue()));
  }
  return bytes;
}

struct BlockQuantizedCodesPass : sinter::impl::SinterBlockQuantizedCodesBase<BlockQuantizedCodesPass> {
  void runOnOperation() override {
    unsigned counter = 0;
    DenseMap<Operation *, Value> blockedOf; // a weight shared by several GEMVs is blocked once
    getOperation().walk([&](sinter::QuantizedMatMulOp op) {
      int64_t k = op.getK(), n = op.getN();
      if (op.getBits() != 3 || op.getBlocked() || !sinter_uk_block3_fits(op.getGroupSize(), k) ||
          op.getInput().getType().getNumElements() != k)
        return;
      auto constant = op.getPacked().getDefiningOp<sinter::graph::ConstantOp>();
      if (!constant)
        return;
      if (Value done = blockedOf.lookup(constant)) {
        op.getPackedMutable().assign(done);
        op.setBlocked(true);
        return;
      }
      RankedTensorType type = op.getPacked().getType();
      std::vector<uint8_t> dense = constantBytes(constant.getValue());
      int64_t rowBytes = k * 3 / 8;
      if (int64_t(dense.size()) != n * rowBytes)
        return;
      std::vector<uint8_t> blocked(dense.size());
      for (int64_t c = 0; c < n; ++c)
        sinter_uk_block3_column(dense.data() + c * rowBytes, blocked.data() + c * rowBytes, k);
      OpBuilder b(constant); // after the weight, so the blocked copy dominates every user of it
      b.setInsertionPointAfter(constant);
      ArrayRef<char> bytes(reinterpret_cast<const char *>(blocked.data()), blocked.size());
      AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, alignof(uint64_t));
      auto attr = DenseResourceElementsAttr::get(type, "blocked_codes_" + std::to_string(counter++), std::move(blob));
      Value replacement = sinter::graph::ConstantOp::create(b, constant.getLoc(), attr);
      op.getPackedMutable().assign(replacement);
      op.setBlocked(true);
      blockedOf[constant] = replacement;
    });
    for (auto &[constant, blocked] : blockedOf)
      if (constant->use_empty())
        constant->erase();
  }
};

} // namespace
