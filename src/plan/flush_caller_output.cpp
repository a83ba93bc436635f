#include "plan/flush_caller_output.hpp"

#include <algorithm>
#include <cstdio>    // std::fflush
#include <iostream>  // std::cout, std::cerr, std::clog

namespace shpp::detail {
namespace {

// Where a stage's stdout and stderr end: 1) into the next stage's pipe or the
// lines() stream, never the caller's; 2) `1>&2` ends wherever stderr ends and
// `2>&1` wherever stdout ends; 3) inherit is the caller's own fd.
bool writes_to_caller(const stage_plan& s) {
  using k = output::kind;
  const bool out_elsewhere = s.to_next || s.to_stream;
  const bool out_inherited = !out_elsewhere && s.out.target() == k::inherit;
  const bool err_inherited = s.err.target() == k::inherit;
  const bool out_reaches = out_inherited || (!out_elsewhere && s.out.target() == k::to_stderr && err_inherited);
  const bool err_reaches = err_inherited || (s.err.target() == k::to_stdout && out_inherited);
  return out_reaches || err_reaches;
}

}  // namespace

bool writes_to_caller_output(const launch_plan& plan) {
  return std::any_of(plan.stages.begin(), plan.stages.end(), writes_to_caller);
}

void flush_caller_output(const launch_plan& plan) {
  if (!writes_to_caller_output(plan)) return;
  // C++ streams first: unsynced (sync_with_stdio(false)) they hold their own buffers.
  std::cout.flush();
  std::clog.flush();
  std::cerr.flush();
  // Not fflush(nullptr): it locks every FILE, stdin too, and would wait for
  // another thread blocked reading it.
  std::fflush(stdout);
  std::fflush(stderr);
}

}  // namespace shpp::detail
