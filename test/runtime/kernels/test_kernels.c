/* CPU kernels for the runtime tests, compiled at build time into a shared object (cc -shared -fPIC -O2) that
 * the test module builder embeds as an ElfSharedObject executable.
 *
 * Every entry point has the module ABI (runtime/schema/sinter_module.fbs):
 *   void entry(void *const *bindings, const uint32_t workgroup_id[3], const uint32_t workgroup_count[3]);
 * The ABI has no scalar arguments, so sizes come from a `params` binding: a few uint64 values that the tests
 * put in the module's constants (which also exercises constants read in place).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#define ENTRY __attribute__((visibility("default")))

static uint64_t linear_id(const uint32_t id[3], const uint32_t count[3]) {
  return id[0] + (uint64_t)count[0] * (id[1] + (uint64_t)count[1] * id[2]);
}

/* This workgroup's share [*begin, *end) of n items split evenly over all workgroups. */
static void chunk(uint64_t n, const uint32_t id[3], const uint32_t count[3], uint64_t *begin, uint64_t *end) {
  uint64_t total = (uint64_t)count[0] * count[1] * count[2];
  uint64_t per = (n + total - 1) / total;
  uint64_t first = linear_id(id, count) * per;
  *begin = first < n ? first : n;
  *end = first + per < n ? first + per : n;
}

/* bindings: 0 a f32[n], 1 b f32[n], 2 out f32[n], 3 params u64{n}. out = a + b */
ENTRY void add_f32(void *const *bindings, const uint32_t id[3], const uint32_t count[3]) {
  const float *a = bindings[0], *b = bindings[1];
  float *out = bindings[2];
  const uint64_t *params = bindings[3];
  uint64_t begin, end;
  chunk(params[0], id, count, &begin, &end);
  for (uint64_t i = begin; i < end; ++i)
    out[i] = a[i] + b[i];
}

/* Same bindings as add_f32. out = a * b */
ENTRY void mul_f32(void *const *bindings, const uint32_t id[3], const uint32_t count[3]) {
  const float *a = bindings[0], *b = bindings[1];
  float *out = bindings[2];
  const uint64_t *params = bindings[3];
  uint64_t begin, end;
  chunk(params[0], id, count, &begin, &end);
  for (uint64_t i = begin; i < end; ++i)
    out[i] = a[i] * b[i];
}

/* bindings: 0 x f32[n], 1 out f32[n], 2 params u64{n}. out = exp(x): a libm call resolved at load time. */
ENTRY void exp_f32(void *const *bindings, const uint32_t id[3], const uint32_t count[3]) {
  const float *x = bindings[0];
  float *out = bindings[1];
  const uint64_t *params = bindings[2];
  uint64_t begin, end;
  chunk(params[0], id, count, &begin, &end);
  for (uint64_t i = begin; i < end; ++i)
    out[i] = expf(x[i]);
}

/* bindings: 0 src, 1 dst, 2 params u64{bytes}. A libc memcpy of this workgroup's share. */
ENTRY void copy_bytes(void *const *bindings, const uint32_t id[3], const uint32_t count[3]) {
  const uint8_t *src = bindings[0];
  uint8_t *dst = bindings[1];
  const uint64_t *params = bindings[2];
  uint64_t begin, end;
  chunk(params[0], id, count, &begin, &end);
  if (end > begin)
    memcpy(dst + begin, src + begin, end - begin);
}

/* bindings: 0 A f32[M,K], 1 B f32[K,N], 2 C f32[M,N], 3 params u64{M, N, K, tile}. C = A @ B, one
 * tile x tile block of C per workgroup: x walks column tiles, y walks row tiles. */
ENTRY void matmul_f32(void *const *bindings, const uint32_t id[3], const uint32_t count[3]) {
  const float *A = bindings[0], *B = bindings[1];
  float *C = bindings[2];
  const uint64_t *params = bindings[3];
  uint64_t M = params[0], N = params[1], K = params[2], tile = params[3];
  (void)count;
  uint64_t row0 = (uint64_t)id[1] * tile, col0 = (uint64_t)id[0] * tile;
  for (uint64_t i = row0; i < row0 + tile && i < M; ++i) {
    for (uint64_t j = col0; j < col0 + tile && j < N; ++j) {
      float sum = 0.0f;
      for (uint64_t k = 0; k < K; ++k)
        sum += A[i * K + k] * B[k * N + j];
      C[i * N + j] = sum;
    }
  }
}

/* bindings: 0 hits u32[total], 1 ids u32[3 * total]. Counts how often each workgroup runs and records the
 * id it was given; an id outside the count adds 1000 so that the test notices. */
ENTRY void record_workgroups(void *const *bindings, const uint32_t id[3], const uint32_t count[3]) {
  uint32_t *hits = bindings[0], *ids = bindings[1];
  if (id[0] >= count[0] || id[1] >= count[1] || id[2] >= count[2]) {
    hits[0] += 1000;
    return;
  }
  uint64_t linear = linear_id(id, count);
  hits[linear] += 1;
  ids[3 * linear + 0] = id[0];
  ids[3 * linear + 1] = id[1];
  ids[3 * linear + 2] = id[2];
}

/* bindings: 0 anything, 1 out u64[1]. Writes the address the runtime passed as binding 0, so a test can
 * check that constants are used in place. */
ENTRY void address_of(void *const *bindings, const uint32_t id[3], const uint32_t count[3]) {
  (void)id;
  (void)count;
  *(uint64_t *)bindings[1] = (uint64_t)(uintptr_t)bindings[0];
}

/* bindings: 0 flag u32[1] (input), 1 started u32[1] (output). Sets *started, then spins until the test sets
 * *flag (or about 2^32 polls pass), so that a test can hold a run in progress. */
ENTRY void wait_for_flag(void *const *bindings, const uint32_t id[3], const uint32_t count[3]) {
  const volatile uint32_t *flag = bindings[0];
  (void)id;
  (void)count;
  __atomic_store_n((uint32_t *)bindings[1], 1u, __ATOMIC_RELEASE);
  for (uint64_t polls = 0; __atomic_load_n(flag, __ATOMIC_ACQUIRE) == 0 && polls < (1ull << 32); ++polls) {
  }
}

/* A result whose length depends on the data (like ONNX Compress): the positive elements of x, in order, at the
 * start of out (its bound is n), and their count as the actual dims, one int64 in the arena.
 * bindings: 0 x f32[n], 1 out f32[n], 2 dims i64[1] (arena), 3 params u64{n, extra}: `extra` is added to
 * the written count (a broken module: the runtime must reject dims past the bound). One workgroup. */
ENTRY void compact_positive_f32(void *const *bindings, const uint32_t id[3], const uint32_t count[3]) {
  (void)id;
  (void)count;
  const float *x = bindings[0];
  float *out = bindings[1];
  int64_t *dims = bindings[2];
  const uint64_t *params = bindings[3];
  int64_t kept = 0;
  for (uint64_t i = 0; i < params[0]; ++i)
    if (x[i] > 0)
      out[kept++] = x[i];
  dims[0] = kept + (int64_t)params[1];
}
