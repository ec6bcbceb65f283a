//===- status.cpp - the C status object and its accessors ----------------------------------------------===//
#include "status.h"

#include <cstdio>
#include <new>

// The C handle behind sinter_status_t. `isStatic` marks the preallocated out-of-memory status, which is
// returned when a status itself cannot be allocated and must never be deleted.
struct sinter_status {
  sinter_status_code_t code;
  std::string message;
  bool isStatic;
};

namespace sinter {
namespace {

sinter_status *staticOutOfMemoryStatus() {
  static sinter_status status{SINTER_OUT_OF_MEMORY, "out of memory (while reporting an error)", true};
  return &status;
}

} // namespace

std::string quoteForMessage(const char *text, size_t length) {
  constexpr size_t kMaxShown = 64;
  std::string quoted = "'";
  for (size_t i = 0; i < length && i < kMaxShown; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
      quoted += static_cast<char>(c);
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\x%02x", c);
      quoted += escaped;
    }
  }
  if (length > kMaxShown)
    quoted += "...";
  return quoted + "'";
}

std::string escapeForMessage(const std::string &text) {
  std::string quoted = quoteForMessage(text.data(), text.size());
  return quoted.substr(1, quoted.size() - 2);
}

sinter_status_t toCStatus(const Status &status) noexcept {
  if (status.ok())
    return nullptr;
  try {
    return new sinter_status{status.code(), status.message(), false};
  } catch (...) {
    return staticOutOfMemoryStatus();
  }
}

} // namespace sinter

extern "C" {

sinter_status_code_t sinter_status_code(sinter_status_t status) { return status ? status->code : SINTER_OK; }

const char *sinter_status_message(sinter_status_t status) { return status ? status->message.c_str() : "OK"; }

void sinter_status_free(sinter_status_t status) {
  if (status && !status->isStatic)
    delete status;
}

const char *sinter_status_code_name(sinter_status_code_t code) {
  switch (code) {
  case SINTER_OK: return "OK";
  case SINTER_INVALID_ARGUMENT: return "INVALID_ARGUMENT";
  case SINTER_NOT_FOUND: return "NOT_FOUND";
  case SINTER_INVALID_MODULE: return "INVALID_MODULE";
  case SINTER_UNSUPPORTED: return "UNSUPPORTED";
  case SINTER_OUT_OF_MEMORY: return "OUT_OF_MEMORY";
  case SINTER_INTERNAL: return "INTERNAL";
  }
  return "UNKNOWN";
}

} // extern "C"
