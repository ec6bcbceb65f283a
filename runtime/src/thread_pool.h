//===- thread_pool.h - fixed worker threads that split one loop among themselves and the caller ---------===//
//
// Each session owns one pool, created with the session, so a run never starts threads. parallelFor() is
// the only operation: a dispatch's workgroups are split among the calling thread and the workers, and
// parallelFor() returns only when every index has finished, which is the barrier between consecutive
// dispatches. Each thread first takes its own contiguous share, one index at a time, then helps with the
// others' (thread_pool.cpp says why).
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_RUNTIME_SRC_THREAD_POOL_H
#define SINTER_RUNTIME_SRC_THREAD_POOL_H

#include <atomic>
#include <chrono>
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
  /// `pollFor`: how long an idle thread polls before it blocks (thread_pool.cpp); 0 blocks at once.
  /// Throws std::system_error if a thread cannot be started (the constructor stops those it started).
  explicit ThreadPool(unsigned threadCount, std::chrono::microseconds pollFor = defaultPollFor());

  /// 100 us, or SINTER_POLL_US from the environment (0 for a machine whose CPUs are shared with other busy
  /// processes, where polling takes CPU time they need).
  static std::chrono::microseconds defaultPollFor();
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  /// Threads that take part in parallelFor, counting the caller.
  unsigned threadCount() const { return static_cast<unsigned>(workers_.size()) + 1; }

  /// Calls body(i) exactly once for every i in [0, count), on the workers and the calling thread, and
  /// returns when all calls have returned. Not reentrant: one parallelFor per pool at a time.
  void parallelFor(uint64_t count, const std::function<void(uint64_t)> &body);

private:
  void workerLoop(unsigned self);
  void runItems(unsigned self);
  void stopWorkers();
  template <typename Ready> bool pollUntil(Ready ready) const;

  std::vector<std::thread> workers_;
  std::chrono::microseconds pollFor_;

  std::mutex mutex_;
  std::condition_variable workAvailable_;
  std::condition_variable workDone_;
  // Bumped once per parallelFor (under mutex_); workers run each generation once. Atomic so that a worker
  // may poll it without the lock for a short while before it sleeps (see workerLoop).
  std::atomic<uint64_t> generation_{0};
  std::atomic<unsigned> busyWorkers_{0}; // workers that have not finished the current generation
  bool stopping_ = false;

  // The current loop. Written under mutex_ before the generation is published, read by workers after.
  // Thread t (0: the caller, t: worker t - 1) owns indices [t * count / T, (t + 1) * count / T); each
  // share's next index is its own counter, which any thread may take from (one cache line each).
  const std::function<void(uint64_t)> *body_ = nullptr;
  struct alignas(64) Share {
    std::atomic<uint64_t> next{0};
    uint64_t end = 0;
  };
  std::vector<Share> shares_;
};

} // namespace sinter

#endif // SINTER_RUNTIME_SRC_THREAD_POOL_H
