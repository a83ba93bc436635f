// One stage of a run, behind the interface every kind of stage implements
// (after rust_cmd_lib's CmdChildHandle and Boost.Process v2's launchers): it
// starts with the fds the run wired for it, reports once how it ended, and
// can be signalled. A process is the one kind today; a function on a thread,
// a group and a remote command are further implementations, not branches.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "posix/fd.hpp"

namespace shpp::detail {

/// Why a stage could not start, with Bash's status for it: 127 not found,
/// 126 not executable (or out of resources), 1 a redirection or cwd.
struct launch_failure {
  int code;
  std::string message;
  bool connection = false;  // a remote stage's ssh failed: stage_status::ending::connection_failed
};

/// The fds a stage gets as its stdin, stdout and stderr. An empty fd means the
/// caller's own; the two flags are 1>&2 and 2>&1, applied after the fds.
struct stage_fds {
  unique_fd in;
  unique_fd out;
  unique_fd err;
  bool out_to_err = false;
  bool err_to_out = false;
  std::vector<unique_fd> extra;  // fds 3, 4, ... (process substitution)
};

/// A wait status as waitpid() reports it (decoded by the status rules); a
/// group stage adds what inside it decided that status.
struct wait_status {
  int native;
  std::string cause = {};
  // A remote session: each remote stage's wait status, -1 where none came
  // back; those then take `lost` as their launch failure, or `native` when it is empty.
  std::vector<int> parts = {};
  std::string lost = {};
};
/// How a started stage ended: its wait status, or a failure to learn it.
using stage_end = std::variant<wait_status, launch_failure>;

class stage {
 public:
  using end_handler = std::function<void(const stage_end&)>;
  virtual ~stage() = default;

  /// What must hold before anything is opened for the stage (as Bash's `cd`
  /// before a redirection), or why it cannot start.
  virtual std::optional<launch_failure> check() const = 0;
  /// Starts the stage; `on_end` is called once, from the loop, when it ends.
  /// A stage that cannot start returns why and never calls `on_end`.
  virtual std::optional<launch_failure> start(stage_fds fds, end_handler on_end) = 0;
  /// Sends `sig` to the stage and to what it started, if any of it is left.
  virtual void signal(int sig) = 0;
  /// True while the stage, or something it started that we can still reach, may run.
  virtual bool anything_left() const = 0;
  /// Its process id, or -1 (not started, or not a process).
  virtual int pid() const = 0;
};

}  // namespace shpp::detail
