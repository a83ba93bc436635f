// libFuzzer: the runner's parsers (directives, depfiles, its command line)
// never crash; the depfile parser reads back every path GCC's escaping can
// write (space, '#', '$'); a script's arguments reach it verbatim.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "runner/command_line.hpp"
#include "runner/depfile.hpp"
#include "runner/runner_error.hpp"
#include "runner/script.hpp"

namespace {

// As GCC writes a make rule's prerequisite (mkdeps.cc): `\ `, `\#`, `$$`.
std::string escape_for_make(std::string_view path) {
  std::string out;
  for (char c : path) {
    if (c == ' ' || c == '#') out += '\\';
    if (c == '$') out += '$';
    out += c;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 8192) return -1;
  const std::string text(reinterpret_cast<const char*>(data), size);

  // 1) Whatever the text, these parse without crashing.
  (void)shpp::runner::parse_directives(text);
  (void)shpp::runner::split_words(text);
  (void)shpp::runner::parse_depfile(text);
  shpp::runner::script s{"/tmp/" + text.substr(0, 64), "/tmp", text};
  (void)shpp::runner::translation_unit(s);

  // 2) Paths (split at newlines; no tab, newline, NUL or backslash, which GCC
  // does not escape) written as GCC writes them come back unchanged.
  std::vector<std::string> paths;
  std::string cur;
  for (char c : text) {
    if (c == '\n') {
      if (!cur.empty()) paths.push_back(cur);
      cur.clear();
    } else if (c != '\t' && c != '\0' && c != '\\' && c != '\r' && c != '\v' && c != '\f') {
      cur += c;
    }
  }
  if (!cur.empty()) paths.push_back(cur);
  std::vector<std::string> wanted;
  std::string rule = "out.o: ";
  for (const auto& p : paths) {
    // A path of blanks only is not a prerequisite GCC would write.
    if (p.find_first_not_of(' ') == std::string::npos) continue;
    if (p.front() == ' ' || p.back() == ' ') continue;
    wanted.push_back(p);
    rule += " \\\n " + escape_for_make(p);
  }
  rule += "\n";
  if (shpp::runner::parse_depfile(rule) != wanted) {
    std::fprintf(stderr, "depfile round trip failed for:\n%s\n", rule.c_str());
    std::abort();
  }

  // 3) The command line (NUL-separated arguments): it parses or refuses, and
  // whatever follows the script reaches it verbatim, options included.
  std::vector<std::string> args;
  std::size_t at = 0;
  while (at <= text.size()) {
    std::size_t end = text.find('\0', at);
    if (end == std::string::npos) end = text.size();
    args.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  try {
    const auto c = shpp::runner::parse_command_line(args);
    if (c.what == shpp::runner::command_line::action::run) {
      std::size_t first = 0;  // where the script's own arguments start in `args`
      while (first < args.size() && !(c.inline_code ? args[first] == "-e" : args[first] == c.target)) ++first;
      if (first == args.size()) std::abort();
      const std::size_t script_args = c.inline_code ? first + 2 : first + 1;
      if (c.script_argv.size() != 1 + (args.size() - script_args)) std::abort();
      for (std::size_t i = script_args; i < args.size(); ++i)
        if (c.script_argv[1 + i - script_args] != args[i]) std::abort();
    }
  } catch (const shpp::runner::runner_error&) {
  }
  return 0;
}
