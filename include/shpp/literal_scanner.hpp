// The characters of a command literal (shpp/literal_grammar.hpp): where
// words end, blanks, comments and line continuations, the words that are
// refused (control flow, builtins that change the shell), and how a syntax
// error is reported (a compile error while sh()'s check runs, else an
// exception). The parser above it knows the sink; this part does not.
#pragma once

#include <cstddef>
#include <string_view>
#include <type_traits>  // std::is_constant_evaluated

namespace shpp::detail {

/// Never defined: a literal that breaks the grammar calls it while sh()'s
/// check runs at compile time, and the compiler shows the message it got.
void sh_literal_error(const char* why);
/// At run time (the builder, the fuzzer): throws shpp::usage_error.
[[noreturn]] void throw_literal_error(std::string_view text, std::size_t at, const char* why);

namespace literal {

class scanner {
 protected:
  constexpr explicit scanner(std::string_view text) : s_(text) {}

  static constexpr bool blank(char c) { return c == ' ' || c == '\t'; }
  // Characters that end an unquoted word, as in Bash.
  static constexpr bool boundary(char c) {
    return blank(c) || c == '\n' || c == '|' || c == '&' || c == ';' || c == '<' || c == '>' || c == '(' || c == ')';
  }
  static constexpr bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
  static constexpr bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

  constexpr char peek(std::size_t ahead = 0) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }
  constexpr bool at_end() const { return pos_ >= s_.size(); }
  constexpr bool at_boundary() const { return at_end() || boundary(peek()); }
  constexpr bool next_is(std::string_view t) const { return s_.substr(pos_, t.size()) == t; }
  constexpr bool take(std::string_view t) {
    if (!next_is(t)) return false;
    pos_ += t.size();
    return true;
  }

  // A template only so that a constexpr function that never yields a
  // constant (on purpose: that is the compile error) is allowed.
  template <class = void>
  constexpr void fail(const char* why) {
    if (std::is_constant_evaluated())
      sh_literal_error(why);
    else
      throw_literal_error(s_, pos_, why);
  }

  constexpr void skip_blanks() {
    while (!at_end()) {
      if (blank(peek())) {
        ++pos_;
      } else if (peek() == '\\' && peek(1) == '\n') {
        pos_ += 2;  // a line continuation
      } else {
        break;
      }
    }
  }
  // Blanks, newlines and comments: where a command may follow.
  constexpr void skip_space() {
    for (;;) {
      skip_blanks();
      if (peek() == '\n') {
        ++pos_;
      } else if (peek() == '#') {
        while (!at_end() && peek() != '\n') ++pos_;
      } else {
        return;
      }
    }
  }
  // The end of a list: of the text, or of the group or substitution around it.
  constexpr bool at_list_end(char closer) const {
    if (at_end()) return true;
    if (closer == ')' && peek() == ')') return true;
    return closer == '}' && peek() == '}' && peek(1) != '}';
  }
  constexpr bool at_command_end() const {
    if (at_end()) return true;
    const char c = peek();
    return c == ';' || c == '\n' || c == '|' || (c == '&' && peek(1) != '>') || c == ')';
  }
  constexpr void need_command(const char* why) {
    skip_space();
    if (at_end() || peek() == ';' || peek() == '|' || peek() == '&' || peek() == ')') fail(why);
  }

  constexpr void refuse_keyword() {
    std::size_t n = 0;
    while (pos_ + n < s_.size() && !boundary(s_[pos_ + n])) ++n;
    const std::string_view w = s_.substr(pos_, n);
    constexpr std::string_view control[] = {"if", "then", "else", "elif", "fi", "for", "while", "until", "do",
                                            "done", "case", "esac", "function", "select", "[[", "]]", "time", "coproc"};
    for (auto k : control)
      if (w == k) fail("if, for, while, case, [[ and the like are not supported: write the control flow in C++");
    if (w == "cd" || w == "pushd" || w == "popd") fail("`cd` changes the shell's directory: use .cwd(dir) on the command");
    constexpr std::string_view builtins[] = {"export", "unset", "set", "source", ".", "eval", "exec", "read",
                                             "alias", "shopt", "local", "declare", "typeset", "let", "trap",
                                             "exit", "return", "wait", "ulimit", "umask", "jobs", "fg", "bg"};
    for (auto k : builtins)
      if (w == k) fail("a shell builtin that changes the shell's state is not supported: use C++ or .env()");
  }

  // NAME= at the start of a word before the program: an environment setting.
  constexpr std::size_t assignment_name_length() const {
    if (!name_start(peek())) return 0;
    std::size_t n = 1;
    while (name_char(peek(n))) ++n;
    return peek(n) == '=' ? n : 0;
  }

  constexpr bool at_boundary_after(std::size_t ahead) const {
    return pos_ + ahead >= s_.size() || boundary(s_[pos_ + ahead]);
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace literal
}  // namespace shpp::detail
