// A script as the runner sees it: its text, its `// shpp:` directives, and
// the translation unit that the compiler gets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace shpp::runner {

struct script {
  std::string path;  // absolute, or "-e" for `shpp -e 'code'`
  std::string dir;   // where its "quoted" includes are found; empty for -e
  std::string text;
};

/// Reads the file at `path`; throws runner_error if it cannot.
script load_script(const std::string& path);
/// Wraps `code` in a main(argc, argv).
script inline_script(const std::string& code);

struct directives {
  std::vector<std::string> compile_flags;  // `// shpp: -O2 -DX`
  std::vector<std::string> link_flags;     // `// shpp: -lsqlite3 -L/opt/lib`
  std::vector<std::string> packages;       // `// shpp: pkg-config libcurl`
  bool using_namespaces = true;             // false with `// shpp: no-using`
};

/// Words separated by blanks, as directives and pkg-config's output are split (no quoting).
std::vector<std::string> split_words(std::string_view s);

/// The `// shpp:` comment lines near the top (before the first line of code).
directives parse_directives(const std::string& text);

/// The source the compiler sees: script mode first (`using namespace shpp;`
/// and `std::chrono_literals` unless `// shpp: no-using`, and
/// shpp::install_uncaught_handler() before main), then the script after a
/// #line directive, so that diagnostics and errors name the user's file and
/// line; a shebang line is left out.
std::string translation_unit(const script& s);

}  // namespace shpp::runner
