// Printing commands as Bash would read them.
#pragma once

#include <string>
#include <vector>

#include "model/node.hpp"

namespace shpp::detail {

/// `g++ 'my file.cpp' -o x`
std::string render_argv(const std::vector<std::string>& argv);
/// The whole tree: pipes, redirections, `cd dir &&`, `env K=V`.
std::string render(const node& n);

}  // namespace shpp::detail
