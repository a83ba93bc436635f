#include "depfile.hpp"

namespace shpp::runner {

std::vector<std::string> parse_depfile(const std::string& text) {
  std::vector<std::string> deps;
  const auto colon = text.find(": ");
  if (colon == std::string::npos) return deps;
  std::string cur;
  for (std::size_t i = colon + 2; i < text.size(); ++i) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (c == '\\' && next == '\n') {  // a continued line
      ++i;
      continue;
    }
    if ((c == '\\' && (next == ' ' || next == '#')) || (c == '$' && next == '$')) {  // escaped for make
      cur += next;
      ++i;
      continue;
    }
    if (c == ' ' || c == '\n' || c == '\t') {
      if (!cur.empty()) deps.push_back(std::move(cur));
      cur.clear();
      continue;
    }
    cur += c;
  }
  if (!cur.empty()) deps.push_back(std::move(cur));
  return deps;
}

}  // namespace shpp::runner
