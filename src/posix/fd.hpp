// An owned file descriptor, and the few ways shpp makes them. Every fd the
// library opens is close-on-exec and numbered 3 or above, so a child only ever
// gets the fds its file actions hand it, and a caller with 0/1/2 closed cannot
// make a pipe end collide with a standard stream.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

namespace shpp::detail {

class unique_fd {
 public:
  unique_fd() = default;
  explicit unique_fd(int fd) noexcept : fd_(fd) {}
  unique_fd(unique_fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  unique_fd& operator=(unique_fd&& o) noexcept {
    if (this != &o) reset(std::exchange(o.fd_, -1));
    return *this;
  }
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  ~unique_fd() { reset(); }

  int get() const noexcept { return fd_; }
  explicit operator bool() const noexcept { return fd_ >= 0; }
  int release() noexcept { return std::exchange(fd_, -1); }
  void reset(int fd = -1) noexcept;

 private:
  int fd_ = -1;
};

struct pipe_fds {
  unique_fd read;
  unique_fd write;
};

/// isatty(3).
bool is_terminal(int fd) noexcept;
/// Writes all of `text` to a blocking `fd`, retrying after EINTR and short
/// writes; false when a write fails (a reader that went away loses the rest).
bool write_all(int fd, std::string_view text) noexcept;
/// pipe2(O_CLOEXEC); throws std::system_error.
pipe_fds make_pipe();
/// A close-on-exec copy of `fd`, numbered 3 or above; throws std::system_error.
unique_fd duplicate(int fd);
/// open(O_CLOEXEC); on failure returns an empty fd and sets `error` to errno.
unique_fd open_file(const std::filesystem::path& path, int flags, int& error);

}  // namespace shpp::detail
