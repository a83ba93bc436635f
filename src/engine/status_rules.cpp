#include "engine/status_rules.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>

#include "model/render.hpp"
#include "shpp/error.hpp"

namespace shpp::detail {
namespace {


bool is_ok_code(const stage_plan& s, int code) {
  return std::find(s.ok_codes.begin(), s.ok_codes.end(), code) != s.ok_codes.end();
}

}  // namespace

// How a stage's end counts:
// 1) It never started (an earlier stage failed to launch): not ok, code 0,
//    and never the stage an error reports.
// 2) It could not start: Bash's status for that (127, 126, 1), ok only if
//    that status is one of its ok codes.
// 3) A timeout is never ok; its code is 124, as timeout(1).
// 4) A signal death is not ok, except SIGPIPE after its reader went away and
//    a signal we were asked to send (or that we sent to stop it).
// 5) An exit is ok if its code is one of the ok codes.
void append_to_tail(std::string& tail, std::string_view more) {
  tail.append(more);
  if (tail.size() > 2 * stderr_tail_limit) tail.erase(0, tail.size() - stderr_tail_limit);
}

stage_status make_stage_status(const stage_plan& s, const stage_facts& f) {
  using ending = stage_status::ending;
  stage_status ss;
  ss.command = render_stage(s);
  if (s.cwd) ss.cwd = s.cwd->string();
  ss.checked = s.checked;
  ss.cause = f.cause;
  ss.timeout = s.timeout;
  ss.err_tail = f.err_tail.size() > stderr_tail_limit ? f.err_tail.substr(f.err_tail.size() - stderr_tail_limit)
                                                     : f.err_tail;
  if (f.failure) {
    ss.how = f.failure->connection ? ending::connection_failed : ending::launch_failed;
    ss.code = f.failure->code;
    ss.launch_error = f.failure->message;
    ss.ok = is_ok_code(s, ss.code);
    return ss;
  }
  if (!f.started) {
    ss.how = ending::not_started;
    ss.ok = false;
    return ss;
  }
  const int status = f.native_status;
  if (WIFSIGNALED(status)) ss.signal = WTERMSIG(status);
  if (f.timed_out) {
    ss.how = ending::timed_out;
    ss.code = 124;
    ss.ok = false;
  } else if (ss.signal != 0) {
    ss.how = ending::signalled;
    ss.code = 128 + ss.signal;
    const bool requested = f.stopped_by_us || (ss.signal < 64 && (f.signals_sent >> ss.signal) & 1);
    ss.ok = (ss.signal == SIGPIPE && f.reader_gone) || requested;
  } else {
    ss.how = ending::exited;
    ss.code = WEXITSTATUS(status);
    ss.ok = is_ok_code(s, ss.code);
  }
  return ss;
}

std::optional<std::size_t> stage_to_report(const result& r) {
  for (std::size_t i = r.stages.size(); i-- > 0;)
    if (!r.stages[i].ok && r.stages[i].checked && r.stages[i].how != stage_status::ending::not_started) return i;
  return std::nullopt;
}

result unstarted_result(const launch_plan& plan, launch_failure why) {
  result r;
  for (std::size_t i = 0; i < plan.stages.size(); ++i) {
    stage_facts f;
    if (i == 0) f.failure = why;
    r.stages.push_back(make_stage_status(plan.stages[i], f));
  }
  return r;
}

result throw_if_failed(const launch_plan& plan, result res) {
  if (auto i = stage_to_report(res)) {
    const std::string cwd = res.stages[*i].cwd;
    throw error(render(*plan.root), *i, std::move(res), cwd, plan.where);
  }
  return res;
}

}  // namespace shpp::detail
