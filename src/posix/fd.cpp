#include "posix/fd.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace shpp::detail {
namespace {

// Moves fd to 3 or above: with 0, 1 or 2 closed in the caller, the kernel
// would hand those numbers out, and a child's dup2 onto them would clobber.
int above_stdio(int fd) {
  if (fd > 2) return fd;
  const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  const int saved = errno;
  ::close(fd);
  if (moved < 0) throw std::system_error(saved, std::generic_category(), "shpp: fcntl(F_DUPFD_CLOEXEC)");
  return moved;
}

}  // namespace

bool is_terminal(int fd) noexcept { return ::isatty(fd); }

bool write_all(int fd, std::string_view text) noexcept {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void unique_fd::reset(int fd) noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

pipe_fds make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "shpp: pipe2");
  pipe_fds p{unique_fd(fds[0]), unique_fd(fds[1])};
  p.read = unique_fd(above_stdio(p.read.release()));
  p.write = unique_fd(above_stdio(p.write.release()));
  return p;
}

unique_fd duplicate(int fd) {
  const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (copy < 0) throw std::system_error(errno, std::generic_category(), "shpp: fcntl(F_DUPFD_CLOEXEC)");
  return unique_fd(copy);
}

unique_fd open_file(const std::filesystem::path& path, int flags, int& error) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0666);
  if (fd < 0) {
    error = errno;
    return {};
  }
  return unique_fd(above_stdio(fd));
}

}  // namespace shpp::detail
