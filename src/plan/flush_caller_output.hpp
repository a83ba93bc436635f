// Output keeps its order: what the caller printed before a run comes before
// what the run's stages print into the same stdout or stderr.
#pragma once

#include "plan/plan.hpp"

namespace shpp::detail {

/// True if some stage writes to the caller's own stdout or stderr.
bool writes_to_caller_output(const launch_plan& plan);

/// Flushes C stdio's stdout and stderr and std::cout, std::cerr and std::clog
/// when writes_to_caller_output(plan): a file or a pipe is fully buffered, so
/// text printed before the run would otherwise come after the run's output.
void flush_caller_output(const launch_plan& plan);

}  // namespace shpp::detail
