// Remote stages in a launch plan: adjacent stages on one host become one
// session stage (one ssh process, their pipes remote), and each remote stage
// becomes the POSIX sh text that runs it on the host.
#pragma once

#include <string>
#include <vector>

#include "plan/plan.hpp"

namespace shpp::detail {

/// Replaces every run of adjacent stages on one host (each reading the one
/// before through a pipe) with one session stage carrying them as `members`;
/// the session's stdin, stdout and stderr are what the members' runs wrote
/// outside .on() (or a capture or input written inside it, which only the
/// local side can serve).
void merge_sessions(launch_plan& plan);

/// One remote stage as POSIX sh: `{ cd 'dir' && env 'K=v' prog 'arg'; } < in > out 2> err`,
/// every word quoted (shpp::quote), so the remote shell runs exactly the argv.
std::string remote_stage_text(const stage_plan& member);

/// For each glob among a remote stage's words, a POSIX sh condition that
/// holds when it matches in the stage's cwd (a cwd that cannot be entered
/// passes: the stage's own `cd` then fails with its own message).
std::vector<std::string> remote_glob_checks(const stage_plan& member);

}  // namespace shpp::detail
