//===- session.cpp - arena, thread pool and the dispatch loop ------------------------------------------===//
#include "session.h"

#include "element_type.h"
#include "tensor_check.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <system_error>
#include <thread>

namespace sinter {
namespace {

constexpr size_t kArenaAlignment = 64;
/// A bound on worker threads per session, so that a wrong option fails cleanly instead of exhausting the
/// process's threads or memory.
constexpr uint32_t kMaxThreadCount = 4096;

/// Clears a flag when the run returns, however it returns.
struct RunningGuard {
  std::atomic<bool> &flag;
  ~RunningGuard() { flag.store(false, std::memory_order_release); }
};

} // namespace

Status Session::create(std::shared_ptr<const LoadedModule> module, uint32_t threadCount,
                       std::unique_ptr<Session> &out) {
  if (threadCount > kMaxThreadCount)
    return invalidArgument("thread_count " + std::to_string(threadCount) + " is more than the maximum, " +
                           std::to_string(kMaxThreadCount));
  if (threadCount == 0)
    threadCount = std::max(1u, std::thread::hardware_concurrency());

  std::unique_ptr<Session> session(new Session());
  session->module_ = std::move(module);
  const LoadedModule &loaded = *session->module_;

  if (uint64_t size = loaded.arenaSize()) {
    // aligned_alloc wants a multiple of the alignment; the validator bounded the size by PTRDIFF_MAX.
    uint64_t rounded = (size + kArenaAlignment - 1) / kArenaAlignment * kArenaAlignment;
    session->arena_ = static_cast<uint8_t *>(std::aligned_alloc(kArenaAlignment, rounded));
    if (!session->arena_)
      return outOfMemory("cannot allocate the session arena (" + std::to_string(size) + " bytes)");
  }

  try {
    session->pool_ = std::make_unique<ThreadPool>(threadCount);
  } catch (const std::system_error &error) {
    return internalError("cannot start " + std::to_string(threadCount - 1) + " worker threads: " + error.what());
  }

  for (const DispatchSpec &dispatch : loaded.dispatches()) {
    std::vector<void *> table(dispatch.bindings.size(), nullptr);
    for (size_t i = 0; i < dispatch.bindings.size(); ++i) {
      const BindingSpec &binding = dispatch.bindings[i];
      // Kernels receive void * for every binding; they must not write constants (the mapping is read-only).
      if (binding.kind == BindingKind::Constant)
        table[i] = const_cast<uint8_t *>(loaded.constants()) + binding.offset;
      else if (binding.kind == BindingKind::Arena)
        table[i] = session->arena_ + binding.offset;
    }
    session->bindingTables_.push_back(std::move(table));
  }
  const char *profile = std::getenv("SINTER_PROFILE");
  if (profile && *profile && std::string(profile) != "0")
    session->profileNanoseconds_.assign(loaded.dispatches().size(), 0);
  out = std::move(session);
  return Status();
}

Session::~Session() {
  printProfile();
  pool_.reset(); // join the workers before the arena they might touch goes away
  std::free(arena_);
}

/// The dispatches by total time, most expensive first: what to optimize next.
void Session::printProfile() const {
  if (profileNanoseconds_.empty() || profiledRuns_ == 0)
    return;
  const std::vector<DispatchSpec> &dispatches = module_->dispatches();
  std::vector<size_t> order(dispatches.size());
  uint64_t total = 0;
  for (size_t d = 0; d < order.size(); ++d) {
    order[d] = d;
    total += profileNanoseconds_[d];
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return profileNanoseconds_[a] > profileNanoseconds_[b]; });
  std::fprintf(stderr, "sinter profile: %llu runs, %.3f ms per run, %u threads\n",
               static_cast<unsigned long long>(profiledRuns_), total / 1e6 / profiledRuns_, pool_->threadCount());
  std::fprintf(stderr, "%10s %7s %11s  %s\n", "ms/run", "share", "workgroups", "dispatch");
  for (size_t d : order)
    std::fprintf(stderr, "%10.4f %6.1f%% %11llu  %s\n", profileNanoseconds_[d] / 1e6 / profiledRuns_,
                 total ? 100.0 * profileNanoseconds_[d] / total : 0.0,
                 static_cast<unsigned long long>(dispatches[d].workgroupTotal), dispatches[d].entryName.c_str());
}

Status Session::run(const sinter_tensor_t *inputs, size_t inputCount, sinter_tensor_t *outputs,
                    size_t outputCount) {
  const LoadedModule &module = *module_;
  SINTER_RETURN_IF_ERROR(checkTensors(module.inputs(), inputs, inputCount, "input"));
  SINTER_RETURN_IF_ERROR(checkTensors(module.outputs(), outputs, outputCount, "output"));
  SINTER_RETURN_IF_ERROR(checkOutputsDoNotOverlap(module.inputs(), inputs, module.outputs(), outputs));

  bool wasRunning = running_.exchange(true, std::memory_order_acquire);
  if (wasRunning)
    return invalidArgument("the session is already running on another thread; use one session per thread");
  RunningGuard guard{running_};
  outputDims_.clear();
  runDispatches(inputs, outputs);
  SINTER_RETURN_IF_ERROR(readChecks());
  return readOutputDims();
}

Status Session::readChecks() const {
  // The validator put every check's byte inside the arena; the dispatches wrote it (0: the condition held).
  for (const CheckSpec &check : module_->checks())
    if (arena_[check.offset] != 0)
      return invalidArgument("run-time check failed: " + check.message);
  return Status();
}

Status Session::readOutputDims() {
  const std::vector<TensorSpec> &specs = module_->outputs();
  std::vector<std::vector<int64_t>> dims(specs.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    const TensorSpec &spec = specs[i];
    dims[i] = spec.dims;
    if (!spec.dynamic)
      continue;
    // The validator put [dimsOffset, + rank int64s) inside the arena; the dispatches wrote them.
    std::memcpy(dims[i].data(), arena_ + spec.dimsOffset, spec.dims.size() * sizeof(int64_t));
    for (size_t d = 0; d < spec.dims.size(); ++d) {
      if (dims[i][d] < 0 || dims[i][d] > spec.boundDims[d] || (spec.dims[d] != -1 && dims[i][d] != spec.dims[d]))
        return internalError("output " + std::to_string(i) + " " + quoteForMessage(spec.name) + ": the module wrote dims " +
                             formatShape(dims[i]) + ", outside its bound " + formatShape(spec.boundDims));
    }
  }
  outputDims_ = std::move(dims);
  return Status();
}

Status Session::outputDims(size_t index, int64_t *dims, size_t rank) const {
  const std::vector<TensorSpec> &specs = module_->outputs();
  if (index >= specs.size())
    return invalidArgument("output index " + std::to_string(index) + " is out of range (the module has " +
                           std::to_string(specs.size()) + " outputs)");
  const TensorSpec &spec = specs[index];
  if (rank != spec.dims.size())
    return invalidArgument("output " + std::to_string(index) + " " + quoteForMessage(spec.name) + " has rank " +
                           std::to_string(spec.dims.size()) + ", not " + std::to_string(rank));
  if (rank != 0 && !dims)
    return invalidArgument("dims is NULL for rank " + std::to_string(rank));
  if (running_.load(std::memory_order_acquire))
    return invalidArgument("the session is running; ask for output dims after sinter_session_run returns");
  const std::vector<int64_t> *actual = &spec.dims;
  if (spec.dynamic) {
    if (outputDims_.empty())
      return invalidArgument("output " + std::to_string(index) + " " + quoteForMessage(spec.name) +
                             " has dynamic dims and the session has no successful run yet");
    actual = &outputDims_[index];
  }
  std::copy(actual->begin(), actual->end(), dims);
  return Status();
}

void Session::runDispatches(const sinter_tensor_t *inputs, sinter_tensor_t *outputs) {
  const std::vector<DispatchSpec> &dispatches = module_->dispatches();
  for (size_t d = 0; d < dispatches.size(); ++d) {
    const DispatchSpec &dispatch = dispatches[d];
    std::vector<void *> &table = bindingTables_[d];
    for (size_t i = 0; i < dispatch.bindings.size(); ++i) {
      const BindingSpec &binding = dispatch.bindings[i];
      if (binding.kind == BindingKind::Input)
        table[i] = static_cast<uint8_t *>(inputs[binding.index].data) + binding.offset;
      else if (binding.kind == BindingKind::Output)
        table[i] = static_cast<uint8_t *>(outputs[binding.index].data) + binding.offset;
    }
    void *const *bindings = table.data();
    const uint32_t *count = dispatch.workgroupCount.data();
    EntryPointFn entry = dispatch.entryPoint;
    const uint64_t countX = count[0], countXY = countX * count[1];
    auto start = std::chrono::steady_clock::now();
    // Workgroup ids in the order the schema defines (x fastest); every id exactly once.
    pool_->parallelFor(dispatch.workgroupTotal, [&](uint64_t linear) {
      const uint32_t id[3] = {static_cast<uint32_t>(linear % countX),
                              static_cast<uint32_t>(linear / countX % count[1]),
                              static_cast<uint32_t>(linear / countXY)};
      entry(bindings, id, count);
    });
    if (!profileNanoseconds_.empty())
      profileNanoseconds_[d] += static_cast<uint64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
  }
  if (!profileNanoseconds_.empty())
    ++profiledRuns_;
}

} // namespace sinter
