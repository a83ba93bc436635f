// libFuzzer: the command-literal grammar never crashes, never loops, and
// what it accepts prints back (to_string) as a literal that builds the same
// command: render(parse(render(parse(x)))) == render(parse(x)).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <shpp/error.hpp>
#include <shpp/sh.hpp>

namespace {

// The grammar alone, instrumented here: the sink that sh()'s compile-time check uses.
bool accepted(std::string_view text, std::size_t& placeholders) {
  shpp::detail::literal::check_sink sink;
  shpp::detail::literal::parser<shpp::detail::literal::check_sink> p(text, sink);
  try {
    p.parse();
  } catch (const shpp::usage_error&) {
    return false;
  }
  placeholders = p.placeholders();
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (text.find('\0') != std::string::npos) return 0;  // a C++ string literal holds no NUL
  std::size_t count = 0;
  if (!accepted(text, count)) return 0;
  std::vector<std::vector<std::string>> args(count, std::vector<std::string>{"v w"});
  std::string first;
  try {
    first = shpp::detail::build_literal(text, args).to_string();
  } catch (const shpp::usage_error&) {
    return 0;  // accepted by the grammar, refused when built (e.g. ~ without $HOME)
  }
  // Input from memory over 64 bytes prints cut short, on purpose (a message, not a copy of the data).
  if (first.find("bytes from memory") != std::string::npos) return 0;
  std::size_t again_count = 0;
  if (!accepted(first, again_count)) return 0;  // printed with a form literals do not take (rare: `export`)
  if (again_count != 0) std::abort();           // a placeholder's value must print quoted
  const std::string second = shpp::detail::build_literal(first, {}).to_string();
  if (second != first) std::abort();
  return 0;
}
