/* run_module: load a .sinter module with the Sinter runtime C API, print its signature, fill every input
 * with a simple pattern (element i of input k is (i + 1) * (k + 1)), run it and print the outputs.
 *
 *   run_module MODULE.sinter [THREADS]
 */
#include <sinter/runtime.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints a failed status and exits; does nothing for NULL (OK). */
static void check(sinter_status_t status, const char *what) {
  if (!status)
    return;
  fprintf(stderr, "run_module: %s: %s: %s\n", what, sinter_status_code_name(sinter_status_code(status)),
          sinter_status_message(status));
  sinter_status_free(status);
  exit(1);
}

static void print_info(const char *role, size_t index, const sinter_tensor_info_t *info) {
  size_t d;
  printf("%s %zu: %s %s [", role, index, info->name, sinter_element_type_name(info->element_type));
  for (d = 0; d < info->rank; ++d)
    printf("%s%lld", d ? ", " : "", (long long)info->dims[d]);
  printf("] (%zu bytes)\n", info->byte_size);
}

/* IEEE half <-> float, enough for the small values used here (normal numbers and zero). */
static unsigned short float_to_half(float value) {
  unsigned int bits;
  unsigned int sign, exponent, mantissa;
  memcpy(&bits, &value, sizeof(bits));
  sign = (bits >> 16) & 0x8000u;
  if ((bits & 0x7fffffffu) == 0)
    return (unsigned short)sign;
  exponent = ((bits >> 23) & 0xffu) - 127u + 15u;
  mantissa = (bits >> 13) & 0x3ffu;
  return (unsigned short)(sign | (exponent << 10) | mantissa);
}

static float half_to_float(unsigned short half) {
  unsigned int exponent = (half >> 10) & 0x1fu, mantissa = half & 0x3ffu;
  float value = exponent == 0 ? ldexpf((float)mantissa, -24) : ldexpf((float)(mantissa | 0x400u), (int)exponent - 25);
  return (half & 0x8000u) ? -value : value;
}

static void store(sinter_element_type_t type, void *data, size_t i, double value) {
  switch (type) {
  case SINTER_TYPE_F32: ((float *)data)[i] = (float)value; break;
  case SINTER_TYPE_F64: ((double *)data)[i] = value; break;
  case SINTER_TYPE_F16: ((unsigned short *)data)[i] = float_to_half((float)value); break;
  case SINTER_TYPE_BF16: {
    float f = (float)value;
    unsigned int bits;
    memcpy(&bits, &f, sizeof(bits));
    ((unsigned short *)data)[i] = (unsigned short)(bits >> 16);
    break;
  }
  case SINTER_TYPE_I8: ((signed char *)data)[i] = (signed char)value; break;
  case SINTER_TYPE_I16: ((short *)data)[i] = (short)value; break;
  case SINTER_TYPE_I32: ((int *)data)[i] = (int)value; break;
  case SINTER_TYPE_I64: ((long long *)data)[i] = (long long)value; break;
  case SINTER_TYPE_U8: ((unsigned char *)data)[i] = (unsigned char)value; break;
  case SINTER_TYPE_U16: ((unsigned short *)data)[i] = (unsigned short)value; break;
  case SINTER_TYPE_U32: ((unsigned int *)data)[i] = (unsigned int)value; break;
  case SINTER_TYPE_U64: ((unsigned long long *)data)[i] = (unsigned long long)value; break;
  case SINTER_TYPE_BOOL: ((unsigned char *)data)[i] = (unsigned char)((long long)value % 2); break;
  }
}

static double load(sinter_element_type_t type, const void *data, size_t i) {
  switch (type) {
  case SINTER_TYPE_F32: return ((const float *)data)[i];
  case SINTER_TYPE_F64: return ((const double *)data)[i];
  case SINTER_TYPE_F16: return half_to_float(((const unsigned short *)data)[i]);
  case SINTER_TYPE_BF16: {
    unsigned int bits = (unsigned int)((const unsigned short *)data)[i] << 16;
    float f;
    memcpy(&f, &bits, sizeof(f));
    return f;
  }
  case SINTER_TYPE_I8: return ((const signed char *)data)[i];
  case SINTER_TYPE_I16: return ((const short *)data)[i];
  case SINTER_TYPE_I32: return ((const int *)data)[i];
  case SINTER_TYPE_I64: return (double)((const long long *)data)[i];
  case SINTER_TYPE_U8: return ((const unsigned char *)data)[i];
  case SINTER_TYPE_U16: return ((const unsigned short *)data)[i];
  case SINTER_TYPE_U32: return ((const unsigned int *)data)[i];
  case SINTER_TYPE_U64: return (double)((const unsigned long long *)data)[i];
  case SINTER_TYPE_BOOL: return ((const unsigned char *)data)[i];
  }
  return 0;
}

int main(int argc, char **argv) {
  sinter_instance_t *instance = NULL;
  sinter_module_t *module = NULL;
  sinter_session_t *session = NULL;
  sinter_session_options_t options;
  size_t n_inputs = 0, n_outputs = 0, i, k;
  sinter_tensor_t *inputs, *outputs;

  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: run_module MODULE.sinter [THREADS]\n");
    return 1;
  }
  options.thread_count = argc == 3 ? (uint32_t)strtoul(argv[2], NULL, 10) : 0;

  check(sinter_instance_create(&instance), "create instance");
  check(sinter_module_load_file(instance, argv[1], &module), "load module");
  check(sinter_module_input_count(module, &n_inputs), "input count");
  check(sinter_module_output_count(module, &n_outputs), "output count");
  printf("module: %s\n", argv[1]);

  /* Tensors point at the module's dims (valid until the module is released) and at our own buffers. */
  inputs = calloc(n_inputs + 1, sizeof(*inputs));
  outputs = calloc(n_outputs + 1, sizeof(*outputs));
  if (!inputs || !outputs)
    return 1;
  for (k = 0; k < n_inputs; ++k) {
    sinter_tensor_info_t info;
    size_t count;
    check(sinter_module_input_info(module, k, &info), "input info");
    print_info("input", k, &info);
    inputs[k].element_type = info.element_type;
    inputs[k].rank = info.rank;
    inputs[k].dims = info.dims;
    inputs[k].byte_size = info.byte_size;
    inputs[k].data = malloc(info.byte_size ? info.byte_size : 1);
    if (!inputs[k].data)
      return 1;
    count = info.byte_size / sinter_element_type_size(info.element_type);
    for (i = 0; i < count; ++i)
      store(info.element_type, inputs[k].data, i, (double)((i + 1) * (k + 1)));
  }
  for (k = 0; k < n_outputs; ++k) {
    sinter_tensor_info_t info;
    check(sinter_module_output_info(module, k, &info), "output info");
    print_info("output", k, &info);
    outputs[k].element_type = info.element_type;
    outputs[k].rank = info.rank;
    outputs[k].dims = info.dims;
    outputs[k].byte_size = info.byte_size;
    outputs[k].data = calloc(info.byte_size ? info.byte_size : 1, 1);
    if (!outputs[k].data)
      return 1;
  }

  check(sinter_session_create(module, &options, &session), "create session");
  check(sinter_session_run(session, inputs, n_inputs, outputs, n_outputs), "run");

  for (k = 0; k < n_outputs; ++k) {
    sinter_tensor_info_t info;
    size_t count;
    check(sinter_module_output_info(module, k, &info), "output info");
    count = info.byte_size / sinter_element_type_size(info.element_type);
    printf("%s = [", info.name);
    for (i = 0; i < count && i < 16; ++i)
      printf("%s%g", i ? ", " : "", load(info.element_type, outputs[k].data, i));
    printf("%s]\n", count > 16 ? ", ..." : "");
  }

  for (k = 0; k < n_inputs; ++k)
    free(inputs[k].data);
  for (k = 0; k < n_outputs; ++k)
    free(outputs[k].data);
  free(inputs);
  free(outputs);
  sinter_session_release(session);
  sinter_module_release(module);
  sinter_instance_release(instance);
  return 0;
}
