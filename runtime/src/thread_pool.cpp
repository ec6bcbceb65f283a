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

ThreadPool::ThreadPool(unsigned threadCount, std::chrono::microseconds pollFor)
    : pollFor_(pollFor), shares_(threadCount > 1 ? threadCount : 1) {
  unsigned workerCount = threadCount > 1 ? threadCount - 1 : 0;
  workers_.reserve(workerCount);
  try {
    for (unsigned i = 0; i < workerCount; ++i)
      workers_.emplace_back([this, i] { workerLoop(i + 1); });
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

void ThreadPool::runItems(unsigned self) {
  // Own share first, in order, then the others' (each from its own counter, so every index runs once). A
  // contiguous share per thread keeps consecutive dispatches over the same data on the same core: the
  // compiler numbers workgroups in data order (row blocks, planes, tile blocks), so the activations a
  // thread writes in one dispatch are mostly the ones it reads in the next, from its own L2. Handing out
  // indices from one shared counter interleaved the threads and moved that data between cores each time
  // (ResNet-18's 56x56 Winograd stage ran 1.2x faster on 2 threads than on 1 that way, 1.7x this way).
  // Taking one index per fetch keeps the balance when a thread is late (a VM's vCPUs often are).
  unsigned threads = static_cast<unsigned>(shares_.size());
  for (unsigned k = 0; k < threads; ++k) {
    Share &share = shares_[(self + k) % threads];
    for (uint64_t i = share.next.fetch_add(1, std::memory_order_relaxed); i < share.end;
         i = share.next.fetch_add(1, std::memory_order_relaxed))
      (*body_)(i);
  }
}

void ThreadPool::workerLoop(unsigned self) {
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
    runItems(self);
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
    unsigned threads = static_cast<unsigned>(shares_.size());
    for (unsigned t = 0; t < threads; ++t) {
      shares_[t].next.store(t * count / threads, std::memory_order_relaxed);
      shares_[t].end = (t + 1) * count / threads;
    }
    busyWorkers_.store(static_cast<unsigned>(workers_.size()));
    generation_.fetch_add(1, std::memory_order_release);
  }
  workAvailable_.notify_all();
  runItems(0);
  // Every worker must finish this generation (not just every index be taken) before body_ and shares_ may
  // change: a worker still inside runItems() would otherwise read the next loop's state.
  pollUntil([&] { return busyWorkers_.load(std::memory_order_acquire) == 0; });
  std::unique_lock<std::mutex> lock(mutex_);
  workDone_.wait(lock, [&] { return busyWorkers_.load() == 0; });
  body_ = nullptr;
}

} // namespace sinter
