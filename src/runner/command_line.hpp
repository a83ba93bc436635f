// The runner's command line, parsed without side effects (tests/fuzz reads it
// with arbitrary argv):
//   shpp [--verbose] [--force] [-x] script.cpp [args...]
//   shpp [--verbose] [--force] [-x] -e 'code' [args...]
//   shpp --ide script.cpp
//   shpp cache list | clean | gc
#pragma once

#include <string>
#include <vector>

namespace shpp::runner {

struct command_line {
  enum class action { run, help, version, cache, usage };
  action what = action::usage;
  bool verbose = false;
  bool force = false;
  bool trace = false;        // -x: SHPP_TRACE=1 for the script
  bool ide = false;
  bool inline_code = false;  // -e
  std::string target;        // the script's path, or the -e code
  std::vector<std::string> script_argv;  // the script's argv, argv[0] first (what follows it, verbatim)
  std::vector<std::string> cache_args;   // `shpp cache ...`
};

/// Parses argv[1..]; throws runner_error for an unknown option or a missing -e code.
command_line parse_command_line(const std::vector<std::string>& args);

}  // namespace shpp::runner
