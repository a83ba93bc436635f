// What a finished pipeline reports: one stage_status per command (Bash's
// PIPESTATUS), the captured streams and the time it took.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "shpp/chrono.hpp"

namespace shpp {

/// How one stage ended: exactly one of the `ending` values, with the facts
/// that belong to it.
struct stage_status {
  enum class ending {
    not_started,    ///< An earlier stage could not start, so this one never did.
    launch_failed,  ///< It could not be started (or watched): see launch_error.
    exited,         ///< It exited: see code.
    signalled,      ///< A signal killed it: see signal.
    timed_out,      ///< Its .timeout() expired and it was stopped.
    /// A remote stage (.on(host)) whose connection failed: ssh could not
    /// connect or log in, or the connection dropped while it ran. See
    /// launch_error ("ssh web1: Connection refused"); code is ssh's 255.
    connection_failed,
  };
  std::string command;  ///< The stage, shell-quoted.
  std::string cwd;      ///< Its working directory when set with .cwd(), else empty.
  ending how = ending::exited;
  /// Bash's status for it (PIPESTATUS): the exit code; 128+N for signal N;
  /// 124 for a timeout (as timeout(1)); 127/126/1 for a launch failure.
  int code = 0;
  int signal = 0;              ///< signalled, or timed_out by a signal: the signal, else 0.
  /// launch_failed or connection_failed: why ("command not found: foo"), else empty.
  std::string launch_error;
  /// The one notion of success, what run() checks: an exit code in .ok_codes(),
  /// SIGPIPE after its reader went away, a signal we were asked to send.
  /// A timeout or launch failure is never ok.
  bool ok = true;
  bool checked = true;         ///< False under .unchecked(): not ok is then no error.
  std::string err_tail;        ///< The last <= 4 KiB of its stderr, when stderr was captured.
  /// A list or group (`a && b`, `{ a; b; }`): the command inside it that
  /// decided its status and how that ended ("./test: exited with code 1"), else empty.
  std::string cause;
  std::chrono::nanoseconds timeout{0};  ///< The stage's time limit, or 0.

  /// It ran and its end is known (exited, signalled or timed out). A
  /// connection_failed stage may have run in part: that is not known.
  bool started() const noexcept { return how == ending::exited || how == ending::signalled || how == ending::timed_out; }
  bool timed_out() const noexcept { return how == ending::timed_out; }
  /// Died of SIGPIPE after its reader went away (Bash with pipefail would say 141): counts as success.
  bool sigpipe_ok() const noexcept;
  /// Bash's $? for this stage under shpp's rules: 0 when SIGPIPE counts as success, else code.
  int shell_code() const noexcept;
  /// "exited with code 1", "killed by SIGKILL", "timed out after 2s", "command not found: foo".
  std::string describe() const;
};

class result {
 public:
  std::vector<stage_status> stages;  ///< One per command, left to right.
  std::string out;                   ///< Captured stdout (with .out(capture)), else empty.
  std::string err;                   ///< Captured stderr (with .err(capture)), else empty.
  std::chrono::nanoseconds duration{0};

  /// $? under `set -o pipefail`: the rightmost non-zero stage's shell_code(), or 0.
  /// (With .ok_codes({0, 1}) an exit 1 is ok() yet makes code() 1, as $? would be.)
  int code() const noexcept;
  /// Every stage ok: what run() checks, .ok_codes() included.
  bool ok() const noexcept;
  /// True if any stage was killed by its timeout.
  bool timed_out() const noexcept;
};

}  // namespace shpp
