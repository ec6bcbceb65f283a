//===- OnnxControlFlow.h - expand If / Loop / Scan into straight-line ONNX ------------------------------===//
//
// Sinter's runtime executes a static list of dispatches: no host-side branches or loops. Control flow is
// therefore removed from the ONNX graph before import, the way recurrent ops are unrolled over their static
// sequence length: If with a constant condition is replaced by its taken branch, If with a run-time
// condition by both branches and a Where per output, Scan and Loop (constant trip count) are unrolled.
// Subgraph bodies are cloned into the main graph with fresh value names; names a body takes from enclosing
// scopes keep theirs. Control flow nested in a body lands in the main graph and is expanded on a later call.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_FRONTENDS_ONNX_ONNXCONTROLFLOW_H
#define SINTER_FRONTENDS_ONNX_ONNXCONTROLFLOW_H

#include "frontends/onnx/OnnxModelLoader.h"

#include "onnx/onnx_pb.h"

namespace sinter::onnx_frontend {

/// Most iterations one Loop or Scan is unrolled to, and most nodes one expansion may add: beyond them the
/// model is refused (the unrolled program would be larger than the point of compiling it ahead of time).
constexpr int64_t kMaxUnrolledIterations = 4096;
constexpr int64_t kMaxUnrolledNodes = 200000;

/// Expands the If, Loop and Scan nodes of the main graph of `model` (default domain, opset 17 semantics,
/// types from the last round of shape inference). With `resolveRunTime` false only the decidable ones are
/// expanded: If with a constant condition, Loop with constant trip count and condition, Scan with static
/// scan lengths; the others wait for constant folding to make them so. With `resolveRunTime` true (folding
/// has nothing left to do) the rest is either expanded (If with a run-time condition and equal static
/// branch output types -> Where) or refused. Returns the number of nodes expanded, or -1 with `error` set.
int expandControlFlow(onnx::ModelProto &model, bool resolveRunTime, LoadError &error);

/// Opset 8's Scan has a batch axis and a sequence_lens input, and the ONNX version converter's adapter to
/// Scan-9 drops the batch axis from the graph's own inputs and outputs (changing the model's signature).
/// For models below opset 9 this unrolls every main-graph Scan before conversion, at the model's opset.
/// Returns the number of nodes expanded, or -1 with `error` set.
int expandOpset8Scans(onnx::ModelProto &model, LoadError &error);

} // namespace sinter::onnx_frontend

#endif // SINTER_FRONTENDS_ONNX_ONNXCONTROLFLOW_H
