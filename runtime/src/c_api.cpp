//===- c_api.cpp - the C API (sinter/runtime.h) over the C++ internals ---------------------------------===//
//
// Every entry point checks its handles and pointers, clears its outputs, and converts C++ failures
// (Status, and std::bad_alloc or any other exception) into a sinter_status_t: nothing thrown crosses the C
// boundary.
//
//===----------------------------------------------------------------------------------------------------===//
#include "sinter/runtime.h"

#include "element_type.h"
#include "module_loader.h"
#include "session.h"
#include "status.h"

#include "sinter_module_generated.h"

#include <cstring>
#include <memory>
#include <new>

namespace sinter {

/// Reserved for process-wide state (device registries, allocators). Modules hold a reference to it.
struct Instance {};

} // namespace sinter

struct sinter_instance {
  std::shared_ptr<sinter::Instance> impl;
};

struct sinter_module {
  std::shared_ptr<sinter::Instance> instance;
  std::shared_ptr<const sinter::LoadedModule> impl;
};

struct sinter_session {
  std::unique_ptr<sinter::Session> impl; // holds its own reference to the module
};

namespace {

using sinter::Status;

// The C enum mirrors the schema's so that values can be cast across.
static_assert(SINTER_TYPE_F32 == static_cast<int>(sinter::fb::ElementType::F32), "element type numbering");
static_assert(SINTER_TYPE_BF16 == static_cast<int>(sinter::fb::ElementType::BF16), "element type numbering");
static_assert(SINTER_TYPE_U64 == static_cast<int>(sinter::fb::ElementType::U64), "element type numbering");
static_assert(SINTER_TYPE_BOOL == static_cast<int>(sinter::fb::ElementType::Bool), "element type numbering");
static_assert(static_cast<int>(sinter::BindingKind::Arena) == static_cast<int>(sinter::fb::BufferKind::Arena),
              "binding kind numbering");

/// Runs `body` (returning Status) and converts the result and any exception to a C status.
template <typename Body> sinter_status_t guarded(const char *function, Body &&body) noexcept {
  try {
    return sinter::toCStatus(body());
  } catch (const std::bad_alloc &) {
    return sinter::toCStatus(sinter::outOfMemory(std::string(function) + ": out of memory"));
  } catch (const std::exception &error) {
    return sinter::toCStatus(sinter::internalError(std::string(function) + ": " + error.what()));
  } catch (...) {
    return sinter::toCStatus(sinter::internalError(std::string(function) + ": unknown exception"));
  }
}

Status nullArgument(const char *function, const char *argument) {
  return sinter::invalidArgument(std::string(function) + ": " + argument + " is NULL");
}

Status loadModule(sinter_instance_t *instance, std::unique_ptr<sinter::ModuleBytes> bytes,
                  sinter_module_t **outModule) {
  std::shared_ptr<const sinter::LoadedModule> loaded;
  SINTER_RETURN_IF_ERROR(sinter::LoadedModule::load(std::move(bytes), loaded));
  *outModule = new sinter_module{instance->impl, std::move(loaded)};
  return Status();
}

Status tensorInfo(const sinter_module_t *module, size_t index, sinter_tensor_info_t *outInfo, bool input,
                  const char *function) {
  if (outInfo)
    std::memset(outInfo, 0, sizeof(*outInfo));
  if (!module)
    return nullArgument(function, "module");
  if (!outInfo)
    return nullArgument(function, "out_info");
  const std::vector<sinter::TensorSpec> &specs = input ? module->impl->inputs() : module->impl->outputs();
  if (index >= specs.size())
    return sinter::invalidArgument(std::string(function) + ": index " + std::to_string(index) +
                                   " is out of range (the module has " + std::to_string(specs.size()) + " " +
                                   (input ? "inputs" : "outputs") + ")");
  const sinter::TensorSpec &spec = specs[index];
  outInfo->name = spec.name.c_str();
  outInfo->element_type = spec.elementType;
  outInfo->rank = spec.dims.size();
  outInfo->dims = spec.dims.empty() ? nullptr : spec.dims.data();
  outInfo->byte_size = spec.byteSize;
  return Status();
}

Status findTensor(const sinter_module_t *module, const char *name, size_t *outIndex, bool input,
                  const char *function) {
  if (outIndex)
    *outIndex = 0;
  if (!module)
    return nullArgument(function, "module");
  if (!name)
    return nullArgument(function, "name");
  if (!outIndex)
    return nullArgument(function, "out_index");
  const std::vector<sinter::TensorSpec> &specs = input ? module->impl->inputs() : module->impl->outputs();
  for (size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].name == name) {
      *outIndex = i;
      return Status();
    }
  }
  return sinter::notFound(std::string("the module has no ") + (input ? "input" : "output") + " named " +
                          sinter::quoteForMessage(name, std::strlen(name)));
}

Status tensorCount(const sinter_module_t *module, size_t *outCount, bool input, const char *function) {
  if (outCount)
    *outCount = 0;
  if (!module)
    return nullArgument(function, "module");
  if (!outCount)
    return nullArgument(function, "out_count");
  *outCount = input ? module->impl->inputs().size() : module->impl->outputs().size();
  return Status();
}

} // namespace

extern "C" {

size_t sinter_element_type_size(sinter_element_type_t type) { return sinter::elementTypeSize(type); }

const char *sinter_element_type_name(sinter_element_type_t type) { return sinter::elementTypeName(type); }

sinter_status_t sinter_instance_create(sinter_instance_t **out_instance) {
  const char *fn = __func__;
  return guarded(fn, [&]() -> Status {
    if (!out_instance)
      return nullArgument(fn, "out_instance");
    *out_instance = new sinter_instance{std::make_shared<sinter::Instance>()};
    return Status();
  });
}

void sinter_instance_release(sinter_instance_t *instance) { delete instance; }

sinter_status_t sinter_module_load_file(sinter_instance_t *instance, const char *path,
                                        sinter_module_t **out_module) {
  const char *fn = __func__;
  return guarded(fn, [&]() -> Status {
    if (out_module)
      *out_module = nullptr;
    if (!instance)
      return nullArgument(fn, "instance");
    if (!path)
      return nullArgument(fn, "path");
    if (!out_module)
      return nullArgument(fn, "out_module");
    std::unique_ptr<sinter::ModuleBytes> bytes;
    SINTER_RETURN_IF_ERROR(sinter::ModuleBytes::mapFile(path, bytes));
    Status status = loadModule(instance, std::move(bytes), out_module);
    if (!status.ok())
      return Status(status.code(), std::string(path) + ": " + status.message());
    return status;
  });
}

sinter_status_t sinter_module_load_memory(sinter_instance_t *instance, const void *data, size_t size,
                                          sinter_module_t **out_module) {
  const char *fn = __func__;
  return guarded(fn, [&]() -> Status {
    if (out_module)
      *out_module = nullptr;
    if (!instance)
      return nullArgument(fn, "instance");
    if (!data)
      return nullArgument(fn, "data");
    if (!out_module)
      return nullArgument(fn, "out_module");
    return loadModule(instance, sinter::ModuleBytes::borrow(data, size), out_module);
  });
}

void sinter_module_release(sinter_module_t *module) { delete module; }

sinter_status_t sinter_module_input_count(const sinter_module_t *module, size_t *out_count) {
  const char *fn = __func__;
  return guarded(fn, [&] { return tensorCount(module, out_count, true, fn); });
}

sinter_status_t sinter_module_output_count(const sinter_module_t *module, size_t *out_count) {
  const char *fn = __func__;
  return guarded(fn, [&] { return tensorCount(module, out_count, false, fn); });
}

sinter_status_t sinter_module_input_info(const sinter_module_t *module, size_t index,
                                         sinter_tensor_info_t *out_info) {
  const char *fn = __func__;
  return guarded(fn, [&] { return tensorInfo(module, index, out_info, true, fn); });
}

sinter_status_t sinter_module_output_info(const sinter_module_t *module, size_t index,
                                          sinter_tensor_info_t *out_info) {
  const char *fn = __func__;
  return guarded(fn, [&] { return tensorInfo(module, index, out_info, false, fn); });
}

sinter_status_t sinter_module_find_input(const sinter_module_t *module, const char *name, size_t *out_index) {
  const char *fn = __func__;
  return guarded(fn, [&] { return findTensor(module, name, out_index, true, fn); });
}

sinter_status_t sinter_module_find_output(const sinter_module_t *module, const char *name, size_t *out_index) {
  const char *fn = __func__;
  return guarded(fn, [&] { return findTensor(module, name, out_index, false, fn); });
}

sinter_status_t sinter_session_create(sinter_module_t *module, const sinter_session_options_t *options,
                                      sinter_session_t **out_session) {
  const char *fn = __func__;
  return guarded(fn, [&]() -> Status {
    if (out_session)
      *out_session = nullptr;
    if (!module)
      return nullArgument(fn, "module");
    if (!out_session)
      return nullArgument(fn, "out_session");
    uint32_t threadCount = options ? options->thread_count : 0;
    std::unique_ptr<sinter::Session> session;
    SINTER_RETURN_IF_ERROR(sinter::Session::create(module->impl, threadCount, session));
    *out_session = new sinter_session{std::move(session)};
    return Status();
  });
}

void sinter_session_release(sinter_session_t *session) { delete session; }

sinter_status_t sinter_session_run(sinter_session_t *session, const sinter_tensor_t *inputs, size_t n_inputs,
                                   sinter_tensor_t *outputs, size_t n_outputs) {
  const char *fn = __func__;
  return guarded(fn, [&]() -> Status {
    if (!session)
      return nullArgument(fn, "session");
    return session->impl->run(inputs, n_inputs, outputs, n_outputs);
  });
}

sinter_status_t sinter_session_output_dims(const sinter_session_t *session, size_t index, int64_t *dims,
                                           size_t rank) {
  const char *fn = __func__;
  return guarded(fn, [&]() -> Status {
    if (!session)
      return nullArgument(fn, "session");
    return session->impl->outputDims(index, dims, rank);
  });
}

} // extern "C"
