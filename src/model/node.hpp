// The private, immutable tree behind shpp::command (after duct's Expression):
// a command is an argv, a pipe of two commands, or a modifier around one.
// A future function stage or remote command is one more alternative here.
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
#include "shpp/io.hpp"

namespace shpp::detail {

struct node;
using node_ptr = handle<const node>;

struct inherit_t {};

struct argv_node {
  std::vector<std::string> argv;
};
struct pipe_node {
  node_ptr left;
  node_ptr right;
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

using modifier = std::variant<stdin_op, stdout_op, stderr_op, cwd_op, env_set_op, env_remove_op, env_clear_op,
                              timeout_op, unchecked_op, ok_codes_op>;

struct modifier_node {
  modifier op;
  node_ptr inner;
};

using node_kind = std::variant<argv_node, pipe_node, modifier_node>;

struct node final : counted {
  explicit node(node_kind k) : kind(std::move(k)) {}
  node_kind kind;
};

inline node_ptr make_node(node_kind kind) { return node_ptr(new node(std::move(kind))); }

}  // namespace shpp::detail
