// One run of a launch plan: starts every stage, then multiplexes all pipes,
// process exits and deadlines on one thread (asio), and reports a result.
// Boost and asio stay behind this header's pimpl.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "plan/plan.hpp"
#include "shpp/result.hpp"

namespace shpp::detail {

enum class run_mode {
  foreground,  // run()/read()/status(): stays in the caller's process group unless a timeout needs its own
  stream,      // lines(): the last stage's stdout is read on demand
  background,  // spawn(): own process groups, driven by a job's thread
};

class execution {
 public:
  /// Starts every stage. A launch failure stops the pipeline (nothing stays
  /// running) and is reported by finish(), not thrown.
  execution(launch_plan plan, run_mode mode);
  ~execution();
  execution(const execution&) = delete;
  execution& operator=(const execution&) = delete;

  /// stream mode: appends the next chunk of stdout to `buf`; false at EOF.
  bool read_stream(std::string& buf);
  /// Drives everything to the end and returns the (unchecked) result.
  result finish();
  /// Stops early: closes our pipe ends, terminates and reaps every stage.
  void abandon();
  /// Thread-safe: delivers `sig` to every stage (and its group) from the loop.
  void signal_all(int sig);

  std::vector<int> pids() const;
  /// True if some stage could not be started.
  bool launch_failed() const;
  const launch_plan& plan() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};


}  // namespace shpp::detail
