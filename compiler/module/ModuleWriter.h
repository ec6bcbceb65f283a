//===- ModuleWriter.h - Program + executable -> .sinter (FlatBuffers) -----------------------------------===//
#ifndef SINTER_COMPILER_MODULE_MODULEWRITER_H
#define SINTER_COMPILER_MODULE_MODULEWRITER_H

#include "compiler/program/Program.h"
#include "compiler/targets/cpu/CpuTarget.h"

#include <string>
#include <vector>

namespace sinter {

/// Serializes the module (runtime/schema/sinter_module.fbs, version 1). Deterministic: the same inputs
/// give the same bytes. Returns false with `error` set if a signature type has no module element type.
bool writeModule(const Program &program, const std::vector<uint8_t> &executable, const CpuTargetOptions &target,
                 std::vector<uint8_t> &out, std::string &error);

} // namespace sinter

#endif // SINTER_COMPILER_MODULE_MODULEWRITER_H
