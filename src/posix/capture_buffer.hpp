// Where a pipe's output collects until it becomes a std::string, and how big a
// pipe we read from grows. One growth policy for every output we read.
#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace shpp::detail {

// An output that reached this size is large: its pipe widens to big_pipe_size
// (fewer wake-ups). Only then, since pipe pages count against a per-user limit.
constexpr std::size_t large_output = 1024 * 1024;
constexpr int big_pipe_size = 1024 * 1024;

// Grows a pipe whose output proved large (read_so_far >= large_output), once.
void widen_if_large(int fd, std::size_t read_so_far, bool& widened) noexcept;

// The bytes of one output, in a private mapping that grows with mremap, as
// glibc's realloc and so Python's readall grow theirs: growing copies nothing
// and every page is written once. take() hands the pages to the string
// instead of copying them (bench/: capture 1 GiB).
class capture_buffer {
 public:
  capture_buffer() = default;
  capture_buffer(capture_buffer&& other) noexcept;
  capture_buffer& operator=(capture_buffer&& other) noexcept;
  ~capture_buffer();

  /// Where the next read goes: never empty (throws std::bad_alloc).
  std::span<char> room();
  /// The first n bytes of room() now hold output.
  void commit(std::size_t n) noexcept { size_ += n; }
  std::size_t size() const noexcept { return size_; }
  /// Everything so far, as a string; the buffer is empty afterwards.
  std::string take();

 private:
  void release() noexcept;

  char* map_ = nullptr;  // the mapping; the output starts at map_ + lead
  std::size_t mapped_ = 0;
  std::size_t size_ = 0;
};

}  // namespace shpp::detail
