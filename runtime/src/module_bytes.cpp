//===- module_bytes.cpp - read-only file mapping or borrowed memory ------------------------------------===//
#include "module_bytes.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <new>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sinter {
namespace {

/// Closes a file descriptor on every return path.
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0)
      ::close(fd);
  }
};

} // namespace

Status ModuleBytes::mapFile(const std::string &path, std::unique_ptr<ModuleBytes> &out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int error = errno;
    std::string message = "cannot open '" + path + "': " + std::strerror(error);
    return error == ENOENT ? notFound(message) : invalidArgument(message);
  }
  FdCloser closer{fd};
  struct stat info;
  if (::fstat(fd, &info) != 0)
    return internalError("cannot stat '" + path + "': " + std::strerror(errno));
  if (!S_ISREG(info.st_mode))
    return invalidArgument("'" + path + "' is not a regular file");
  if (info.st_size == 0)
    return invalidModule("'" + path + "' is empty");
  size_t size = static_cast<size_t>(info.st_size);
  // MAP_PRIVATE + PROT_READ: the module can never write through to the file, and constants are read in
  // place from the page cache instead of being copied.
  void *data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (data == MAP_FAILED) {
    int error = errno;
    std::string message = "cannot map '" + path + "': " + std::strerror(error);
    return error == ENOMEM ? outOfMemory(message) : internalError(message);
  }
  out.reset(new (std::nothrow) ModuleBytes(static_cast<const uint8_t *>(data), size, /*mapped=*/true));
  if (!out) {
    ::munmap(data, size);
    return outOfMemory("out of memory while loading '" + path + "'");
  }
  return Status();
}

std::unique_ptr<ModuleBytes> ModuleBytes::borrow(const void *data, size_t size) {
  return std::unique_ptr<ModuleBytes>(new ModuleBytes(static_cast<const uint8_t *>(data), size, false));
}

ModuleBytes::~ModuleBytes() {
  if (mapped_)
    ::munmap(const_cast<uint8_t *>(data_), size_);
}

} // namespace sinter
