// The compiler's depfile: which local headers a script includes.
#pragma once

#include <string>
#include <vector>

namespace shpp::runner {

/// The prerequisites of a make-style rule as GCC writes it (`\ ` for a space,
/// `\#` for '#', `$$` for '$', `\` + newline continuing a line), in order.
std::vector<std::string> parse_depfile(const std::string& text);

}  // namespace shpp::runner
