//===- thread_pool.cpp - fixed worker threads for one session ------------------------------------------===//
#include "thread_pool.h"

#include <chrono>
#include <cstdlib>

namespace sinter {

namespace {

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

} // namespace

// An idle thread polls for the next loop (a worker) or for the workers to finish (the caller) for pollFor_
// before it blocks on a condition variable. A model's dispatches follow each other within microseconds, and
// waking a blocked thread costs far more on a VM (the idle vCPU halts; the wake-up is an interrupt into the
// guest): on a 2-vCPU Zen 4 guest a 4-bit decode step (33 two-thread GEMVs) ran in 3.3 ms with the poll
// against 4.4 ms without. The poll does not yield: on a loaded machine a yield hands the CPU to another
// process for a whole time slice (BERT at 2 threads beside two busy processes: 110 -> 350 ms); a bounded
// poll costs at most pollFor_ per wait (same BERT: 80 -> 95 ms; SINTER_POLL_US=0 turns it off).
template <typename Ready> bool ThreadPool::pollUntil(Ready ready) const {
  if (pollFor_.count() <= 0)
    return ready();
  auto deadline = std::chrono::steady_clock::now() + pollFor_;
  do {
    for (int i = 0; i < 64; ++i) {
      if (ready())
        return true;
      cpuRelax();
    }
  } while (std::chrono::steady_clock::now() < deadline);
  return ready();
}

std::chrono::microseconds ThreadPool::defaultPollFor() {
  static const std::chrono::microseconds poll = [] {
    const char *text = std::getenv("SINTER_POLL_US");
    char *end = nullptr;
    long value = text ? std::strtol(text, &end, 10) : -1;
    return std::chrono::microseconds(text && *text && *end == '\0' && value >= 0 ? value : 100);
  }();
  return poll;
}

ThreadPool::ThreadPool(unsigned threadCount, std::chrono::microseconds pollFor) : pollFor_(pollFor) {
  unsigned workerCount = threadCount > 1 ? threadCount - 1 : 0;
  workers_.reserve(workerCount);
  try {
    for (unsigned i = 0; i < workerCount; ++i)
      workers_.emplace_back([this] { workerLoop(); });
  } catch (...) {
    stopWorkers();
    throw;
  }
}

ThreadPool::~ThreadPool() { stopWorkers(); }

void ThreadPool::stopWorkers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  workAvailable_.notify_all();
  for (std::thread &worker : workers_)
    worker.join();
  workers_.clear();
}

void ThreadPool::runItems() {
  // One index per fetch: workgroups are coarse (the compiler makes few, large ones), so balance matters
  // more than the cost of the atomic.
  for (uint64_t i = next_.fetch_add(1, std::memory_order_relaxed); i < count_;
       i = next_.fetch_add(1, std::memory_order_relaxed))
    (*body_)(i);
}


void ThreadPool::workerLoop() {
  uint64_t seenGeneration = 0;
  for (;;) {
    pollUntil([&] { return generation_.load(std::memory_order_acquire) != seenGeneration; });
    {
      std::unique_lock<std::mutex> lock(mutex_);
      workAvailable_.wait(lock, [&] { return stopping_ || generation_.load() != seenGeneration; });
      if (stopping_)
        return;
      seenGeneration = generation_.load();
    }
    runItems();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (busyWorkers_.fetch_sub(1) == 1)
        workDone_.notify_one();
    }
  }
}

void ThreadPool::parallelFor(uint64_t count, const std::function<void(uint64_t)> &body) {
  if (count == 0)
    return;
  if (workers_.empty() || count == 1) {
    for (uint64_t i = 0; i < count; ++i)
      body(i);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    body_ = &body;
    count_ = count;
    next_.store(0, std::memory_order_relaxed);
    busyWorkers_.store(static_cast<unsigned>(workers_.size()));
    generation_.fetch_add(1, std::memory_order_release);
  }
  workAvailable_.notify_all();
  runItems();
  // Every worker must finish this generation (not just every index be taken) before body_ and count_ may
  // change: a worker still inside runItems() would otherwise read the next loop's state.
  pollUntil([&] { return busyWorkers_.load(std::memory_order_acquire) == 0; });
  std::unique_lock<std::mutex> lock(mutex_);
  workDone_.wait(lock, [&] { return busyWorkers_.load() == 0; });
  body_ = nullptr;
}

} // namespace sinter
