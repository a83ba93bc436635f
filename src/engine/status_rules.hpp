// How a stage's end becomes its stage_status, and whether a run throws: pure
// functions of data, tested without processes (tests/unit/status_rules_test.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/stage.hpp"
#include "plan/plan.hpp"
#include "shpp/result.hpp"

namespace shpp::detail {

/// What the engine saw of one stage.
struct stage_facts {
  bool started = false;                  // it ran (a process was started)
  std::optional<launch_failure> failure;  // it could not start, or its end could not be learned
  int native_status = 0;                 // waitpid()'s status, when it ran
  bool timed_out = false;                // its deadline passed while it ran
  bool stopped_by_us = false;            // we stopped it: abandon(), a launch failure elsewhere
  std::uint64_t signals_sent = 0;        // bit N: we sent signal N while it ran (job::signal, job::kill)
  bool reader_gone = false;              // whoever read its stdout went away first
  std::string err_tail;                  // the end of its captured stderr
  std::string cause;                     // a group stage: what inside it decided its status
};

/// How much of a stage's stderr an error shows: its last 4 KiB.
inline constexpr std::size_t stderr_tail_limit = 4096;

/// Appends `more` to a stderr tail kept while it arrives, cut back to the
/// last stderr_tail_limit bytes once it holds twice that (so it is not cut on every chunk).
void append_to_tail(std::string& tail, std::string_view more);

stage_status make_stage_status(const stage_plan& plan, const stage_facts& facts);

/// The stage an error reports: the rightmost one that is not ok and checked
/// (pipefail's choice), or nothing when the run succeeded.
std::optional<std::size_t> stage_to_report(const result& r);

/// The result of a run that could not even begin (no loop, no thread to
/// drive it): its first stage failed to launch for `why`, the rest never started.
result unstarted_result(const launch_plan& plan, launch_failure why);

/// Returns `res`, or throws shpp::error naming stage_to_report().
result throw_if_failed(const launch_plan& plan, result res);

}  // namespace shpp::detail
