// Printing commands as Bash would read them.
#pragma once

#include <string>
#include <vector>

#include "model/node.hpp"

namespace shpp::detail {

/// `g++ 'my file.cpp' -o x`
std::string render_argv(const std::vector<std::string>& argv);
/// A literal's command with its late words as written (`grep x notes/*`, `comm <(sort a) b`).
std::string render_words(const argv_node& a);
/// One late word as written, which a POSIX shell reads the same way (`~/logs/*.log`).
std::string render_word(const late_word& w);
/// The whole tree: pipes, redirections, `cd dir &&`, `env K=V`.
std::string render(const node& n);

}  // namespace shpp::detail
