// What a finished pipeline reports: one stage_status per command (Bash's
// PIPESTATUS), the captured streams and the time it took.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "shpp/chrono.hpp"

namespace shpp {

/// How one stage ended. Exactly one of: it could not be started (launch_error
/// is set), it exited (code), or a signal killed it (signal != 0).
struct stage_status {
  std::string command;       ///< The stage, shell-quoted.
  std::string cwd;           ///< Its working directory when set with .cwd(), else empty.
  bool started = true;       ///< False if an earlier launch failure stopped the pipeline first.
  int code = 0;              ///< Exit code; for a signal death 128+N, for a launch failure 126/127/1 as in Bash.
  int signal = 0;            ///< The signal that killed it, or 0.
  bool timed_out = false;    ///< Killed because its .timeout() expired.
  bool sigpipe_ok = false;   ///< Died of SIGPIPE after its reader went away: counts as success.
  bool checked = true;       ///< False under .unchecked().
  std::string launch_error;  ///< Why it could not start ("command not found: foo"), or empty.
  std::string err_tail;      ///< The last <= 4 KiB of its stderr, when stderr was captured.
  bool failed = false;       ///< Non-zero shell_code() outside the stage's .ok_codes() (ignores .unchecked()).
  std::chrono::nanoseconds timeout{0};  ///< The stage's time limit, or 0.

  /// Bash's $? for this stage: 0 for success and SIGPIPE-success, 128+N for a signal, 124 for a timeout.
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
  int code() const noexcept;
  /// code() == 0: every stage exited 0 (or died of SIGPIPE as a writer), .ok_codes() notwithstanding.
  bool ok() const noexcept { return code() == 0; }
  /// True if any stage was killed by its timeout.
  bool timed_out() const noexcept;
};

}  // namespace shpp
