//===- OnnxContribSchemas.h - ONNX schemas for the ONNX Runtime contrib ops Sinter imports --------------===//
//
// ONNX Runtime's `com.microsoft` operators have no schema in the ONNX library, so its checker skips them and
// its shape inference leaves their outputs untyped (which breaks strict inference downstream). The ones Sinter
// imports get a schema here, registered once into ONNX's global registry: the checker then verifies their
// inputs and attributes and shape inference types their outputs. Other non-default domains are refused by
// the loader with the node named.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_FRONTENDS_ONNX_ONNXCONTRIBSCHEMAS_H
#define SINTER_FRONTENDS_ONNX_ONNXCONTRIBSCHEMAS_H

#include <string>

namespace sinter::onnx_frontend {

constexpr const char *kMicrosoftDomain = "com.microsoft";
/// Sinter's own domain, for nodes the loader itself inserts (never accepted from a model): RuntimeCheck.
constexpr const char *kSinterDomain = "ai.sinter";

/// Registers the com.microsoft domain (opset 1) and the schemas of the contrib ops Sinter imports, and the
/// ai.sinter domain (opset 1) with RuntimeCheck(holds: bool scalar) {message}: no outputs; the compiled
/// program fails the run with `message` when `holds` is false (compiler/conversion/RuntimeCheck.h).
/// Idempotent.
void registerContribSchemas();

/// Whether Sinter imports `opType` of the non-default `domain` (today: com.microsoft MatMulNBits).
bool isSupportedContribOp(const std::string &domain, const std::string &opType);

} // namespace sinter::onnx_frontend

#endif // SINTER_FRONTENDS_ONNX_ONNXCONTRIBSCHEMAS_H
