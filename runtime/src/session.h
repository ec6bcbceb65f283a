//===- session.h - runs a module: one arena, one thread pool, the program's dispatches in order ---------===//
#ifndef SINTER_RUNTIME_SRC_SESSION_H
#define SINTER_RUNTIME_SRC_SESSION_H

#include "module_loader.h"
#include "status.h"
#include "thread_pool.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace sinter {

class Session {
public:
  /// Allocates the arena and starts threadCount - 1 workers (threadCount 0: the hardware concurrency).
  static Status create(std::shared_ptr<const LoadedModule> module, uint32_t threadCount,
                       std::unique_ptr<Session> &out);
  ~Session();
  Session(const Session &) = delete;
  Session &operator=(const Session &) = delete;

  /// Checks the caller's tensors against the signature, then runs every dispatch in order.
  Status run(const sinter_tensor_t *inputs, size_t inputCount, sinter_tensor_t *outputs, size_t outputCount);

  unsigned threadCount() const { return pool_->threadCount(); }

  /// Output `index`'s actual dims after the last successful run (static outputs: always their dims).
  Status outputDims(size_t index, int64_t *dims, size_t rank) const;

private:
  Session() = default;
  void runDispatches(const sinter_tensor_t *inputs, sinter_tensor_t *outputs);
  void printProfile() const;

  std::shared_ptr<const LoadedModule> module_; // keeps the module (and its mapping) alive
  uint8_t *arena_ = nullptr;                   // 64-byte aligned, arenaSize bytes (null when 0)
  std::unique_ptr<ThreadPool> pool_;
  // Per dispatch, the pointer table handed to the entry point. Constant and arena entries are fixed at
  // creation; input and output entries are rewritten by each run from the caller's tensors.
  std::vector<std::vector<void *>> bindingTables_;
  std::atomic<bool> running_{false}; // rejects a second concurrent run instead of corrupting the arena
  // Per output, its dims after the last successful run (dynamic outputs: read from the arena and checked
  // against the bound); empty until the first successful run, cleared when a run starts.
  std::vector<std::vector<int64_t>> outputDims_;
  /// The module's run-time checks after a run: the first one whose byte is set fails the run with its message.
  Status readChecks() const;
  Status readOutputDims();
  // SINTER_PROFILE set in the environment: time per dispatch, summed over runs and printed to stderr when
  // the session is released (empty otherwise).
  std::vector<uint64_t> profileNanoseconds_;
  uint64_t profiledRuns_ = 0;
};

} // namespace sinter

#endif // SINTER_RUNTIME_SRC_SESSION_H
