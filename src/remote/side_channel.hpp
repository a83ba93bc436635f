// The remote side of a session and how its reports come back. The session
// runs a small POSIX sh script (remote_script) that runs the stages with
// their pipes and writes, on the session's stderr, lines that start with a
// nonce of this run: "N b PGID" when it begins, "N I STATUS" when stage I
// ends, "N h" every second while it runs, "N m I K" (and nothing more) when
// glob K of stage I matched nothing, before anything started. Stderr is the one channel back
// that ssh keeps apart from stdout (the data), so the data is never framed.
// side_channel takes those lines out of the stream wherever they land
// (between a stage's partial lines too: each is one write, below PIPE_BUF)
// and leaves the rest for the user.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shpp::detail {

/// A fresh nonce: 32 hex digits from std::random_device.
std::string make_nonce();

/// The script a session runs: `stages` (each remote_stage_text) piped into
/// each other, each one's $? reported; a watcher that stops the whole remote
/// process group when the connection is gone (its heartbeat cannot be written).
/// First, each of `glob_checks[I]` (remote_glob_checks, a condition that holds
/// when glob K of stage I matches) is tested: one that fails is reported and
/// nothing starts, as for a local glob.
std::string remote_script(const std::vector<std::string>& stages, std::string_view nonce,
                          const std::vector<std::vector<std::string>>& glob_checks = {});

/// The remote command that sends `signal` to the process group a session reported.
std::string remote_kill(int signal, int group);

/// A wait status for a remote stage's `$?`: 129..192 is a death by signal
/// N = $? - 128 (the remote shell tells no more); else an exit.
int wait_status_of(int shell_status);

class side_channel {
 public:
  side_channel(std::string nonce, std::size_t stages);

  /// Takes one chunk of the session's stderr; returns the user's bytes in it
  /// (a possible start of a report line is held back until it is complete).
  std::string feed(std::string_view chunk);
  /// At the end of the stream: what was held back.
  std::string finish();

  bool begun() const noexcept { return group_ > 0; }
  /// The remote process group of the session (its script's $$), or 0.
  int group() const noexcept { return group_; }
  /// Each stage's `$?` as reported, by stage index.
  const std::vector<std::optional<int>>& statuses() const noexcept { return statuses_; }
  /// (stage, glob) when a glob of a stage matched nothing and the session started nothing.
  const std::optional<std::pair<std::size_t, std::size_t>>& no_match() const noexcept { return no_match_; }

 private:
  void take_line(std::string_view line);

  std::string nonce_;
  std::string held_;
  int group_ = 0;
  std::vector<std::optional<int>> statuses_;
  std::optional<std::pair<std::size_t, std::size_t>> no_match_;
};

}  // namespace shpp::detail
