// One run of a launch plan: starts every stage, then multiplexes all pipes,
// process exits and deadlines on a loop it shares with other runs (asio), and
// reports a result.
// Boost and asio stay behind this header's pimpl.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "plan/plan.hpp"
#include "shpp/result.hpp"

namespace shpp::detail {

enum class run_mode {
  foreground,  // run()/read()/status(): stays in the caller's process group unless a timeout needs its own
  stream,      // lines(): the last stage's stdout is read on demand
  background,  // spawn(): own process groups, driven by the background loop's thread
};

class loop;

/// What a run's stages get as their own stdin, stdout and stderr where
/// nothing else is said: the caller's (-1), or a group stage's fds.
struct inherited_fds {
  int in = -1;
  int out = -1;
  int err = -1;
  // The group's stdout is a pipe whose reader may leave first: a SIGPIPE of
  // the last stage is then no failure, as for any stage before a `|`.
  bool out_reader_may_leave = false;
};

class execution {
 public:
  /// Starts every stage, its I/O on `lp` (for the background loop: call this
  /// on its thread). A launch failure stops the pipeline (nothing stays
  /// running) and is reported by finish(), not thrown.
  execution(launch_plan plan, run_mode mode, loop& lp, inherited_fds inherited = {});
  ~execution();
  execution(const execution&) = delete;
  execution& operator=(const execution&) = delete;

  /// stream mode: appends the next chunk of stdout to `buf`; false at EOF.
  bool read_stream(std::string& buf);
  /// Drives everything to the end and returns the (unchecked) result.
  result finish();
  /// Stops early: closes our pipe ends, terminates and reaps every stage.
  void abandon();
  /// Delivers `sig` to every stage (and its group) from the loop; callable
  /// from any thread while the run exists.
  void signal_all(int sig);
  /// The same, now: only on the loop's thread.
  void signal_here(int sig);
  /// On the loop's thread, calls `callback` whenever nothing of this run is
  /// left on the loop (now, if that is already so). For background runs.
  void when_idle(std::function<void()> callback);

  std::vector<int> pids() const;
  /// True if some stage could not be started.
  bool launch_failed() const;
  const launch_plan& plan() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};


}  // namespace shpp::detail
