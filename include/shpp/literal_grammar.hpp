// The grammar of command literals (`sh("sort a b | uniq -u > c")`): Bash's
// way of composing commands, without its expansions. One parser serves two
// sinks: at compile time one that only counts placeholders (sh()'s check, so
// that a syntax error is a compile error at the call), at run time the
// builder in src/ that makes the same command tree the fluent API makes.
//
//   list      := and_or ((';' | newline) and_or)* [';']
//   and_or    := pipeline (('&&' | '||') pipeline)*
//   pipeline  := ['!'] command ('|' command)*
//   command   := simple | '(' list ')' redirect* | '{' list ';' '}' redirect*
//   simple    := (NAME=word)* word (word | redirect)*
//   redirect  := [0-2]? ('<' | '>' | '>>') word | '&>' word | '&>>' word | '<<<' word | [12]? '>&' [12]
//   word      := parts: text, '...', "...", \c, {}, {{, }}, ~ (leading), $(list), "$(list)", <(list), >(list)
#pragma once

#include <cstddef>
#include <string_view>

#include "shpp/literal_scanner.hpp"

namespace shpp::detail {
namespace literal {

enum class list_op { then, and_then, or_else };
enum class redirect_op { in, out, append, both, both_append, dup, here_string };
enum class sub_kind { lines_of, output_of, input_process, output_process };  // $(..), "$(..)", <(..), >(..)

struct redirection {
  redirect_op op;
  int fd;      // 0, 1 or 2 (both: 1)
  int to = 0;  // dup: the fd it copies
};

template <class Sink>
class parser : scanner {
 public:
  using value = typename Sink::value;
  using word = typename Sink::word;
  using simple = typename Sink::simple;

  constexpr parser(std::string_view text, Sink& sink) : scanner(text), sink_(sink) {}

  constexpr value parse() {
    value v = list(0);
    if (pos_ < s_.size()) {
      if (peek() == ')') fail("a `)` without its `(`");
      fail("a `}` without its `{`; write }} for a literal brace");
    }
    return v;
  }
  constexpr std::size_t placeholders() const { return placeholders_; }

 private:
  struct word_facts {
    std::size_t parts = 0;
    bool substitution = false;
    bool lone_part = false;  // an unquoted $(...) or a process substitution: must be the whole word
    std::size_t own_placeholders[16] = {};
    std::size_t placeholder_count = 0;
  };


  constexpr value list(char closer) {
    skip_space();
    if (at_list_end(closer)) fail("an empty command: write a command here");
    value v = and_or();
    for (;;) {
      skip_blanks();
      if (peek() == ';' && peek(1) == ';') fail("`;;` is not supported (it belongs to `case`)");
      if (peek() == ';' || peek() == '\n') {
        ++pos_;
      } else if (peek() == '#') {
        skip_space();
        continue;
      } else {
        break;
      }
      skip_space();
      if (at_list_end(closer)) break;
      value right = and_or();
      v = sink_.list(list_op::then, static_cast<value&&>(v), static_cast<value&&>(right));
    }
    return v;
  }

  constexpr value and_or() {
    value v = pipeline();
    for (;;) {
      skip_blanks();
      list_op op = list_op::then;
      if (take("&&")) {
        op = list_op::and_then;
      } else if (take("||")) {
        op = list_op::or_else;
      } else {
        if (peek() == '&') fail("`&` (a background job) is not supported: use .spawn(), which returns a job");
        return v;
      }
      need_command(op == list_op::and_then ? "`&&` needs a command after it" : "`||` needs a command after it");
      value right = pipeline();
      v = sink_.list(op, static_cast<value&&>(v), static_cast<value&&>(right));
    }
  }

  constexpr value pipeline() {
    skip_blanks();
    bool negate = false;
    if (peek() == '!' && (blank(peek(1)) || peek(1) == '\0')) {
      ++pos_;
      negate = true;
      need_command("`!` needs a command after it");
    }
    value v = command();
    for (;;) {
      skip_blanks();
      if (peek() != '|' || peek(1) == '|') break;
      ++pos_;
      if (peek() == '&') fail("`|&` is not supported: write `2>&1 |`");
      need_command("`|` needs a command after it");
      value right = command();
      v = sink_.pipe(static_cast<value&&>(v), static_cast<value&&>(right));
    }
    return negate ? sink_.negate(static_cast<value&&>(v)) : v;
  }

  constexpr value command() {
    skip_blanks();
    if (peek() == '(') {
      if (peek(1) == '(') fail("`((...))` arithmetic is not supported: compute it in C++ and pass it through {}");
      ++pos_;
      value inner = list(')');
      if (!take(")")) fail("a `(` without its `)`");
      return redirections_after(sink_.group(static_cast<value&&>(inner)));
    }
    if (peek() == '{' && (blank(peek(1)) || peek(1) == '\n')) {
      ++pos_;
      value inner = list('}');
      if (!take("}")) fail("a `{` group needs `; }` to end it");
      if (!at_boundary()) fail("a group's `}` must stand alone");
      return redirections_after(sink_.group(static_cast<value&&>(inner)));
    }
    return simple_command();
  }

  constexpr value redirections_after(value v) {
    for (;;) {
      skip_blanks();
      if (!redirect_ahead()) break;
      redirection r = redirect_operator();
      if (r.op == redirect_op::dup) {
        v = sink_.redirect(static_cast<value&&>(v), r, sink_.new_word());
      } else {
        word target = redirect_target();
        v = sink_.redirect(static_cast<value&&>(v), r, static_cast<word&&>(target));
      }
    }
    if (!at_command_end() && !(peek() == '}')) fail("a group takes no arguments: put them on the commands inside it");
    return v;
  }

  constexpr bool redirect_ahead() const {
    std::size_t i = 0;
    if (peek() >= '0' && peek() <= '9') i = 1;
    const char c = peek(i);
    if (i == 0 && (c == '<' || c == '>') && peek(1) == '(') return false;  // a process substitution
    if (c == '<' || c == '>') return true;
    return i == 0 && c == '&' && peek(1) == '>';
  }

  // The operator of a redirection (its target word follows).
  constexpr redirection redirect_operator() {
    int fd = -1;
    if (peek() >= '0' && peek() <= '9') {
      fd = peek() - '0';
      if (fd > 2) fail("only fds 0, 1 and 2 can be redirected");
      ++pos_;
    }
    if (fd < 0 && take("&>>")) return {redirect_op::both_append, 1};
    if (fd < 0 && take("&>")) return {redirect_op::both, 1};
    if (take("<<<")) {
      if (fd > 0) fail("a here-string feeds stdin (fd 0)");
      return {redirect_op::here_string, 0};
    }
    if (next_is("<<")) fail("here-documents are not supported: use <<< or .input()");
    if (next_is("<>")) fail("`<>` is not supported");
    if (next_is("<&")) fail("`<&` is not supported");
    if (take(">&")) {
      if (fd == 0) fail("`0>&` is not supported: only stdout and stderr copy each other (`2>&1`, `>&2`)");
      const char to = peek();
      if (to != '1' && to != '2') fail("`>&` copies fd 1 or 2 (`2>&1`, `>&2`); for a file, write &> file");
      ++pos_;
      if (!at_boundary()) fail("`>&` copies fd 1 or 2 (`2>&1`, `>&2`)");
      return {redirect_op::dup, fd < 0 ? 1 : fd, to - '0'};
    }
    if (take(">>")) return {redirect_op::append, fd < 0 ? 1 : fd};
    if (take(">|") || take(">")) {
      if (fd == 0) fail("fd 0 is for reading: write 0< or <");
      return {redirect_op::out, fd < 0 ? 1 : fd};
    }
    take("<");
    if (fd > 0) fail("only stdin (fd 0) reads from a file");
    return {redirect_op::in, 0};
  }

  constexpr word redirect_target() {
    skip_blanks();
    if (at_boundary()) fail("a redirection needs a file name after it");
    word_facts facts;
    word w = parse_word(facts);
    if (facts.substitution) fail("a redirection's file name cannot be a substitution: pass the name through {}");
    return w;
  }



  constexpr value simple_command() {
    simple c = sink_.new_simple();
    bool program = false;
    for (;;) {
      skip_blanks();
      if (at_command_end()) break;
      if (peek() == '#') {
        while (!at_end() && peek() != '\n') ++pos_;
        continue;
      }
      if (peek() == '(') fail("a `(` here is not supported: a subshell starts a command");
      if (redirect_ahead()) {
        redirection r = redirect_operator();
        if (r.op == redirect_op::dup) {
          sink_.redirect(c, r, sink_.new_word());
        } else {
          word target = redirect_target();
          sink_.redirect(c, r, static_cast<word&&>(target));
        }
        continue;
      }
      if (!program) {
        if (const std::size_t n = assignment_name_length()) {
          const std::string_view name = s_.substr(pos_, n);
          pos_ += n + 1;
          word_facts facts;
          word value_word = at_boundary() ? sink_.new_word() : parse_word(facts);
          if (facts.substitution) fail("a NAME=value setting cannot hold a substitution: pass the value through {}");
          sink_.assign(c, name, static_cast<word&&>(value_word));
          continue;
        }
        refuse_keyword();
      }
      word_facts facts;
      word w = parse_word(facts);
      sink_.add_word(c, static_cast<word&&>(w));
      program = true;
    }
    if (!program) fail("a command needs a program name");
    return sink_.finish(c);
  }

  constexpr void placeholder(word& w, word_facts& f) {
    if (f.placeholder_count == 16) fail("more than 16 placeholders in one word");
    f.own_placeholders[f.placeholder_count++] = placeholders_;
    sink_.placeholder(w, placeholders_++);
    ++f.parts;
  }

  constexpr void text(word& w, word_facts& f, std::string_view t, bool quoted) {
    sink_.text(w, t, quoted);
    ++f.parts;
  }

  constexpr void substitution(word& w, word_facts& f, sub_kind kind) {
    value inner = list(')');
    if (!take(")")) fail("a `$(`, `<(` or `>(` without its `)`");
    sink_.substitution(w, kind, static_cast<value&&>(inner));
    f.substitution = true;
    ++f.parts;
  }

  // `{}`, `{{`, `}}`; any other brace is refused (no brace expansion).
  constexpr void brace(word& w, word_facts& f, bool quoted) {
    if (take("{}")) return placeholder(w, f);
    if (take("{{")) return text(w, f, "{", true);
    if (take("}}")) return text(w, f, "}", true);
    if (peek() == '{')
      fail("brace expansion is not supported: write the words out or pass a range through {}; "
           "a literal { is {{");
    fail(quoted ? "a lone } : write }} for a literal brace"
                : "a lone } : write }} for a literal brace, and end a group with `; }`");
  }

  constexpr void dollar(word& w, word_facts& f, bool quoted) {
    const char next = peek(1);
    if (next == '(') {
      if (peek(2) == '(') fail("`$((...))` arithmetic is not supported: compute it in C++ and pass it through {}");
      pos_ += 2;
      substitution(w, f, quoted ? sub_kind::output_of : sub_kind::lines_of);
      if (!quoted) f.lone_part = true;
      return;
    }
    if (next == '{') fail("`${...}` is not supported: pass values through {} placeholders (never split or globbed)");
    if (name_char(next) || next == '@' || next == '*' || next == '#' || next == '?' || next == '$' || next == '!' ||
        next == '-')
      fail("`$var` is not supported: pass the value through a {} placeholder (it is never split or globbed)");
    if (next == '\'' || next == '"') fail("`$'...'` and `$\"...\"` quoting are not supported: use '...' or \"...\"");
    ++pos_;
    text(w, f, "$", quoted);  // a lone `$` is itself, as in Bash
  }

  constexpr void double_quoted(word& w, word_facts& f) {
    ++pos_;  // the opening quote
    bool any = false;
    for (;;) {
      if (at_end()) fail("an unclosed double quote: a \" without its closing one");
      const char c = peek();
      if (c == '"') {
        ++pos_;
        break;
      }
      any = true;
      if (c == '\\') {
        const char next = peek(1);
        if (next == '\n') {
          pos_ += 2;
        } else if (next == '"' || next == '\\' || next == '$' || next == '`') {
          text(w, f, s_.substr(pos_ + 1, 1), true);
          pos_ += 2;
        } else {
          text(w, f, "\\", true);
          ++pos_;
        }
      } else if (c == '$') {
        dollar(w, f, true);
      } else if (c == '`') {
        fail("backquotes are not supported: use $(...)");
      } else if (c == '{' || c == '}') {
        brace(w, f, true);
      } else {
        std::size_t n = 0;
        while (pos_ + n < s_.size()) {
          const char d = s_[pos_ + n];
          if (d == '"' || d == '\\' || d == '$' || d == '`' || d == '{' || d == '}') break;
          ++n;
        }
        text(w, f, s_.substr(pos_, n), true);
        pos_ += n;
      }
    }
    if (!any) text(w, f, "", true);  // "" is an empty argument
  }

  constexpr word parse_word(word_facts& f) {
    word w = sink_.new_word();
    // A process substitution, as in Bash, at the start of a word.
    if ((peek() == '<' || peek() == '>') && peek(1) == '(') {
      const sub_kind kind = peek() == '<' ? sub_kind::input_process : sub_kind::output_process;
      pos_ += 2;
      substitution(w, f, kind);
      f.lone_part = true;
    } else if (peek() == '~' && (peek(1) == '/' || at_boundary_after(1))) {
      ++pos_;
      sink_.home(w);
      ++f.parts;
    }
    while (!at_boundary()) {
      const char c = peek();
      if (c == '\'') {
        std::size_t close = s_.find('\'', pos_ + 1);
        if (close == std::string_view::npos) fail("an unclosed single quote: a ' without its closing one");
        text(w, f, s_.substr(pos_ + 1, close - pos_ - 1), true);
        pos_ = close + 1;
      } else if (c == '"') {
        double_quoted(w, f);
      } else if (c == '\\') {
        if (pos_ + 1 >= s_.size()) fail("a `\\` at the end of the literal escapes nothing");
        if (peek(1) == '\n') break;  // a line continuation ends the word
        text(w, f, s_.substr(pos_ + 1, 1), true);
        pos_ += 2;
      } else if (c == '$') {
        dollar(w, f, false);
      } else if (c == '`') {
        fail("backquotes are not supported: use $(...)");
      } else if (c == '{' || c == '}') {
        brace(w, f, false);
      } else {
        std::size_t n = 0;
        while (pos_ + n < s_.size()) {
          const char d = s_[pos_ + n];
          if (boundary(d) || d == '\'' || d == '"' || d == '\\' || d == '$' || d == '`' || d == '{' || d == '}') break;
          ++n;
        }
        text(w, f, s_.substr(pos_, n), false);
        pos_ += n;
      }
    }
    if (f.lone_part && f.parts > 1)
      fail("an unquoted $(...), <(...) or >(...) must be a word of its own; quote it, \"$(...)\", to make it part of one");
    if (f.parts > 1)
      for (std::size_t i = 0; i < f.placeholder_count; ++i) sink_.placeholder_in_word(f.own_placeholders[i]);
    return w;
  }


  Sink& sink_;
  std::size_t placeholders_ = 0;
};

/// The sink of sh()'s compile-time check: it builds nothing and remembers
/// which placeholders stand inside a longer word (a range cannot).
struct check_sink {
  struct value {};
  struct word {};
  struct simple {};
  static constexpr std::size_t max_placeholders = 64;
  bool in_word[max_placeholders] = {};

  constexpr value list(list_op, value, value) { return {}; }
  constexpr value pipe(value, value) { return {}; }
  constexpr value negate(value) { return {}; }
  constexpr value group(value) { return {}; }
  constexpr value redirect(value, redirection, word) { return {}; }
  constexpr void redirect(simple&, redirection, word) {}
  constexpr simple new_simple() { return {}; }
  constexpr word new_word() { return {}; }
  constexpr void assign(simple&, std::string_view, word) {}
  constexpr void add_word(simple&, word) {}
  constexpr value finish(simple&) { return {}; }
  constexpr void text(word&, std::string_view, bool) {}
  constexpr void home(word&) {}
  constexpr void placeholder(word&, std::size_t) {}
  constexpr void placeholder_in_word(std::size_t i) {
    if (i < max_placeholders) in_word[i] = true;
  }
  constexpr void substitution(word&, sub_kind, value) {}
};

}  // namespace literal
}  // namespace shpp::detail
