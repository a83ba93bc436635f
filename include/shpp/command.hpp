// The DSL's one value type. A command is a single program or a pipeline of
// them, with redirections and modifiers; building one never touches the OS,
// and nothing runs until run(), read(), lines(), status(), ok() or spawn().
#pragma once

#include <initializer_list>
#include "shpp/source_location.hpp"  // where a command was run, for errors
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>  // fmt::formatter

#include "shpp/arg.hpp"
#include "shpp/chrono.hpp"
#include "shpp/handle.hpp"
#include "shpp/host.hpp"
#include "shpp/io.hpp"
#include "shpp/job.hpp"
#include "shpp/lines.hpp"
#include "shpp/result.hpp"

namespace shpp {
namespace detail {
struct node;            // the private, immutable command tree
struct command_access;  // the library's way into it
}

/// An immutable, cheaply copied command or pipeline. Every modifier returns a
/// new value that shares the old one. Modifiers on a pipeline apply to each of
/// its stages; a setting closer to a command wins over one further out.
class [[nodiscard]] command {
 public:
  /// From a ready argv (argv[0] is the program); cmd() is the usual way.
  static command from_argv(std::vector<std::string> argv);

  // Redirections (inner wins). `> path` truncates, `>> path` appends, `< path` reads.
  command out(const output& target) const;  ///< stdout: path, append(path), null, capture, to_stderr
  command err(const output& target) const;  ///< stderr: path, append(path), null, capture, to_stdout
  command in(const path_arg& path) const;  ///< stdin from a file
  command in(null_t) const;                             ///< stdin from /dev/null
  command input(std::string data) const;                ///< stdin fed from memory

  // Modifiers: they never change the caller's own cwd or environment.
  command cwd(const path_arg& dir) const;  ///< as `cd dir && ...`; nested relative dirs nest
  command env(std::string_view key, std::string_view value) const;
  command env_remove(std::string_view key) const;
  command env_clear() const;  ///< start from an empty environment (env() calls before or after it still apply)
  /// Stops the stages after `limit` (a limit beyond ~292 years saturates).
  template <class Rep, class Period>
  command timeout(std::chrono::duration<Rep, Period> limit) const {
    using std::chrono::nanoseconds;
    if (limit >= std::chrono::duration_cast<std::chrono::duration<Rep, Period>>(nanoseconds::max()))
      return timeout_ns(nanoseconds::max());
    return timeout_ns(std::chrono::ceil<nanoseconds>(limit));
  }
  command unchecked() const;  ///< a non-zero exit or signal here never throws
  command ok_codes(std::initializer_list<int> codes) const { return ok_codes(std::vector<int>(codes)); }
  command ok_codes(std::vector<int> codes) const;  ///< exit codes that count as success (default {0})
  /// Runs it on `where` (see host.hpp). Adjacent stages on one host share one
  /// ssh session, their pipes stay remote; redirections, cwd and env written
  /// inside .on() act on the host, those outside it locally.
  command on(const host& where) const;

  // Running. Each takes the caller's file and line (leave `where` out): a
  // shpp::error names them, as in "deploy.cpp:42: shpp: command failed: ...".
  using location = shpp::source_location;
  /// Runs to the end; throws shpp::error if a checked stage failed.
  result run(location where = location::current()) const;
  /// $(...): captured stdout with trailing newlines removed; throws as run().
  std::string read(location where = location::current()) const;
  /// Streams stdout line by line (see line_range).
  line_range lines(location where = location::current()) const;
  /// $? with pipefail; never throws for an exit code, a signal or a missing program.
  int status(location where = location::current()) const;
  /// Runs it: true if every stage succeeded by its own rules (.ok_codes()
  /// included: the result's ok()); never throws for an exit code, a signal or a missing program.
  bool ok(location where = location::current()) const;
  /// Starts in the background; job::wait() errors name this line.
  job spawn(location where = location::current()) const;

  /// Shell-quoted, ready to paste into Bash.
  std::string to_string() const;

  friend command operator|(const command& left, const command& right);
  /// `a && b`: b runs if a succeeded; the status is the last one run's.
  friend command operator&&(const command& left, const command& right);
  /// `a || b`: b runs if a failed.
  friend command operator||(const command& left, const command& right);
  /// `! a`: succeeds when a fails, and the other way round.
  friend command operator!(const command& c);
  friend command operator>(const command& c, const path_arg& path) { return c.out(path.str()); }
  friend command operator>>(const command& c, const path_arg& path) { return c.out(append(path)); }
  friend command operator<(const command& c, const path_arg& path) { return c.in(path); }

 private:
  friend struct detail::command_access;  // the library's way in and out of the private tree
  explicit command(detail::handle<const detail::node> node) : node_(std::move(node)) {}
  command timeout_ns(std::chrono::nanoseconds limit) const;

  detail::handle<const detail::node> node_;
};

/// A pipeline is a command; the alias documents intent.
using pipeline = command;

namespace detail {
command make_group(std::vector<command> members);
}

/// `{ a; b; c; }`: runs its commands one after another, as Bash under
/// `set -e` (the first failure ends it, and is its status). Redirections on
/// the group are opened once and shared: `group(cmd("sed", "-u", "1q"),
/// cmd("sort")) < "scores.csv"` reads one stdin in turn, as
/// `{ sed -u 1q; sort; } < scores.csv`.
template <class... Commands>
[[nodiscard]] command group(const command& first, const Commands&... rest) {
  return detail::make_group({first, command(rest)...});
}

/// cmd("git", "log", "-n", 3, files): one argv entry per argument; ranges are
/// flattened, numbers formatted, paths taken as they are. No shell, no splitting.
template <class Program, class... Args>
[[nodiscard]] command cmd(const Program& program, const Args&... args) {
  std::vector<std::string> argv;
  argv.reserve(1 + sizeof...(Args));
  detail::append_arg(argv, program);
  (detail::append_arg(argv, args), ...);
  return command::from_argv(std::move(argv));
}

}  // namespace shpp

/// `fmt::format("{}", pipeline)` prints it shell-quoted (format specs are not supported).
template <>
struct fmt::formatter<shpp::command> {
  constexpr auto parse(fmt::format_parse_context& ctx) -> decltype(ctx.begin()) { return ctx.begin(); }
  template <class FormatContext>
  auto format(const shpp::command& c, FormatContext& ctx) const -> decltype(ctx.out()) {
    auto out = ctx.out();
    for (char ch : c.to_string()) *out++ = ch;
    return out;
  }
};
