//===- machine_limits.cpp - this machine's fp32 FMA peak and memory bandwidth ---------------------------===//
//
//   sinter-machine-limits [--threads N]
//
// The two roofs the CPU benchmarks are judged against, measured in the same run as the benchmarks:
// - fp32 FMA peak: each thread runs 12 independent chains of vector FMAs (enough to cover FMA latency x
//   throughput on current x86 cores) at the widest width the CPU has (AVX-512, else AVX2+FMA, else SSE
//   mul+add), best of 5 runs.
// - memory bandwidth, STREAM-triad style: a[i] = b[i] + s * c[i] over three 128 MiB float arrays (far past
//   any last-level cache), the range split over the threads, best of 5 runs. Bytes counted as STREAM does:
//   12 per element (two loads, one store; the write-allocate read is not counted).
// Output lines are "key: value" (fma_gflops_t<N>, triad_gbps_t<N>) for the bench driver to parse.
//
//===----------------------------------------------------------------------------------------------------===//
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

constexpr long kFmaIterations = 50'000'000;

/// Returns flops done; the result is stored so the chains cannot be removed.
__attribute__((target("avx512f"))) double fmaChainsAvx512(float *sink) {
  __m512 acc[12];
  for (int i = 0; i < 12; ++i)
    acc[i] = _mm512_set1_ps(1.0f + 0.001f * i);
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long it = 0; it < kFmaIterations; ++it)
    for (int i = 0; i < 12; ++i)
      acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  for (int i = 1; i < 12; ++i)
    acc[0] = _mm512_add_ps(acc[0], acc[i]);
  _mm512_storeu_ps(sink, acc[0]);
  return 2.0 * 16 * 12 * kFmaIterations;
}

__attribute__((target("avx2,fma"))) double fmaChainsAvx2(float *sink) {
  __m256 acc[12];
  for (int i = 0; i < 12; ++i)
    acc[i] = _mm256_set1_ps(1.0f + 0.001f * i);
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (long it = 0; it < kFmaIterations; ++it)
    for (int i = 0; i < 12; ++i)
      acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  for (int i = 1; i < 12; ++i)
    acc[0] = _mm256_add_ps(acc[0], acc[i]);
  _mm256_storeu_ps(sink, acc[0]);
  return 2.0 * 8 * 12 * kFmaIterations;
}

double mulAddChainsSse(float *sink) {
  __m128 acc[12];
  for (int i = 0; i < 12; ++i)
    acc[i] = _mm_set1_ps(1.0f + 0.001f * i);
  const __m128 a = _mm_set1_ps(0.999999f), b = _mm_set1_ps(1e-7f);
  for (long it = 0; it < kFmaIterations; ++it)
    for (int i = 0; i < 12; ++i)
      acc[i] = _mm_add_ps(_mm_mul_ps(acc[i], a), b);
  for (int i = 1; i < 12; ++i)
    acc[0] = _mm_add_ps(acc[0], acc[i]);
  _mm_storeu_ps(sink, acc[0]);
  return 2.0 * 4 * 12 * kFmaIterations;
}

/// Runs `body(thread)` on `threads` threads at once; returns the wall time in seconds.
template <typename Body> double timeOnThreads(unsigned threads, Body body) {
  std::vector<std::thread> pool;
  auto start = Clock::now();
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back(body, t);
  body(0);
  for (std::thread &thread : pool)
    thread.join();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double fmaPeakGflops(unsigned threads, const char *&isa) {
  double (*chains)(float *) = mulAddChainsSse;
  isa = "sse (mul+add)";
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) {
    chains = fmaChainsAvx512;
    isa = "avx512f";
  } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    chains = fmaChainsAvx2;
    isa = "avx2+fma";
  }
  std::vector<float> sinks(threads * 16);
  double best = 0;
  for (int run = 0; run < 5; ++run) {
    double flops = 0;
    double seconds = timeOnThreads(threads, [&](unsigned t) {
      double f = chains(&sinks[t * 16]);
      if (t == 0)
        flops = f;
    });
    best = std::max(best, flops * threads / seconds / 1e9);
  }
  return best;
}

double triadGbps(unsigned threads) {
  constexpr size_t kElements = size_t(32) << 20; // 32 Mi floats = 128 MiB per array
  float *a = static_cast<float *>(std::aligned_alloc(64, kElements * 4));
  float *b = static_cast<float *>(std::aligned_alloc(64, kElements * 4));
  float *c = static_cast<float *>(std::aligned_alloc(64, kElements * 4));
  if (!a || !b || !c) {
    std::fprintf(stderr, "sinter-machine-limits: error: out of memory\n");
    std::exit(1);
  }
  size_t chunk = (kElements + threads - 1) / threads;
  // First touch on the thread that will use each range.
  timeOnThreads(threads, [&](unsigned t) {
    size_t begin = t * chunk, end = std::min(kElements, begin + chunk);
    for (size_t i = begin; i < end; ++i) {
      a[i] = 0.0f;
      b[i] = 1.0f;
      c[i] = 2.0f;
    }
  });
  const float s = 3.0f;
  double best = 0;
  for (int run = 0; run < 5; ++run) {
    double seconds = timeOnThreads(threads, [&](unsigned t) {
      size_t begin = t * chunk, end = std::min(kElements, begin + chunk);
      for (size_t i = begin; i < end; ++i)
        a[i] = b[i] + s * c[i];
    });
    best = std::max(best, 12.0 * kElements / seconds / 1e9);
  }
  volatile float keep = a[kElements / 2];
  (void)keep;
  std::free(a);
  std::free(b);
  std::free(c);
  return best;
}

} // namespace

int main(int argc, char **argv) {
  std::vector<unsigned> threadCounts = {1, 2};
  if (argc == 3 && std::strcmp(argv[1], "--threads") == 0) {
    int n = std::atoi(argv[2]);
    if (n < 1 || n > 1024) {
      std::fprintf(stderr, "sinter-machine-limits: error: --threads expects 1 to 1024\n");
      return 1;
    }
    threadCounts = {static_cast<unsigned>(n)};
  } else if (argc != 1) {
    std::fprintf(stderr, "usage: sinter-machine-limits [--threads N]\n");
    return 1;
  }
  for (unsigned threads : threadCounts) {
    const char *isa = "";
    double gflops = fmaPeakGflops(threads, isa);
    std::printf("fma_isa: %s\nfma_gflops_t%u: %.1f\n", isa, threads, gflops);
    std::printf("triad_gbps_t%u: %.2f\n", threads, triadGbps(threads));
  }
  return 0;
}
