// How a stage is asked to stop, as data (after reproc's stop actions): a list
// of signals, each followed by how long to wait for the stage and everything
// it started to go before the next one. The wait ends early as soon as
// nothing is left to stop.
#pragma once

#include <signal.h>

#include <chrono>
#include <vector>

namespace shpp::detail {

struct stop_step {
  int signal;
  std::chrono::nanoseconds then_wait;  // before the next step; ignored for the last one
};

struct stop_policy {
  std::vector<stop_step> steps;

  /// Timeouts, kill()-less abandonment (leaving lines() early, ~job): SIGTERM,
  /// a second of grace, then SIGKILL.
  static stop_policy terminate_then_kill() {
    return {{{SIGTERM, std::chrono::seconds(1)}, {SIGKILL, std::chrono::nanoseconds(0)}}};
  }
  /// A launch failure elsewhere in the pipeline: nothing is worth a grace.
  static stop_policy kill_now() { return {{{SIGKILL, std::chrono::nanoseconds(0)}}}; }
};

}  // namespace shpp::detail
