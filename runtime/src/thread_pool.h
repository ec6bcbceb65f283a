//===- thread_pool.h - fixed worker threads that split one loop among themselves and the caller ---------===//
//
// Each session owns one pool, created with the session, so a run never starts threads. parallelFor() is
// the only operation: a dispatch's workgroups are handed out one at a time from a shared counter to the
// workers and the calling thread, and parallelFor() returns only when every index has finished, which is
// the barrier between consecutive dispatches.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_RUNTIME_SRC_THREAD_POOL_H
#define SINTER_RUNTIME_SRC_THREAD_POOL_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sinter {

class ThreadPool {
public:
  /// `threadCount` counts the calling thread: threadCount - 1 workers are started (none for 0 or 1).
  /// Throws std::system_error if a thread cannot be started (the constructor stops those it started).
  explicit ThreadPool(unsigned threadCount);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  /// Threads that take part in parallelFor, counting the caller.
  unsigned threadCount() const { return static_cast<unsigned>(workers_.size()) + 1; }

  /// Calls body(i) exactly once for every i in [0, count), on the workers and the calling thread, and
  /// returns when all calls have returned. Not reentrant: one parallelFor per pool at a time.
  void parallelFor(uint64_t count, const std::function<void(uint64_t)> &body);

private:
  void workerLoop();
  void runItems();
  void stopWorkers();

  std::vector<std::thread> workers_;

  std::mutex mutex_;
  std::condition_variable workAvailable_;
  std::condition_variable workDone_;
  uint64_t generation_ = 0;    // bumped once per parallelFor; workers run each generation once
  unsigned busyWorkers_ = 0;   // workers that have not finished the current generation
  bool stopping_ = false;

  // The current loop. Written under mutex_ before the generation is published, read by workers after.
  const std::function<void(uint64_t)> *body_ = nullptr;
  uint64_t count_ = 0;
  std::atomic<uint64_t> next_{0};
};

} // namespace sinter

#endif // SINTER_RUNTIME_SRC_THREAD_POOL_H
