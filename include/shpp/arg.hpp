// Turning cmd()'s arguments into argv strings: strings, paths, numbers and
// ranges of those. No shell is involved, so every argument stays one argv entry.
// The header stays light: paths are recognised by shape, not by <filesystem>.
#pragma once

#include <concepts>     // std::same_as, std::integral
#include <string>
#include <string_view>
#include <type_traits>  // std::is_floating_point_v
#include <vector>

namespace shpp::detail {

std::string format_number(long long value);
std::string format_number(unsigned long long value);
std::string format_number(double value);

template <class T>
concept string_like = std::convertible_to<const T&, std::string_view>;

/// std::filesystem::path and anything else that holds a POSIX path string.
template <class T>
concept path_like = !string_like<T> && requires(const T& p) {
  { p.native() } -> std::convertible_to<std::string_view>;
};

template <class T>
concept arg_range = !string_like<T> && !path_like<T> && requires(const T& r) {
  std::begin(r);
  std::end(r);
};

/// An input range that iterates only when mutable (a lines() range): taking
/// it as an argument reads it to its end.
template <class T>
concept single_pass_range = !string_like<T> && !path_like<T> && !arg_range<T> && requires(T& r) {
  r.begin();
  r.end();
};

template <class T>
void append_arg(std::vector<std::string>& argv, const T& arg) {
  if constexpr (string_like<T>) {
    argv.emplace_back(std::string_view(arg));
  } else if constexpr (path_like<T>) {
    argv.emplace_back(std::string_view(arg.native()));
  } else if constexpr (std::same_as<T, bool>) {
    static_assert(!std::same_as<T, bool>, "shpp::cmd: pass a bool as \"true\"/\"false\" explicitly");
  } else if constexpr (std::same_as<T, char>) {
    argv.emplace_back(1, arg);
  } else if constexpr (std::signed_integral<T>) {
    argv.push_back(format_number(static_cast<long long>(arg)));
  } else if constexpr (std::unsigned_integral<T>) {
    argv.push_back(format_number(static_cast<unsigned long long>(arg)));
  } else if constexpr (std::is_floating_point_v<T>) {
    argv.push_back(format_number(static_cast<double>(arg)));
  } else if constexpr (arg_range<T>) {
    for (const auto& element : arg) append_arg(argv, element);
  } else if constexpr (single_pass_range<T>) {
    for (const auto& element : const_cast<T&>(arg)) append_arg(argv, element);
  } else {
    static_assert(arg_range<T>,
                  "shpp::cmd: an argument must be string-like, a path, a number or a range of those");
  }
}

}  // namespace shpp::detail

namespace shpp {

/// A file or directory name given to a redirection, .cwd() or .in(): a string
/// or a std::filesystem::path.
class path_arg {
 public:
  path_arg(const char* p) : value_(p) {}
  path_arg(std::string p) : value_(std::move(p)) {}
  path_arg(std::string_view p) : value_(p) {}
  template <detail::path_like P>
  path_arg(const P& p) : value_(std::string_view(p.native())) {}

  const std::string& str() const noexcept { return value_; }

 private:
  std::string value_;
};

}  // namespace shpp
