// The one place where a command tree becomes a launch plan: a flat list of
// stages, each with everything needed to start it.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <source_location>
#include <string>
#include <utility>
#include <vector>

#include "model/node.hpp"
#include "plan/stop_policy.hpp"

namespace shpp::detail {

struct env_change {
  std::string key;
  std::optional<std::string> value;  // nullopt: remove
};

struct stage_plan {
  std::vector<std::string> argv;
  std::optional<std::filesystem::path> cwd;
  bool env_clear = false;
  std::vector<env_change> env_changes;  // applied in order
  stdin_source in;                      // ignored when from_previous
  bool from_previous = false;           // stdin is the previous stage's stdout
  output out;                           // ignored when to_next
  bool to_next = false;                 // stdout feeds the next stage
  bool to_stream = false;               // lines(): stdout is read by the caller (ignored when to_next)
  output err;
  std::chrono::nanoseconds timeout{0};  // 0: none
  bool checked = true;
  std::vector<int> ok_codes{0};
  stop_policy stop = stop_policy::terminate_then_kill();  // at its deadline, or when the run is abandoned
};

struct launch_plan {
  std::vector<stage_plan> stages;
  node_ptr root;  // what was planned; rendered only for an error message
  std::source_location where;  // the caller's line that ran it, for an error message

  bool any_timeout() const;
};

/// Flattens `root`; throws usage_error for contradictions (2>&1 with 1>&2).
/// With `stream_stdout` (lines()), stdout that no redirection inside the
/// command takes is read by the caller.
launch_plan make_plan(const node_ptr& root, bool stream_stdout = false);

}  // namespace shpp::detail
