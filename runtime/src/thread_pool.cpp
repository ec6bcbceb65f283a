//===- thread_pool.cpp - fixed worker threads for one session ------------------------------------------===//
#include "thread_pool.h"

namespace sinter {

ThreadPool::ThreadPool(unsigned threadCount) {
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
    {
      std::unique_lock<std::mutex> lock(mutex_);
      workAvailable_.wait(lock, [&] { return stopping_ || generation_ != seenGeneration; });
      if (stopping_)
        return;
      seenGeneration = generation_;
    }
    runItems();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (--busyWorkers_ == 0)
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
    busyWorkers_ = static_cast<unsigned>(workers_.size());
    ++generation_;
  }
  workAvailable_.notify_all();
  runItems();
  // Every worker must finish this generation (not just every index be taken) before body_ and count_ may
  // change: a worker still inside runItems() would otherwise read the next loop's state.
  std::unique_lock<std::mutex> lock(mutex_);
  workDone_.wait(lock, [&] { return busyWorkers_ == 0; });
  body_ = nullptr;
}

} // namespace sinter
