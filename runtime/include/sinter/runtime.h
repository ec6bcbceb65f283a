/* Sinter runtime: loads `.sinter` modules and runs them. C99-compatible C API.
 *
 * Objects
 *   sinter_instance_t  the runtime root. Create one per process (or per independent user).
 *   sinter_module_t    one loaded, verified `.sinter` file. Immutable after load: any number of sessions,
 *                      on any threads, may use one module at once.
 *   sinter_session_t   what runs a module: owns a scratch arena and a thread pool. One session runs one
 *                      call at a time (a second concurrent sinter_session_run on the same session fails with
 *                      SINTER_INVALID_ARGUMENT); use one session per thread for concurrent runs.
 *
 * Lifetimes
 *   Handles are reference counted internally: a module keeps its instance alive and a session keeps its
 *   module alive, so the *_release calls may come in any order. Each handle must be released exactly once.
 *   Passing NULL to a *_release function does nothing.
 *
 * Errors
 *   Every fallible call returns a sinter_status_t: NULL means success; otherwise it is a heap object that the
 *   caller owns and must free with sinter_status_free(). A NULL handle or pointer argument is reported as
 *   SINTER_INVALID_ARGUMENT, never a crash. On failure, output parameters are left set to NULL/0.
 *
 * Trust
 *   A module's metadata is fully verified (a corrupt file gives SINTER_INVALID_MODULE), but its executables
 *   are native code that the runtime loads and runs: load only modules you trust.
 */
#ifndef SINTER_RUNTIME_H
#define SINTER_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#if defined(SINTER_RUNTIME_BUILDING)
#define SINTER_API __attribute__((visibility("default")))
#else
#define SINTER_API
#endif

/* In C++ the enums get a fixed underlying type: values outside the enumerators (from a caller's mistake)
 * are then valid values that the runtime can reject, not undefined behaviour. uint32_t matches the type C
 * compilers give these enums, so the ABI is the same in both languages. */
#ifdef __cplusplus
#define SINTER_ENUM_TYPE : uint32_t
#else
#define SINTER_ENUM_TYPE
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Status ------------------------------------------------------------------------------------------ */

typedef enum sinter_status_code_t SINTER_ENUM_TYPE {
  SINTER_OK = 0,
  SINTER_INVALID_ARGUMENT = 1, /* bad handle, pointer, option or tensor passed by the caller */
  SINTER_NOT_FOUND = 2,        /* a file or a named input/output does not exist */
  SINTER_INVALID_MODULE = 3,   /* the module is corrupt or inconsistent */
  SINTER_UNSUPPORTED = 4,      /* a valid module this runtime or host cannot run (format version, arch) */
  SINTER_OUT_OF_MEMORY = 5,    /* an allocation failed */
  SINTER_INTERNAL = 6          /* an operating-system call failed, or a runtime bug */
} sinter_status_code_t;

/* Opaque; NULL means OK. */
typedef struct sinter_status *sinter_status_t;

/* The status's code; SINTER_OK for NULL. */
SINTER_API sinter_status_code_t sinter_status_code(sinter_status_t status);
/* A one-line, human-readable message; "OK" for NULL. Owned by the status: valid until sinter_status_free. */
SINTER_API const char *sinter_status_message(sinter_status_t status);
/* Frees a status; NULL is allowed. */
SINTER_API void sinter_status_free(sinter_status_t status);
/* "OK", "INVALID_ARGUMENT", ...; a static string ("UNKNOWN" for values outside the enum). */
SINTER_API const char *sinter_status_code_name(sinter_status_code_t code);

/* ---- Element types ----------------------------------------------------------------------------------- */

/* Same numbering as sinter.fb.ElementType in runtime/schema/sinter_module.fbs. */
typedef enum sinter_element_type_t SINTER_ENUM_TYPE {
  SINTER_TYPE_F32 = 0,
  SINTER_TYPE_F64 = 1,
  SINTER_TYPE_F16 = 2,
  SINTER_TYPE_BF16 = 3,
  SINTER_TYPE_I8 = 4,
  SINTER_TYPE_I16 = 5,
  SINTER_TYPE_I32 = 6,
  SINTER_TYPE_I64 = 7,
  SINTER_TYPE_U8 = 8,
  SINTER_TYPE_U16 = 9,
  SINTER_TYPE_U32 = 10,
  SINTER_TYPE_U64 = 11,
  SINTER_TYPE_BOOL = 12 /* one byte per element, 0 or 1 */
} sinter_element_type_t;

/* Bytes per element; 0 for values outside the enum. */
SINTER_API size_t sinter_element_type_size(sinter_element_type_t type);
/* "f32", "bf16", "bool", ...; a static string ("invalid" for values outside the enum). */
SINTER_API const char *sinter_element_type_name(sinter_element_type_t type);

/* ---- Instance ---------------------------------------------------------------------------------------- */

typedef struct sinter_instance sinter_instance_t;

SINTER_API sinter_status_t sinter_instance_create(sinter_instance_t **out_instance);
SINTER_API void sinter_instance_release(sinter_instance_t *instance);

/* ---- Module ------------------------------------------------------------------------------------------ */

typedef struct sinter_module sinter_module_t;

/* Memory-maps `path` read-only and loads it. Constants are used in place from the mapping (never copied);
 * the mapping lives until the module and all its sessions are released. The file must not be modified or
 * truncated while loaded. A missing file is SINTER_NOT_FOUND. */
SINTER_API sinter_status_t sinter_module_load_file(sinter_instance_t *instance, const char *path,
                                                   sinter_module_t **out_module);

/* Loads a module from `size` bytes at `data`, without copying them: the CALLER KEEPS THE BYTES ALIVE AND
 * UNCHANGED until the module and all its sessions are released. The module's constants must be 64-byte
 * aligned in memory, so pass a 64-byte aligned `data` (as written by the compiler, the constants sit at a
 * 64-byte aligned offset in the file). */
SINTER_API sinter_status_t sinter_module_load_memory(sinter_instance_t *instance, const void *data, size_t size,
                                                     sinter_module_t **out_module);

SINTER_API void sinter_module_release(sinter_module_t *module);

/* One input or output of a module's signature. Every pointer in it is owned by the module and stays valid
 * until the module is released.
 *
 * Dynamic dims: an output whose extent depends on input values (ONNX NonZero, Compress, Unique,
 * NonMaxSuppression) has -1 in those places of `dims`; its `byte_size` is that of a static upper bound of
 * its shape, and the run writes the result compactly (row-major in its actual shape) at the start of the
 * buffer. sinter_session_output_dims gives the actual dims after a run. Inputs never have dynamic dims. */
typedef struct sinter_tensor_info_t {
  const char *name;
  sinter_element_type_t element_type;
  size_t rank;
  const int64_t *dims; /* `rank` entries (NULL when rank is 0: a scalar); -1 where dynamic */
  size_t byte_size;    /* product(dims) * element size; for dynamic dims, of the bound shape */
} sinter_tensor_info_t;

SINTER_API sinter_status_t sinter_module_input_count(const sinter_module_t *module, size_t *out_count);
SINTER_API sinter_status_t sinter_module_output_count(const sinter_module_t *module, size_t *out_count);
/* Index out of range is SINTER_INVALID_ARGUMENT. */
SINTER_API sinter_status_t sinter_module_input_info(const sinter_module_t *module, size_t index,
                                                    sinter_tensor_info_t *out_info);
SINTER_API sinter_status_t sinter_module_output_info(const sinter_module_t *module, size_t index,
                                                     sinter_tensor_info_t *out_info);
/* Index of the input/output called `name`; SINTER_NOT_FOUND if there is none. */
SINTER_API sinter_status_t sinter_module_find_input(const sinter_module_t *module, const char *name,
                                                    size_t *out_index);
SINTER_API sinter_status_t sinter_module_find_output(const sinter_module_t *module, const char *name,
                                                     size_t *out_index);

/* ---- Session ----------------------------------------------------------------------------------------- */

typedef struct sinter_session sinter_session_t;

typedef struct sinter_session_options_t {
  /* Threads that run a dispatch's workgroups, counting the thread that calls sinter_session_run (so 1 means
   * no worker threads). 0 means the hardware concurrency; more than 4096 is SINTER_INVALID_ARGUMENT. */
  uint32_t thread_count;
} sinter_session_options_t;

/* Allocates the session's arena (the module's arena_size, 64-byte aligned) and starts its worker threads.
 * `options` may be NULL for the defaults (thread_count 0). */
SINTER_API sinter_status_t sinter_session_create(sinter_module_t *module, const sinter_session_options_t *options,
                                                 sinter_session_t **out_session);
/* Joins the worker threads and frees the arena. Must not be called while a run on it is in progress. */
SINTER_API void sinter_session_release(sinter_session_t *session);

/* A caller-owned tensor buffer passed to sinter_session_run. The runtime borrows `dims` and `data` for the
 * duration of the call only and keeps no pointer to them afterwards. */
typedef struct sinter_tensor_t {
  sinter_element_type_t element_type;
  size_t rank;
  const int64_t *dims; /* `rank` entries; may be NULL when rank is 0 */
  void *data;          /* may be NULL only when the signature's byte size is 0 */
  size_t byte_size;    /* bytes available at `data`; at least the signature's byte size */
} sinter_tensor_t;

/* Runs the module once. `inputs` and `outputs` follow the signature's order and must match it exactly in
 * count, element type and shape, with byte_size at least the signature's byte size; a mismatch is
 * SINTER_INVALID_ARGUMENT naming the tensor and what differs. Inputs are only read. Outputs are written in
 * place (the runtime allocates nothing for them); their contents are unspecified if the call fails. Output
 * buffers must not overlap each other or any input. Returns when every dispatch has finished.
 * An output with dynamic dims takes, in each dynamic place, either -1 or the bound's extent, and a buffer
 * of at least the bound's byte size (sinter_tensor_info_t.byte_size); the result fills its first
 * product(actual dims) elements, row-major in the actual shape (sinter_session_output_dims). */
SINTER_API sinter_status_t sinter_session_run(sinter_session_t *session, const sinter_tensor_t *inputs,
                                              size_t n_inputs, sinter_tensor_t *outputs, size_t n_outputs);

/* Writes output `index`'s actual dims (`rank` entries, which must be the signature's rank) to `dims`: for
 * an output with dynamic dims, those of the last successful sinter_session_run on this session
 * (SINTER_INVALID_ARGUMENT before the first one, or after a run that failed once its arguments were
 * accepted); for a static output, its signature dims. Call it between runs, not while a run on the same session is in progress. */
SINTER_API sinter_status_t sinter_session_output_dims(const sinter_session_t *session, size_t index,
                                                      int64_t *dims, size_t rank);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SINTER_RUNTIME_H */
