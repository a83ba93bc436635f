// Built as C++23 where the compiler can (CMakeLists.txt): std::string's
// resize_and_overwrite lets take() fill a string without zero-filling it
// first. std::string is the same type in both modes (libstdc++ adds members
// only, and since C++20 every TU instantiates them from the same header).
#include "posix/capture_buffer.hpp"

#include <fcntl.h>     // F_SETPIPE_SZ
#include <sys/mman.h>  // mmap, mremap, munmap

#include <cstdint>
#include <cstring>
#include <new>
#include <utility>

namespace shpp::detail {
namespace {

constexpr std::size_t page = 4096;
constexpr std::size_t first_map = 64 * 1024;  // virtual: only the pages written are faulted in
// glibc's malloc puts 16 bytes before the memory it maps for a large block. An
// output that starts 16 bytes into its first page lines its pages up with the
// string's, so that they can move instead of being copied.
constexpr std::size_t lead = 16;
// Pages move only into a block glibc certainly mapped for itself: it maps
// every block from 32 MiB up (its largest dynamic mmap threshold on 64-bit),
// while a smaller one may lie inside its heap, whose mapping we must not split.
// Under a sanitizer, whose allocator is not glibc's, everything is copied.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr std::size_t move_from = static_cast<std::size_t>(-1);
#else
constexpr std::size_t move_from = 32 * 1024 * 1024;
#endif

// Puts n bytes from src (at offset `lead` of a mapping we own, of `mapped`
// bytes) into dst. Whole pages move into dst with mremap when dst has the same
// in-page offset; the rest is copied. The mapping is gone afterwards either way.
void move_or_copy(char* dst, char* map, std::size_t mapped, std::size_t n) {
  const char* src = map + lead;
  const bool aligned = (reinterpret_cast<std::uintptr_t>(dst) & (page - 1)) == lead;
  const std::size_t head = page - lead;
  const std::size_t body = n > head ? (n - head) & ~(page - 1) : 0;
  if (aligned && n >= move_from &&
      ::mremap(map + page, body, body, MREMAP_MAYMOVE | MREMAP_FIXED, dst + head) != MAP_FAILED) {
    std::memcpy(dst, src, head);
    std::memcpy(dst + head + body, src + head + body, n - head - body);
    // [map + page, + body) is no longer ours (another thread may map there): unmap around it.
    ::munmap(map, page);
    if (mapped > page + body) ::munmap(map + page + body, mapped - page - body);
    return;
  }
  std::memcpy(dst, src, n);
  ::munmap(map, mapped);
}

}  // namespace

void widen_if_large(int fd, std::size_t read_so_far, bool& widened) noexcept {
  if (widened || read_so_far < large_output) return;
  ::fcntl(fd, F_SETPIPE_SZ, big_pipe_size);  // may fail (the per-user limit): reading works the same
  widened = true;
}

capture_buffer::capture_buffer(capture_buffer&& other) noexcept
    : map_(std::exchange(other.map_, nullptr)),
      mapped_(std::exchange(other.mapped_, 0)),
      size_(std::exchange(other.size_, 0)) {}

capture_buffer& capture_buffer::operator=(capture_buffer&& other) noexcept {
  if (this != &other) {
    release();
    map_ = std::exchange(other.map_, nullptr);
    mapped_ = std::exchange(other.mapped_, 0);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

capture_buffer::~capture_buffer() { release(); }

void capture_buffer::release() noexcept {
  if (map_) ::munmap(map_, mapped_);
  map_ = nullptr;
  mapped_ = size_ = 0;
}

std::span<char> capture_buffer::room() {
  if (!map_) {
    void* p = ::mmap(nullptr, first_map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    map_ = static_cast<char*>(p);
    mapped_ = first_map;
  } else if (lead + size_ == mapped_) {
    // Doubling only reserves address space; the kernel moves the page tables, not the bytes.
    void* p = ::mremap(map_, mapped_, 2 * mapped_, MREMAP_MAYMOVE);
    if (p == MAP_FAILED) throw std::bad_alloc();
    map_ = static_cast<char*>(p);
    mapped_ *= 2;
  }
  return {map_ + lead + size_, mapped_ - lead - size_};
}

std::string capture_buffer::take() {
  std::string s;
  if (size_ == 0) {
    release();
    return s;
  }
  const std::size_t n = size_;
#ifdef __cpp_lib_string_resize_and_overwrite
  s.reserve(n);  // exactly n: resize_and_overwrite would round a larger request up
  s.resize_and_overwrite(n, [&](char* dst, std::size_t) {
    move_or_copy(dst, map_, mapped_, n);
    return n;
  });
#else
  s.resize(n);  // zero-fills first: one more pass over the memory
  move_or_copy(s.data(), map_, mapped_, n);
#endif
  map_ = nullptr;  // move_or_copy unmapped it
  mapped_ = size_ = 0;
  return s;
}

}  // namespace shpp::detail
