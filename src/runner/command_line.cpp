#include "runner/command_line.hpp"

#include "runner/runner_error.hpp"

namespace shpp::runner {

command_line parse_command_line(const std::vector<std::string>& args) {
  command_line c;
  std::size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      c.what = command_line::action::help;
      return c;
    }
    if (arg == "--version") {
      c.what = command_line::action::version;
      return c;
    }
    if (arg == "--verbose" || arg == "-v") {
      c.verbose = true;
    } else if (arg == "--force") {
      c.force = true;
    } else if (arg == "-x") {
      c.trace = true;
    } else if (arg == "--ide") {
      c.ide = true;
    } else if (arg == "-e") {
      if (i + 1 >= args.size()) throw runner_error("-e needs the code to run");
      c.inline_code = true;
      c.script_argv.push_back(arg);
      c.target = args[++i];
      ++i;
      break;
    } else if (arg == "cache") {
      c.what = command_line::action::cache;
      c.cache_args.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      return c;
    } else if (arg.size() > 1 && arg[0] == '-') {
      throw runner_error("unknown option " + arg + " (see shpp --help)");
    } else {
      c.target = arg;
      c.script_argv.push_back(arg);
      ++i;
      break;
    }
  }
  if (c.target.empty() && !c.inline_code) return c;  // usage
  c.what = command_line::action::run;
  // Everything after the script (or the -e code) is the script's, verbatim.
  for (; i < args.size(); ++i) c.script_argv.push_back(args[i]);
  return c;
}

}  // namespace shpp::runner
