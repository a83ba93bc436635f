// The glob pattern language for one file name: `*`, `?`, `[...]` and `\`
// escapes, matched byte by byte as Bash does under LC_ALL=C.
#pragma once

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shpp::detail {

/// One path component of a glob pattern ("*.cpp", "a\*b"), compiled once to
/// match many directory entries. No '/' inside: the caller splits paths.
class name_pattern {
 public:
  explicit name_pattern(std::string_view pattern);

  /// Whether `name` matches. A wildcard never matches "." or "..", nor a
  /// leading '.' unless the pattern starts with a literal '.' (Bash without dotglob).
  bool matches(std::string_view name) const noexcept;
  /// False for "a\*b": then it names one file, literal().
  bool has_wildcard() const noexcept { return has_wildcard_; }
  /// The text with escapes removed; the file name when !has_wildcard().
  const std::string& literal() const noexcept { return literal_; }

 private:
  struct token {
    enum class kind : std::uint8_t { byte, any, star, set } what;
    unsigned char byte;     // kind::byte
    std::uint16_t set = 0;  // kind::set: index into sets_
  };
  bool matches_token(const token& t, unsigned char c) const noexcept;

  std::vector<token> tokens_;
  std::vector<std::bitset<256>> sets_;
  std::string literal_;
  bool has_wildcard_ = false;
};

/// Whether `pattern` has an unescaped `*`, `?` or a complete `[...]`.
bool has_glob(std::string_view pattern);

/// `text` as a pattern that matches only itself: `*`, `?`, `[`, `]` and `\` escaped.
std::string escape_glob(std::string_view text);

/// `pattern` with its escaping backslashes removed: the name a literal pattern means.
std::string unescape_glob(std::string_view pattern);

}  // namespace shpp::detail
