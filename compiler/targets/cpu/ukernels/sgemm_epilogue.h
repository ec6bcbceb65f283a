/*===- sgemm_epilogue.h - the elementwise epilogue the sgemm ukernel applies when it stores C -------------===
 *
 * Shared by the ukernel (C, compiled to bitcode) and the compiler (C++), which fuses the elementwise ops
 * after a contraction into the ukernel call (FuseEpilogues.cpp forms the group, SgemmEpilogue.cpp reads
 * it). Both sgemm entry points take the same nine trailing epilogue arguments, before (id, count):
 *
 *   int64_t init, int64_t bias_addr, int64_t bias_ms, int64_t bias_ns,
 *   int64_t add_addr, int64_t add_ms, int64_t add_ns, float lo, float hi
 *
 * and compute, per element of C (m, n in the contraction's roles; strides in elements, 0 = broadcast):
 *
 *   C[m, n] = clamp(base[m, n] + sum_k A[m, k] * B[k, n] + add[m, n], lo, hi)
 *
 *   base: SINTER_UK_INIT_ACCUMULATE  C's own value (C += A * B; no epilogue when add_addr is 0 and the
 *                                    bounds are infinite)
 *         SINTER_UK_INIT_ZERO        0 (C is not read: the fill before the contraction is dropped)
 *         SINTER_UK_INIT_BIAS        bias[m * bias_ms + n * bias_ns] (a bias broadcast into C)
 *   add:  add[m * add_ms + n * add_ns] when add_addr != 0 (a residual tensor, or a bias added after the
 *         contraction); read before C is written at the same element, so it may be C's own buffer
 *   clamp(x, lo, hi): x < lo ? lo : x > hi ? hi : x (ReLU: lo = 0, hi = +inf; NaN passes through, as
 *         arith.maximumf / minimumf propagate it); -inf and +inf for no bound
 *
 * The bias and addend are the same for every batch entry (the compiler fuses epilogues only when the
 * batch is 1; a batched contraction takes a zero init at most). Addresses are byte addresses of element (0, 0), as for A, B and C.
 *
 *===--------------------------------------------------------------------------------------------------===*/
#ifndef SINTER_COMPILER_TARGETS_CPU_UKERNELS_SGEMM_EPILOGUE_H
#define SINTER_COMPILER_TARGETS_CPU_UKERNELS_SGEMM_EPILOGUE_H

#define SINTER_UK_INIT_ACCUMULATE 0
#define SINTER_UK_INIT_ZERO 1
#define SINTER_UK_INIT_BIAS 2

#endif
