// Where a command's stdin, stdout and stderr go: the targets of .out(), .err()
// and the sources of .input() and `<`.
#pragma once

#include <string>

#include "shpp/arg.hpp"

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
  std::string path;
};
inline append_t append(const path_arg& path) { return append_t{path.str()}; }

/// The argument of .out() and .err(): a path (truncated), append(path), null,
/// capture, to_stdout or to_stderr.
class output {
 public:
  enum class kind { inherit, null, capture, to_stdout, to_stderr, file, append };

  /// Inherit the caller's stream (the default).
  output() : kind_(kind::inherit) {}
  output(const char* path) : kind_(kind::file), path_(path) {}
  output(std::string path) : kind_(kind::file), path_(std::move(path)) {}
  output(std::string_view path) : kind_(kind::file), path_(path) {}
  template <detail::path_like P>
  output(const P& path) : kind_(kind::file), path_(path_arg(path).str()) {}
  output(append_t a) : kind_(kind::append), path_(std::move(a.path)) {}
  output(null_t) : kind_(kind::null) {}
  output(capture_t) : kind_(kind::capture) {}
  output(to_stdout_t) : kind_(kind::to_stdout) {}
  output(to_stderr_t) : kind_(kind::to_stderr) {}

  kind target() const noexcept { return kind_; }
  const std::string& path() const noexcept { return path_; }

 private:
  kind kind_;
  std::string path_;
};

}  // namespace shpp
