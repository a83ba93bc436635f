// Where a command's stdin, stdout and stderr go: the targets of .out(), .err()
// and the sources of .input() and `<`.
#pragma once

#include <filesystem>  // std::filesystem::path
#include <string>
#include <string_view>
#include <variant>

namespace shpp {

/// `> /dev/null` (for .out/.err) or `< /dev/null` (for stdin).
struct null_t {
  explicit constexpr null_t() = default;
};
inline constexpr null_t null{};

/// Collect the stream into result::out / result::err.
struct capture_t {
  explicit constexpr capture_t() = default;
};
inline constexpr capture_t capture{};

/// `2>&1`: stderr goes wherever the command's stdout finally goes.
struct to_stdout_t {
  explicit constexpr to_stdout_t() = default;
};
inline constexpr to_stdout_t to_stdout{};

/// `1>&2`: stdout goes wherever the command's stderr finally goes.
struct to_stderr_t {
  explicit constexpr to_stderr_t() = default;
};
inline constexpr to_stderr_t to_stderr{};

/// `>> path`: append to a file, creating it if needed.
struct append_t {
  std::filesystem::path path;
};
inline append_t append(std::filesystem::path path) { return append_t{std::move(path)}; }

namespace detail {
struct inherit_t {};
struct file_target {
  std::filesystem::path path;
  bool append = false;
};
// Kept by the streaming reader of lines(); never set by users.
struct stream_t {};

using output_target =
    std::variant<inherit_t, null_t, capture_t, to_stdout_t, to_stderr_t, file_target, stream_t>;
}  // namespace detail

/// The argument of .out() and .err(): a path (truncated), append(path), null,
/// capture, to_stdout or to_stderr.
class output {
 public:
  output(const char* path) : target_(detail::file_target{path}) {}
  output(std::string_view path) : target_(detail::file_target{std::filesystem::path(path)}) {}
  output(const std::string& path) : target_(detail::file_target{path}) {}
  output(std::filesystem::path path) : target_(detail::file_target{std::move(path)}) {}
  output(append_t a) : target_(detail::file_target{std::move(a.path), true}) {}
  output(null_t n) : target_(n) {}
  output(capture_t c) : target_(c) {}
  output(to_stdout_t t) : target_(t) {}
  output(to_stderr_t t) : target_(t) {}

  const detail::output_target& target() const { return target_; }

 private:
  friend class command;
  explicit output(detail::output_target t) : target_(std::move(t)) {}
  detail::output_target target_;
};

}  // namespace shpp
