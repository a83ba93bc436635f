// The private, immutable tree behind shpp::command (after duct's Expression):
// a command is an argv, a pipe of two commands, a list (`a ; b`, `a && b`,
// `a || b`), a negation (`! a`), a group (`{ a; }`), or a modifier around one.
// A function on a thread (shpp/function_stage.hpp) is one more alternative;
// a future remote command would be another.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "model/counted.hpp"
#include "shpp/handle.hpp"
#include "shpp/host.hpp"
#include "shpp/io.hpp"

namespace shpp::detail {

struct node;
using node_ptr = handle<const node>;

struct inherit_t {};

/// A piece of a literal's word known only when the command runs.
struct word_part {
  enum class kind {
    text,            // literal text
    home,            // `~` at the start of the word: $HOME where the command runs
    pattern,         // glob text: unquoted `*`, `?`, `[...]`; quoted characters escaped with `\`
    lines_of,        // $(...): one argument per output line
    output_of,       // "$(...)": the output, trailing newlines cut
    input_process,   // <(...): a /dev/fd path to read its output from
    output_process,  // >(...): a /dev/fd path to write its input to
  };
  kind what;
  std::string text;
  node_ptr sub;  // the substituted command
};
/// A word of a literal that expands when the command runs (0 or more arguments).
struct late_word {
  std::size_t at;  // the argv entry it replaces
  std::vector<word_part> parts;
  bool is_pattern() const {
    for (const auto& p : parts)
      if (p.what == word_part::kind::pattern) return true;
    return false;
  }
};

struct argv_node {
  std::vector<std::string> argv;  // a late word's entry holds it as written, for messages
  std::vector<late_word> late;    // in argv order
};
struct pipe_node {
  node_ptr left;
  node_ptr right;
};

/// `left ; right` (under set -e), `left && right`, `left || right`.
struct list_node {
  enum class op { then, and_then, or_else };
  op kind;
  node_ptr left;
  node_ptr right;
};
/// `! inner`: inverts the status (0 becomes 1, anything else 0).
struct not_node {
  node_ptr inner;
};
/// `{ inner; }`: a boundary. Redirections outside it are opened once and
/// shared by everything inside (one stdin read in turn, one stdout), and are
/// in force before any written inside it (Bash's left-to-right order).
struct group_node {
  node_ptr inner;
  bool written = true;  // false: only there to run a literal's $(...) first, and printed without braces
};

struct stdin_file {
  std::filesystem::path path;
};
struct stdin_memory {
  std::shared_ptr<const std::string> data;
};
using stdin_source = std::variant<inherit_t, null_t, stdin_file, stdin_memory>;

struct stdin_op {
  stdin_source source;
};
struct stdout_op {
  output target;
};
struct stderr_op {
  output target;
};
struct cwd_op {
  std::filesystem::path dir;
};
struct env_set_op {
  std::string key;
  std::string value;
};
struct env_remove_op {
  std::string key;
};
struct env_clear_op {};
struct timeout_op {
  std::chrono::nanoseconds limit;
};
struct unchecked_op {};
struct ok_codes_op {
  std::vector<int> codes;
};
/// `.on(host)`: what is inside runs on `where`; modifiers outside it stay local.
struct on_op {
  host where;
};

using modifier = std::variant<stdin_op, stdout_op, stderr_op, cwd_op, env_set_op, env_remove_op, env_clear_op,
                              timeout_op, unchecked_op, ok_codes_op, on_op>;

struct modifier_node {
  modifier op;
  node_ptr inner;
};

struct function_body;  // model/function_body.hpp
/// A function stage: the user's callable, run on a thread of its own.
struct function_node {
  handle<const function_body> body;
  std::string shown;  // how errors show it: `filter(...)`, or the name given with .named()
};

using node_kind = std::variant<argv_node, pipe_node, list_node, not_node, group_node, modifier_node, function_node>;

struct node final : counted {
  explicit node(node_kind k) : kind(std::move(k)) {}
  node_kind kind;
};

inline node_ptr make_node(node_kind kind) { return node_ptr(new node(std::move(kind))); }
/// One more owner of a node reached through a reference.
inline node_ptr share(const node& n) {
  retain(&n);
  return node_ptr(&n);
}

}  // namespace shpp::detail
