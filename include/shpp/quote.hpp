// Shell quoting, so that every command line shpp prints can be pasted into Bash.
#pragma once

#include <string>
#include <string_view>

namespace shpp {

/// Quotes one word for Bash: safe words stay bare, others get single quotes
/// ('it'\''s'), and the empty string becomes ''.
std::string quote(std::string_view word);

}  // namespace shpp
