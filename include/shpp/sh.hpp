// Command literals: `sh("sort a b | uniq -u > c")` reads as Bash and builds
// the same command tree the fluent API builds; no shell ever runs. The
// literal is checked at compile time (as fmt checks format strings): a
// syntax error, a refused Bash feature or a placeholder count that does not
// match the arguments is a compile error at the call.
#pragma once

#include <concepts>     // std::convertible_to
#include "shpp/source_location.hpp"  // run()'s errors name the caller's line
#include <string>
#include <string_view>
#include <type_traits>  // std::type_identity_t
#include <vector>

#include "shpp/command.hpp"
#include "shpp/literal_grammar.hpp"

namespace shpp {
namespace detail {

/// Builds the tree of a literal already checked at compile time; args[i] is
/// what the i-th {} stands for (one argv entry each; a range gives several).
command build_literal(std::string_view text, std::vector<std::vector<std::string>> args);

template <class T>
std::vector<std::string> literal_arg(const T& arg) {
  std::vector<std::string> words;
  append_arg(words, arg);
  return words;
}

}  // namespace detail

/// The literal of sh() and run(): a string constant checked at compile time
/// against the arguments that follow it.
template <class... Args>
class basic_sh_literal {
 public:
  template <class S>
    requires std::convertible_to<const S&, std::string_view>
  consteval basic_sh_literal(const S& text, shpp::source_location where = shpp::source_location::current())
      : text_(text), where_(where) {
    using namespace detail::literal;
    check_sink sink;
    parser<check_sink> p(text_, sink);
    p.parse();
    if (p.placeholders() > sizeof...(Args))
      detail::sh_literal_error(
          "sh(): more {} placeholders than arguments (a literal brace is {{ or }}, or quote it: find's '{}')");
    if (p.placeholders() < sizeof...(Args)) detail::sh_literal_error("sh(): more arguments than {} placeholders");
    constexpr bool is_range[] = {(detail::arg_range<Args> || detail::single_pass_range<Args>)..., false};
    for (std::size_t i = 0; i < sizeof...(Args) && i < check_sink::max_placeholders; ++i)
      if (is_range[i] && sink.in_word[i])
        detail::sh_literal_error("sh(): a range cannot be part of a longer word: give it a {} of its own");
  }

  constexpr std::string_view text() const { return text_; }
  /// Where the literal is written: run() names it in errors.
  constexpr shpp::source_location where() const { return where_; }

 private:
  std::string_view text_;
  shpp::source_location where_;
};

template <class... Args>
using sh_literal = basic_sh_literal<std::type_identity_t<Args>...>;

/// A command from a literal in Bash's syntax: words, quotes, `|`, `;`, `&&`,
/// `||`, `!`, `( )`, `{ ; }`, redirections (`<`, `>`, `>>`, `2>`, `&>`,
/// `2>&1`, `>&2`, `<<<`), `NAME=value` prefixes, `$(...)`, `<(...)`,
/// `>(...)`, globs and `~`. Each `{}` is one argument, never split or
/// globbed (a range splats): `sh("git log -n {} -- {}", n, files)`.
/// Statuses follow Bash under `set -e -o pipefail`.
template <class... Args>
[[nodiscard]] command sh(sh_literal<Args...> literal, const Args&... args) {
  std::vector<std::vector<std::string>> values;
  values.reserve(sizeof...(Args));
  (values.push_back(detail::literal_arg(args)), ...);
  return detail::build_literal(literal.text(), std::move(values));
}

/// `run("sort a b b | uniq -u > c")` is `sh(...).run()`.
template <class... Args>
result run(sh_literal<Args...> literal, const Args&... args) {
  return sh(literal, args...).run(literal.where());
}

}  // namespace shpp
