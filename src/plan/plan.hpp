// The one place where a command tree becomes a launch plan: a flat list of
// stages, each with everything needed to start it.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include "shpp/source_location.hpp"
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

/// What each `$(...)` of a literal printed, once its group stage ran it.
using substitution_outputs = std::vector<std::pair<const node*, std::string>>;

/// What a remote stage's run wrote outside its .on(): it acts locally, on the ssh session.
struct local_settings {
  stdin_source in;
  output out;
  output err;
  std::optional<std::filesystem::path> cwd;
  bool env_clear = false;
  std::vector<env_change> env_changes;
};

struct stage_plan {
  std::vector<std::string> argv;        // a process: its argv
  node_ptr group;                       // or a group stage: the list, `!` or `{ }` it runs with this stage's fds
  handle<const function_body> function;  // or a function stage: the callable its thread runs (`shown` names it)
  std::optional<std::filesystem::path> cwd;
  bool env_clear = false;
  std::vector<env_change> env_changes;  // applied in order
  stdin_source in;                      // ignored when from_previous
  bool from_previous = false;           // stdin is the stdout of stage `producer`
  std::size_t producer = 0;
  output out;                           // ignored when to_next
  bool to_next = false;                 // stdout feeds the next stage
  bool to_stream = false;               // lines(): stdout is read by the caller (ignored when to_next)
  output err;
  std::chrono::nanoseconds timeout{0};  // 0: none
  bool checked = true;
  std::vector<int> ok_codes{0};
  stop_policy stop = stop_policy::terminate_then_kill();  // at its deadline, or when the run is abandoned
  // Process substitution: link k is a pipe between a `<(...)`/`>(...)`
  // stage and the stage whose argument it is (as fd 3 + its index in `links`).
  int link_out = -1;       // its stdout is link k's write end (`<(...)`'s last stage)
  int link_in = -1;        // its stdin is link k's read end (`>(...)`'s first stage)
  std::vector<int> links;  // the links it gets as fds 3, 4, ...
  std::string no_match;    // a glob among its words matched nothing: it cannot start
  std::string shown;       // how it was written, when its argv came from a literal's late words
  // Inside .on(), a literal's words with `~` or a glob expand on the host:
  // its words as the remote shell reads them, and each glob word, which the
  // remote side checks before anything starts (no match: it cannot start).
  std::string remote_words;
  std::vector<std::string> remote_globs;
  // Remote (src/remote/): a stage inside .on() has `on`, with its cwd, env and
  // redirections the remote ones and `local` what was written outside. A
  // session stage (one ssh process) carries adjacent remote stages as `members`.
  std::optional<host> on;
  std::shared_ptr<const local_settings> local;
  std::vector<stage_plan> members;
};

struct launch_plan {
  std::vector<stage_plan> stages;
  int link_count = 0;
  node_ptr root;  // what was planned; rendered only for an error message
  shpp::source_location where;  // the caller's line that ran it, for an error message

  bool any_timeout() const;
};

/// Flattens `root`; throws usage_error for contradictions (2>&1 with 1>&2).
/// With `stream_stdout` (lines()), stdout that no redirection inside the
/// command takes is read by the caller.
/// A literal's `$(...)` words expand to `outputs` (without them, to their text).
launch_plan make_plan(const node_ptr& root, bool stream_stdout = false, const substitution_outputs* outputs = nullptr);

/// A member of a group stage, planned as a pipeline of its own: `member`
/// inside the group's cwd and environment (`group`'s, which are outermost).
launch_plan make_member_plan(const node_ptr& member, const stage_plan& group,
                             const substitution_outputs* outputs = nullptr);

/// How a stage shows in messages: its argv, or the group it runs.
std::string render_stage(const stage_plan& s);

}  // namespace shpp::detail
