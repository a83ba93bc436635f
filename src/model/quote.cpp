#include "shpp/quote.hpp"

#include <algorithm>

namespace shpp {

std::string quote(std::string_view word) {
  if (word.empty()) return "''";
  // Characters that never need quoting in any position of a Bash word.
  const auto safe = [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("_-+./,:@%^=").find(static_cast<char>(c)) != std::string_view::npos;
  };
  // `=` is only special in the first word (an assignment) and `~` only at the
  // start; quote a leading `=`/`~` cheaply by quoting the whole word.
  if (std::all_of(word.begin(), word.end(), safe) && word.front() != '=') return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  out += '\'';
  return out;
}

}  // namespace shpp
