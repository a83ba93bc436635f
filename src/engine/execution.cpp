#include "engine/execution.hpp"

#include <signal.h>  // SIGKILL

#include <algorithm>
#include <chrono>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "engine/endpoints.hpp"
#include "engine/fifo_wait.hpp"
#include "engine/group_stage.hpp"
#include "engine/loop.hpp"
#include "engine/process_stage.hpp"
#include "engine/stage_wiring.hpp"
#include "engine/thread_stage.hpp"
#include "engine/status_rules.hpp"
#include "remote/remote_stage.hpp"
#include "posix/fd.hpp"
#include "posix/process.hpp"
#include "posix/sigpipe_guard.hpp"
#include "model/render.hpp"
#include "plan/flush_caller_output.hpp"
#include "shpp/error.hpp"
#include "shpp/quote.hpp"

namespace shpp::detail {
namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

namespace {

// While a stage is being stopped and only its grandchildren are left (no
// event tells us when they go), how often we look: from 1 ms, doubling to 50 ms.
constexpr std::chrono::milliseconds first_poll{1};
constexpr std::chrono::milliseconds max_poll{50};

}  // namespace

struct execution::impl final : endpoint_events {
  struct stage_state {
    std::unique_ptr<stage> proc;  // the stage itself: a process today
    bool started = false;
    bool running = false;
    int native_status = 0;
    bool timed_out = false;
    bool stopped_by_us = false;  // abandon() or a launch failure elsewhere: its death is no failure
    std::uint64_t sent = 0;      // signals we sent while it ran (job::signal/kill): deaths by them are no failure
    std::optional<launch_failure> failure;
    std::string cause;  // a group stage: what inside it decided its status
    std::vector<int> parts;  // a remote session: each remote stage's wait status (-1: none came back)
    std::string lost;        // and ssh's failure for those without one
    std::optional<std::pair<std::size_t, launch_failure>> part_failure;  // or the one that could not start
    std::string err_tail;
    // Being stopped: the policy, the next step to take and when.
    std::optional<stop_policy> stopping;
    std::size_t next_step = 0;
    clock::time_point next_step_at;
    std::chrono::milliseconds poll = first_poll;
  };

  loop& lp;
  asio::io_context& ctx;
  launch_plan plan;
  run_mode mode;
  inherited_fds inherited;
  clock::time_point start = clock::now();
  clock::time_point end;
  std::vector<stage_state> stages;
  // While launching: the read ends of pipes between stages (by the stage
  // that writes them) and the user's ends of process-substitution links.
  std::optional<stage_wiring> wiring;  // while launching
  endpoints io{ctx, *this};
  std::vector<clock::time_point> deadlines;  // per stage; time_point::max() for none
  asio::steady_timer timer{ctx};
  bool timer_armed = false;
  std::string err;  // every captured stderr, in arrival order
  std::size_t running = 0;
  bool finished = false;
  // This run's handlers still queued or awaited on the loop (process exits,
  // reads, writes, the timer). The run is over, and may be destroyed, at 0:
  // the loop is shared, so "the loop ran out of work" says nothing of us.
  std::size_t pending = 0;
  std::function<void()> idle_callback;  // background: told on the loop's thread when pending drops to 0

  impl(launch_plan p, run_mode m, loop& l, inherited_fds in)
      : lp(l),
        ctx(l.context()),
        plan(std::move(p)),
        mode(m),
        inherited(in),
        stages(plan.stages.size()),
        deadlines(stages.size(), clock::time_point::max()) {}

  // Every completion handler of this run ends here.
  void handled() {
    --pending;
    if (pending == 0 && idle_callback) idle_callback();
  }

  // ---- what the endpoints report ------------------------------------------

  void on_stderr(std::size_t stage, std::string_view chunk) override {
    err.append(chunk);
    append_to_tail(stages[stage].err_tail, chunk);
  }
  void on_pipe_closed() override { drop_timers_that_no_longer_matter(); }
  void op_started() override { ++pending; }
  void op_done() override { handled(); }

  // ---- launching ----------------------------------------------------------

  void launch_all() {
    // With SIGCHLD ignored the kernel reaps children itself: no exit status
    // would ever reach us.
    if (sigchld_ignored())
      throw usage_error(
          "shpp: SIGCHLD is ignored in this process, so no exit status can be collected; "
          "restore it with signal(SIGCHLD, SIG_DFL) before running commands");
    const bool all_own_groups = mode == run_mode::background || plan.any_timeout();
    wiring.emplace(plan, io, inherited);
    for (std::size_t i = 0; i < stages.size(); ++i) {
      // Process groups of their own let a timeout, kill() or an abandoned
      // lines() reach grandchildren. lines() spares a stage that reads the
      // caller's stdin: out of the terminal's foreground group it would stop.
      const stage_plan& s = plan.stages[i];
      const bool reads_terminal = !s.from_previous && std::holds_alternative<inherit_t>(s.in) &&
                                  is_terminal(inherited.in >= 0 ? inherited.in : 0);
      const bool own_group = all_own_groups || (mode == run_mode::stream && !reads_terminal);
      std::optional<launch_failure> failure;
      try {
        failure = launch_one(i, own_group);
      } catch (const std::system_error& e) {  // out of fds or memory: this stage cannot start
        failure = launch_failure{126, "cannot start " + render_stage(s) + ": " + e.what()};
      }
      if (failure) {
        stages[i].failure = std::move(failure);
        wiring.reset();
        abort_started();
        return;
      }
    }
    wiring->done();  // pipes nobody took close: `a | b < f` gives a SIGPIPE, as in Bash
    wiring.reset();
    arm_timer();
  }

  std::optional<launch_failure> launch_one(std::size_t i, bool own_group) {
    const stage_plan& s = plan.stages[i];
    stage_state& st = stages[i];
    if (s.group) {
      // Its stdout feeds a reader that may leave first: the next stage, lines(), or the group's own reader.
      const bool last = i + 1 == stages.size();
      const bool reader_may_leave = s.to_next || s.to_stream || (last && inherited.out_reader_may_leave);
      st.proc = std::make_unique<group_stage>(lp, s, own_group, reader_may_leave);
    } else if (s.function) {
      st.proc = std::make_unique<thread_stage>(lp, s);
    } else if (!s.members.empty()) {
      st.proc = std::make_unique<remote_stage>(ctx, s, own_group);
    } else {
      st.proc = std::make_unique<process_stage>(ctx, s, own_group);
    }
    // What the stage checks first (its cwd), before anything is opened for it.
    if (auto failure = st.proc->check()) return failure;
    stage_fds fds;

    std::vector<fifo_redirect> fifos;
    if (auto failure = wiring->wire(i, fds, fifos)) return failure;
    if (!fifos.empty()) st.proc = std::make_unique<fifo_wait>(ctx, std::move(st.proc), std::move(fifos));

    if (auto failure = st.proc->start(std::move(fds), [this, i](const stage_end& end) {
          on_exit(i, end);
          handled();
        }))
      return failure;
    ++pending;
    st.started = true;
    st.running = true;
    ++running;
    return std::nullopt;  // the child's ends close here, in the parent
  }

  // A later stage could not start: stop the ones already running.
  void abort_started() {
    for (std::size_t i = 0; i < stages.size(); ++i) {
      if (!stages[i].running) continue;
      stages[i].stopped_by_us = true;
      begin_stop(i, stop_policy::kill_now());
    }
    close_pipes();
  }

  // ---- the loop's events --------------------------------------------------

  void on_exit(std::size_t i, const stage_end& how) {
    stage_state& st = stages[i];
    st.running = false;
    if (auto* w = std::get_if<wait_status>(&how)) {
      st.native_status = w->native;
      st.cause = w->cause;
      st.parts = w->parts;
      st.lost = w->lost;
      st.part_failure = w->part_failure;
    } else
      st.failure = std::get<launch_failure>(how);
    if (--running == 0) {
      end = clock::now();
      io.stop_feeding();  // nobody is left to read our input
      // After a timeout, a grandchild still holding a pipe must not stall us.
      if (std::any_of(stages.begin(), stages.end(), [](const stage_state& x) { return x.timed_out; })) close_pipes();
    }
    drop_timers_that_no_longer_matter();
  }

  static bool anything_left(const stage_state& st) { return st.proc && st.proc->anything_left(); }

  // Drops timed work that can no longer matter, so the loop ends as soon as
  // it has nothing left to do. 1) A running stage keeps its deadline and its
  // stop steps. 2) A reaped stage keeps its stop steps while something it
  // started is left (grandchildren that shrugged off SIGTERM get SIGKILL
  // too), and none once nothing is: no grace is waited for nobody. 3) A
  // reaped stage's deadline matters only while our pipes are open (something
  // may hold them) and something of it is left, or one of its captures is
  // still held; otherwise its grandchildren are let go, as Bash does.
  void drop_timers_that_no_longer_matter() {
    const bool open = io.any_read_open();
    for (std::size_t i = 0; i < stages.size(); ++i) {
      stage_state& st = stages[i];
      if (st.running) continue;
      const bool left = anything_left(st);
      // A capture of its still open after it was reaped: something it left
      // behind (a daemon in a session of its own, out of our signals' reach)
      // holds the pipe; the deadline still closes it.
      const bool held = io.stage_capture_open(i);
      if (!open || (!left && !held)) deadlines[i] = clock::time_point::max();
      if (!left) st.stopping.reset();
    }
    rearm();
  }

  void close_pipes() { io.close_all(); }

  // Signals a stage and what it started; remembers the signals sent while it
  // ran, since deaths by those are no failures.
  void send(stage_state& st, int sig) {
    if (!st.proc) return;
    if (st.running && sig > 0 && sig < 64) st.sent |= std::uint64_t{1} << sig;
    st.proc->signal(sig);
  }

  // Starts stopping stage `i` as `policy` says, if anything of it is left.
  void begin_stop(std::size_t i, stop_policy policy) {
    stage_state& st = stages[i];
    if (!anything_left(st) || policy.steps.empty()) return;
    st.stopping = std::move(policy);
    st.next_step = 0;
    st.poll = first_poll;
    take_stop_step(i);
  }

  void take_stop_step(std::size_t i) {
    stage_state& st = stages[i];
    const stop_step step = st.stopping->steps[st.next_step++];
    send(st, step.signal);
    if (st.next_step == st.stopping->steps.size())
      st.stopping.reset();
    else
      st.next_step_at = clock::now() + step.then_wait;
  }

  // ---- deadlines ----------------------------------------------------------

  void arm_timer() {
    for (std::size_t i = 0; i < stages.size(); ++i) {
      const auto limit = plan.stages[i].timeout;
      if (limit.count() > 0 && stages[i].running) deadlines[i] = start + limit;
    }
    rearm();
  }

  // One timer for the run: the next deadline, stop step, or look at a
  // stopping stage whose leader is gone (no event says when its group empties).
  void rearm() {
    auto next = clock::time_point::max();
    const auto now = clock::now();
    for (std::size_t i = 0; i < stages.size(); ++i) {
      const stage_state& st = stages[i];
      next = std::min(next, deadlines[i]);
      if (!st.stopping) continue;
      next = std::min(next, st.next_step_at);
      if (!st.running) next = std::min(next, now + st.poll);
    }
    if (next == clock::time_point::max()) {
      if (timer_armed) timer.cancel();
      timer_armed = false;
      return;
    }
    if (timer_armed && timer.expiry() == next) return;
    timer_armed = true;
    timer.expires_at(next);
    ++pending;
    timer.async_wait([this](boost::system::error_code ec) {
      if (!ec) on_timer();
      handled();
    });
  }

  void on_timer() {
    timer_armed = false;
    const auto now = clock::now();
    for (std::size_t i = 0; i < stages.size(); ++i) {
      stage_state& st = stages[i];
      if (deadlines[i] <= now) {
        deadlines[i] = clock::time_point::max();
        if (st.running) st.timed_out = true;
        begin_stop(i, plan.stages[i].stop);
        close_stage_pipes(i);
      } else if (st.stopping && st.next_step_at <= now) {
        take_stop_step(i);
      } else if (st.stopping && !st.running) {
        st.poll = std::min(st.poll * 2, max_poll);
      }
    }
    drop_timers_that_no_longer_matter();
  }

  // At a stage's deadline its pipes close too, so that nothing holding them can stall the caller.
  // The lines() stream of a stage that ended by itself stays: the caller may not have read it all.
  void close_stage_pipes(std::size_t i) { io.close_stage(i, i + 1 == stages.size() && stages[i].running); }

  // ---- driving ------------------------------------------------------------

  // Drives the loop from the calling thread until this run is idle (never
  // for the background loop, whose own thread drives it: see api/background).
  void run_to_idle() {
    if (!lp.owns_thread()) lp.run_until([this] { return pending == 0; });
  }

  // A session stands for its remote stages: one status each, from what came
  // back; each one's reader is the next, the last one's the session's.
  static void add_remote_statuses(result& r, const stage_plan& session, const stage_state& st, stage_facts f) {
    const bool last_reader_gone = f.reader_gone;
    for (std::size_t k = 0; k < session.members.size(); ++k) {
      stage_facts m = f;
      const int part = k < st.parts.size() ? st.parts[k] : -1;
      if (part >= 0)
        m.native_status = part;
      else if (st.part_failure && st.part_failure->first == k)
        m.failure = st.part_failure->second;
      else if (st.part_failure)
        m.started = false;
      else if (!st.lost.empty() && !m.failure)
        m.failure = launch_failure{255, st.lost, true};
      m.reader_gone = k + 1 < session.members.size() || last_reader_gone;
      r.stages.push_back(make_stage_status(session.members[k], m));
    }
  }

  result build_result() {
    result r;
    r.duration = (end == clock::time_point{} ? clock::now() : end) - start;
    r.out = io.take_stdout();
    r.err = std::move(err);
    for (std::size_t i = 0; i < stages.size(); ++i) {
      const stage_state& st = stages[i];
      stage_facts f;
      f.started = st.started;
      f.failure = st.failure;
      f.native_status = st.native_status;
      f.timed_out = st.timed_out;
      f.stopped_by_us = st.stopped_by_us;
      f.signals_sent = st.sent;
      // Its reader went away: any stage but the last; the last when we closed its stream.
      f.reader_gone = i + 1 < stages.size() || io.stream_closed_by_us() || inherited.out_reader_may_leave;
      f.cause = st.cause;
      f.err_tail = st.err_tail;
      if (plan.stages[i].members.empty())
        r.stages.push_back(make_stage_status(plan.stages[i], f));
      else
        add_remote_statuses(r, plan.stages[i], st, f);
    }
    return r;
  }

};

execution::execution(launch_plan plan, run_mode mode, loop& lp, inherited_fds inherited)
    : impl_(std::make_unique<impl>(std::move(plan), mode, lp, inherited)) {
  flush_caller_output(impl_->plan);
  impl_->launch_all();
  // asio tries the first write at once, here, outside the loop's own guard.
  sigpipe_guard guard(impl_->io.feeding());
  impl_->io.start_feeding();
}

void execution::when_idle(std::function<void()> callback) {
  impl_->idle_callback = std::move(callback);
  if (impl_->pending == 0) impl_->idle_callback();
}

execution::~execution() {
  if (impl_ && !impl_->finished) abandon();
}

bool execution::read_stream(std::string& buf) {
  impl& m = *impl_;
  return m.io.read_stream(buf, [&](const std::function<bool()>& got) { m.lp.run_until(got); });
}

result execution::finish() {
  impl& m = *impl_;
  if (!m.finished) {
    m.run_to_idle();
    m.finished = true;
  }
  return m.build_result();
}

void execution::abandon() {
  impl& m = *impl_;
  if (m.finished) return;
  m.close_pipes();
  for (std::size_t i = 0; i < m.stages.size(); ++i) {
    auto& st = m.stages[i];
    if (!impl::anything_left(st)) continue;
    st.stopped_by_us = true;
    m.begin_stop(i, m.plan.stages[i].stop);
  }
  m.drop_timers_that_no_longer_matter();
  m.run_to_idle();
  m.finished = true;
}

void execution::signal_all(int sig) {
  // Not counted as pending (that count belongs to the loop's thread): the
  // run is destroyed by a task posted after this one (api/background).
  asio::post(impl_->ctx, [this, sig] { signal_here(sig); });
}

void execution::signal_here(int sig) {
  impl& m = *impl_;
  for (auto& st : m.stages) m.send(st, sig);
  // Killed: nothing may hold the job up, not even a grandchild that left
  // the group with our pipes.
  if (sig == SIGKILL) m.close_pipes();
  m.drop_timers_that_no_longer_matter();
}

std::vector<int> execution::pids() const {
  std::vector<int> out;
  for (const auto& st : impl_->stages) out.push_back(st.proc ? st.proc->pid() : -1);
  return out;
}

bool execution::launch_failed() const {
  return std::any_of(impl_->stages.begin(), impl_->stages.end(),
                     [](const impl::stage_state& s) { return s.failure.has_value(); });
}

const launch_plan& execution::plan() const { return impl_->plan; }

}  // namespace shpp::detail
