// `set -x` for shpp: with SHPP_TRACE=1 in the environment (`shpp -x` sets it
// for a script), each command is printed to stderr before it runs.
#pragma once

#include "plan/plan.hpp"

namespace shpp::detail {

/// Whether commands are traced: SHPP_TRACE, read once at first use (set,
/// and neither empty nor "0"), unless set_trace() decided first.
bool trace_enabled();
/// Overrides SHPP_TRACE for this process: the runner keeps its own compiler runs quiet.
void set_trace(bool on);
/// "+ cmd 'arg' | other" on stderr, shell-quoted, when tracing.
void trace(const launch_plan& plan);

}  // namespace shpp::detail
