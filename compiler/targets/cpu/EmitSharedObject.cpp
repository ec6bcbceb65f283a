//===- EmitSharedObject.cpp - LLVM dialect -> optimized object -> ELF shared object ---------------------===//
#include "compiler/targets/cpu/CpuTarget.h"
#include "compiler/targets/cpu/Ukernels.h"

#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "lld/Common/Driver.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

#include <mutex>

LLD_HAS_DRIVER(elf)

using namespace mlir;

namespace sinter {
namespace {

void initializeLLVMTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
  });
}

std::unique_ptr<llvm::TargetMachine> createTargetMachine(const CpuTargetOptions &options, std::string &error) {
  initializeLLVMTargets();
  llvm::Triple triple(options.triple);
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  llvm::TargetOptions targetOptions;
  return std::unique_ptr<llvm::TargetMachine>(target->createTargetMachine(
      triple, options.cpu, options.features, targetOptions, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
}

/// A temporary file removed when this goes out of scope.
struct TempFile {
  llvm::SmallString<128> path;
  ~TempFile() {
    if (!path.empty())
      llvm::sys::fs::remove(path);
  }
};

} // namespace

bool resolveCpuTarget(CpuTargetOptions &options, std::string &error) {
  if (options.triple.empty())
    options.triple = llvm::sys::getDefaultTargetTriple();
  if (options.cpu == "host") {
    options.cpu = llvm::sys::getHostCPUName().str();
    std::string features;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features += (features.empty() ? "" : ",") + std::string(feature.second ? "+" : "-") + feature.first().str();
    options.features = options.features.empty() ? features : features + "," + options.features;
  }
  std::unique_ptr<llvm::TargetMachine> machine = createTargetMachine(options, error);
  if (!machine)
    return false;
  if (!machine->getMCSubtargetInfo()->isCPUStringValid(options.cpu)) {
    error = "unknown CPU '" + options.cpu + "' for " + options.triple;
    return false;
  }
  options.ukernelLanes = options.ukernels ? ukernelVectorLanes(*machine) : 0;
  options.qgemmUkernel = qgemmUkernelName(*machine, options.ukernelLanes);
  options.blockedQgemmCodes = qgemmHasIntGemv(options.qgemmUkernel);
  return true;
}

FailureOr<std::vector<uint8_t>> emitSharedObject(ModuleOp module, const CpuTargetOptions &options) {
  std::string error;
  std::unique_ptr<llvm::TargetMachine> machine = createTargetMachine(options, error);
  if (!machine)
    return module.emitError("cannot target ") << options.triple << ": " << error, failure();

  registerBuiltinDialectTranslation(*module.getContext());
  registerLLVMDialectTranslation(*module.getContext());
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule = translateModuleToLLVMIR(module, llvmContext, "sinter_executable");
  if (!llvmModule)
    return module.emitError("translation to LLVM IR failed"), failure();
  llvmModule->setTargetTriple(machine->getTargetTriple());
  llvmModule->setDataLayout(machine->createDataLayout());
  if (!linkUkernels(*llvmModule, error))
    return module.emitError(error), failure();

  // O3 over the whole executable: inlines each dispatch (and the ukernels it calls) into its entry point,
  // vectorizes loops.
  {
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    llvm::PassBuilder builder(machine.get());
    builder.registerModuleAnalyses(mam);
    builder.registerCGSCCAnalyses(cgam);
    builder.registerFunctionAnalyses(fam);
    builder.registerLoopAnalyses(lam);
    builder.crossRegisterProxies(lam, fam, cgam, mam);
    builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3).run(*llvmModule, mam);
  }

  llvm::SmallVector<char, 0> object;
  {
    llvm::raw_svector_ostream os(object);
    llvm::legacy::PassManager codegen;
    if (machine->addPassesToEmitFile(codegen, os, nullptr, llvm::CodeGenFileType::ObjectFile))
      return module.emitError("the target cannot emit object files"), failure();
    codegen.run(*llvmModule);
  }

  // Link in-process with lld into a shared object (the runtime loads it from memory).
  TempFile objFile, soFile;
  int fd;
  if (llvm::sys::fs::createTemporaryFile("sinter", "o", fd, objFile.path) ||
      llvm::sys::fs::createTemporaryFile("sinter", "so", soFile.path))
    return module.emitError("cannot create temporary files for linking"), failure();
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os.write(object.data(), object.size());
  }
  std::string linkLog;
  llvm::raw_string_ostream logStream(linkLog);
  const char *args[] = {"ld.lld", "-shared", "--hash-style=gnu", "-z", "noexecstack", "--strip-debug",
                        "-o", soFile.path.c_str(), objFile.path.c_str()};
  lld::Result result = lld::lldMain(args, logStream, logStream, {{lld::Gnu, &lld::elf::link}});
  if (result.retCode != 0)
    return module.emitError("linking the CPU executable failed: ") << linkLog, failure();
  auto buffer = llvm::MemoryBuffer::getFile(soFile.path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer)
    return module.emitError("cannot read the linked executable"), failure();
  return std::vector<uint8_t>((*buffer)->getBufferStart(), (*buffer)->getBufferEnd());
}

} // namespace sinter
