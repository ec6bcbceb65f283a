//===- status.h - Status: an error code and message inside the runtime ---------------------------------===//
//
// The runtime's C++ code returns Status; the C API turns it into a heap-allocated sinter_status_t (NULL for
// OK) at the boundary. Keeping the C struct out of the internals lets every file return errors by value.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_RUNTIME_SRC_STATUS_H
#define SINTER_RUNTIME_SRC_STATUS_H

#include "sinter/runtime.h"

#include <cstddef>
#include <string>
#include <utility>

namespace sinter {

class Status {
public:
  Status() = default; // OK
  Status(sinter_status_code_t code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == SINTER_OK; }
  sinter_status_code_t code() const { return code_; }
  const std::string &message() const { return message_; }

private:
  sinter_status_code_t code_ = SINTER_OK;
  std::string message_;
};

inline Status invalidArgument(std::string message) { return {SINTER_INVALID_ARGUMENT, std::move(message)}; }
inline Status notFound(std::string message) { return {SINTER_NOT_FOUND, std::move(message)}; }
inline Status invalidModule(std::string message) { return {SINTER_INVALID_MODULE, std::move(message)}; }
inline Status unsupported(std::string message) { return {SINTER_UNSUPPORTED, std::move(message)}; }
inline Status outOfMemory(std::string message) { return {SINTER_OUT_OF_MEMORY, std::move(message)}; }
inline Status internalError(std::string message) { return {SINTER_INTERNAL, std::move(message)}; }

/// Heap-allocates the C status for `status` (NULL when it is OK). Never throws: if that allocation fails it
/// returns a static out-of-memory status that sinter_status_free() leaves alone.
sinter_status_t toCStatus(const Status &status) noexcept;

/// `text` made safe for a one-line message: single-quoted, non-printable bytes escaped as \xNN, cut after
/// 64 bytes. Module strings are untrusted and may hold anything.
std::string quoteForMessage(const char *text, size_t length);
/// The same without the quotes.
std::string escapeForMessage(const std::string &text);
inline std::string quoteForMessage(const std::string &text) { return quoteForMessage(text.data(), text.size()); }

/// Propagates a failed Status to the caller.
#define SINTER_RETURN_IF_ERROR(expr)                                                                         \
  do {                                                                                                       \
    ::sinter::Status sinter_status_ = (expr);                                                                \
    if (!sinter_status_.ok())                                                                                \
      return sinter_status_;                                                                                 \
  } while (0)

} // namespace sinter

#endif // SINTER_RUNTIME_SRC_STATUS_H
