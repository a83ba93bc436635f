// The library's way into a command's private tree, and back: the public
// header names only this friend, never the tree.
#pragma once

#include <utility>

#include "model/node.hpp"
#include "shpp/command.hpp"

namespace shpp::detail {

struct command_access {
  static const node_ptr& node(const command& c) noexcept { return c.node_; }
  static command from_node(node_ptr n) { return command(std::move(n)); }
};

}  // namespace shpp::detail
