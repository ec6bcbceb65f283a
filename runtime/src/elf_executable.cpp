//===- elf_executable.cpp - memfd + dlopen loading of CPU executables ----------------------------------===//
#include "elf_executable.h"

#include <cerrno>
#include <cstring>
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <mutex>
#include <unistd.h>

namespace sinter {
namespace {

#if defined(__x86_64__)
constexpr const char *kHostArch = "x86_64";
constexpr uint16_t kHostMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr const char *kHostArch = "aarch64";
constexpr uint16_t kHostMachine = EM_AARCH64;
#else
#error "the Sinter runtime supports x86_64 and aarch64 hosts"
#endif

/// Triple spellings of the host architecture (LLVM accepts these aliases).
bool archMatchesHost(const std::string &arch) {
#if defined(__x86_64__)
  return arch == "x86_64" || arch == "amd64" || arch == "x86-64";
#else
  return arch == "aarch64" || arch == "arm64";
#endif
}

std::string dlErrorMessage() {
  const char *message = dlerror();
  return message ? message : "unknown dynamic loader error";
}

bool writeAll(int fd, const uint8_t *data, size_t size) {
  while (size > 0) {
    ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    data += written;
    size -= static_cast<size_t>(written);
  }
  return true;
}

/// The schema lets kernels call math functions, which their shared objects do not link (no DT_NEEDED):
/// they resolve against the global scope. libm is there when the program links it, but not necessarily
/// when the runtime itself was dlopen'ed locally, so promote it to the global scope once.
void makeMathLibraryGlobal() {
  static std::once_flag once;
  std::call_once(once, [] { (void)dlopen("libm.so.6", RTLD_NOW | RTLD_GLOBAL); });
}

std::string procFdPath(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

/// glibc returns an already-loaded object for a path it has seen, without looking at the file. If an object
/// loaded through "/proc/self/fd/N" is still resident (for example one marked NODELETE whose memfd has since
/// been closed), move our memfd to another number so dlopen cannot hand back that stale object.
int moveFdOffStaleLoadedPath(int fd) {
  for (int attempt = 0; attempt < 64; ++attempt) {
    void *stale = dlopen(procFdPath(fd).c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
    if (!stale)
      return fd;
    dlclose(stale);
    int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, fd + 1);
    if (moved < 0)
      return fd;
    ::close(fd);
    fd = moved;
  }
  return fd;
}

} // namespace

const char *hostArchitecture() { return kHostArch; }

Status checkTripleMatchesHost(const std::string &triple) {
  std::string arch = triple.substr(0, triple.find('-'));
  if (!archMatchesHost(arch))
    return unsupported("target triple " + quoteForMessage(triple) + " is for " +
                       (arch.empty() ? "no architecture" : escapeForMessage(arch)) + " but this host is " + kHostArch);
  return Status();
}

Status checkElfImage(const uint8_t *code, size_t size) {
  Elf64_Ehdr header;
  if (size < sizeof(header))
    return invalidModule("code is " + std::to_string(size) + " bytes, too small for an ELF header");
  std::memcpy(&header, code, sizeof(header)); // the code bytes need not be aligned for Elf64_Ehdr
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0)
    return invalidModule("code is not an ELF image (bad magic)");
  if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB ||
      header.e_ident[EI_VERSION] != EV_CURRENT)
    return invalidModule("code is not a 64-bit little-endian ELF image");
  if (header.e_type != ET_DYN)
    return invalidModule("code is an ELF image of type " + std::to_string(header.e_type) +
                         ", not a shared object");
  if (header.e_machine != kHostMachine)
    return unsupported("code is an ELF image for machine " + std::to_string(header.e_machine) + ", not " +
                       kHostArch);
  uint64_t tableEnd = 0;
  if (header.e_phentsize != sizeof(Elf64_Phdr) || header.e_phnum == 0 ||
      __builtin_add_overflow(header.e_phoff, uint64_t(header.e_phnum) * sizeof(Elf64_Phdr), &tableEnd) ||
      tableEnd > size)
    return invalidModule("ELF program header table is missing or outside the code");
  bool hasLoad = false, hasDynamic = false;
  for (uint16_t i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr segment;
    std::memcpy(&segment, code + header.e_phoff + i * sizeof(Elf64_Phdr), sizeof(segment));
    uint64_t end = 0;
    // dlopen maps segments straight from the file: one past its end would fault (SIGBUS) on first touch.
    if (__builtin_add_overflow(segment.p_offset, segment.p_filesz, &end) || end > size)
      return invalidModule("ELF segment " + std::to_string(i) + " lies outside the code (" + std::to_string(size) +
                           " bytes)");
    if (segment.p_type == PT_LOAD) {
      hasLoad = true;
      if (segment.p_filesz > segment.p_memsz)
        return invalidModule("ELF segment " + std::to_string(i) + " is larger in the file than in memory");
    }
    hasDynamic |= segment.p_type == PT_DYNAMIC;
  }
  if (!hasLoad || !hasDynamic)
    return invalidModule("ELF image has no loadable or no dynamic segment");
  return Status();
}

Status ElfExecutable::load(const std::string &label, const uint8_t *code, size_t size,
                           const std::vector<std::string> &entryPoints, std::unique_ptr<ElfExecutable> &out) {
  Status imageStatus = checkElfImage(code, size);
  if (!imageStatus.ok())
    return Status(imageStatus.code(), label + ": " + imageStatus.message());

  makeMathLibraryGlobal();
  std::unique_ptr<ElfExecutable> executable(new ElfExecutable());
  executable->fd_ = ::memfd_create("sinter-executable", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (executable->fd_ < 0)
    return internalError(label + ": memfd_create failed: " + std::strerror(errno));
  if (!writeAll(executable->fd_, code, size)) {
    int error = errno;
    std::string message = label + ": cannot write the code to a memfd: " + std::strerror(error);
    return error == ENOMEM || error == ENOSPC ? outOfMemory(message) : internalError(message);
  }
  // Sealing makes the loaded image immutable; a failure here only loses that guarantee, so it is ignored.
  (void)::fcntl(executable->fd_, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
  executable->fd_ = moveFdOffStaleLoadedPath(executable->fd_);

  // RTLD_NOW: unresolved symbols fail here, not in the middle of a run. RTLD_LOCAL: entry point names of
  // different modules (often identical) never interpose on each other.
  executable->handle_ = dlopen(procFdPath(executable->fd_).c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!executable->handle_)
    return invalidModule(label + ": cannot load the shared object: " + dlErrorMessage());

  executable->entryPoints_.reserve(entryPoints.size());
  for (const std::string &name : entryPoints) {
    dlerror(); // clear, so that a NULL result can be told apart from an error
    void *symbol = dlsym(executable->handle_, name.c_str());
    if (!symbol)
      return invalidModule(label + ": entry point " + quoteForMessage(name) + " is not defined by the shared object");
    executable->entryPoints_.push_back(reinterpret_cast<EntryPointFn>(symbol));
  }
  out = std::move(executable);
  return Status();
}

ElfExecutable::~ElfExecutable() {
  if (handle_)
    dlclose(handle_);
  if (fd_ >= 0)
    ::close(fd_);
}

} // namespace sinter
