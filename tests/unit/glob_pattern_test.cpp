// The glob pattern language for one name, as data: no file is looked at.
#include "model/glob_pattern.hpp"

#include <catch2/catch.hpp>

using shpp::detail::has_glob;
using shpp::detail::name_pattern;
using shpp::detail::unescape_glob;

namespace {
bool match(std::string_view pattern, std::string_view name) { return name_pattern(pattern).matches(name); }
}  // namespace

TEST_CASE("star and question mark match any run and any one byte", "[glob]") {
  CHECK(match("*", "anything"));
  CHECK(match("*.cpp", "main.cpp"));
  CHECK_FALSE(match("*.cpp", "main.hpp"));
  CHECK(match("a*b*c", "abc"));
  CHECK(match("a*b*c", "a-b-b-c"));
  CHECK_FALSE(match("a*b*c", "a-b-b-"));
  CHECK(match("??", "ab"));
  CHECK_FALSE(match("??", "abc"));
  CHECK(match("*a*a*a*a*b", std::string(40, 'a') + "b"));
  CHECK_FALSE(match("*a*a*a*a*b", std::string(40, 'a')));
}

TEST_CASE("bracket expressions take ranges, negation and a leading ]", "[glob]") {
  CHECK(match("[abc]", "b"));
  CHECK_FALSE(match("[abc]", "d"));
  CHECK(match("x[0-9]", "x7"));
  CHECK_FALSE(match("x[0-9]", "xa"));
  CHECK(match("[!0-9]*", "a1"));
  CHECK_FALSE(match("[!0-9]*", "1a"));
  CHECK(match("[^0-9]", "z"));
  CHECK(match("[]x]", "]"));
  CHECK(match("[!]x]", "y"));
  CHECK_FALSE(match("[!]x]", "]"));
  CHECK(match("[a-]", "-"));  // a '-' before the ']' is a member
  CHECK_FALSE(match("[z-a]", "m"));
}

TEST_CASE("POSIX classes are those of the C locale", "[glob]") {
  CHECK(match("[[:alpha:]]*", "Zed"));
  CHECK_FALSE(match("[[:alpha:]]*", "1x"));
  CHECK(match("[[:digit:][:upper:]]", "7"));
  CHECK(match("[[:digit:][:upper:]]", "Q"));
  CHECK_FALSE(match("[[:digit:][:upper:]]", "q"));
  CHECK(match("[[:space:]]", "\t"));
  CHECK(match("[[:punct:]]", "-"));
  CHECK_FALSE(match("[[:alpha:]]", "\xc3"));  // no byte above 127 is a letter, whatever setlocale says
  CHECK_FALSE(match("[[:nosuch:]]", "a"));
}

TEST_CASE("an unclosed [ is an ordinary character", "[glob]") {
  CHECK(match("[a", "[a"));
  CHECK(match("*[", "x["));
  CHECK_FALSE(has_glob("x["));
  CHECK_FALSE(has_glob("[a/b]"));  // a bracket never spans a '/'
}

TEST_CASE("a backslash makes the next character literal", "[glob]") {
  CHECK(match("a\\*b", "a*b"));
  CHECK_FALSE(match("a\\*b", "axb"));
  CHECK_FALSE(name_pattern("a\\*b").has_wildcard());
  CHECK(name_pattern("a\\*b").literal() == "a*b");
  CHECK(match("\\[x]", "[x]"));
  CHECK(match("[\\]]", "]"));
  CHECK(match("*\\?", "why?"));
  CHECK_FALSE(match("*\\?", "why!"));
  CHECK(unescape_glob("a\\*b\\\\c\\") == "a*b\\c\\");
}

TEST_CASE("has_glob sees only unescaped wildcards", "[glob]") {
  CHECK(has_glob("src/*.cpp"));
  CHECK(has_glob("a?"));
  CHECK(has_glob("[ab]"));
  CHECK(has_glob("**"));
  CHECK_FALSE(has_glob("src/main.cpp"));
  CHECK_FALSE(has_glob("a\\*b"));
  CHECK_FALSE(has_glob("\\[ab]"));
  CHECK_FALSE(has_glob(""));
}

TEST_CASE("a leading dot matches only a literal dot, and never . or ..", "[glob]") {
  CHECK_FALSE(match("*", ".hidden"));
  CHECK_FALSE(match("?hidden", ".hidden"));
  CHECK_FALSE(match("[.]hidden", ".hidden"));
  CHECK(match(".*", ".hidden"));
  CHECK(match("\\.h*", ".hidden"));
  CHECK_FALSE(match(".*", "."));
  CHECK_FALSE(match(".*", ".."));
  CHECK_FALSE(match(".?", ".."));
  CHECK(match("x.*", "x.y"));
}

TEST_CASE("matching is byte-wise", "[glob]") {
  CHECK(match("?", "\xff"));
  CHECK(match("[\x80-\xff]", "\xe9"));
  CHECK_FALSE(match("[a-z]", "A"));
  CHECK(match("caf*", "caf\xc3\xa9"));
}
