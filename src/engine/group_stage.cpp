#include "engine/group_stage.hpp"

#include <signal.h>

#include <boost/asio/post.hpp>

#include "engine/loop.hpp"
#include "engine/process_stage.hpp"
#include "engine/status_rules.hpp"
#include "model/render.hpp"
#include "posix/process.hpp"  // ends_stage

namespace shpp::detail {
namespace {

// How a member's run counts inside the group.
group_stage::outcome outcome_of(const result& r) {
  group_stage::outcome o;
  o.ok = r.ok();
  o.code = r.code();
  if (o.ok) return o;
  if (o.code == 0) o.code = 1;
  // Only a checked failure ends a `;` sequence: `.unchecked()` is `|| true`.
  const auto reported = stage_to_report(r);
  o.stops_list = reported.has_value();
  std::size_t i = r.stages.size() - 1;
  if (reported) {
    i = *reported;
  } else {
    while (i > 0 && r.stages[i].ok) --i;
  }
  const stage_status& s = r.stages[i];
  if (s.how == stage_status::ending::signalled) o.signal = s.signal;
  o.cause = s.cause.empty() ? s.command + ": " + s.describe() : s.cause;
  return o;
}

}  // namespace

group_stage::group_stage(loop& lp, const stage_plan& plan, bool own_groups, bool reader_may_leave)
    : lp_(lp), plan_(plan), own_groups_(own_groups), reader_may_leave_(reader_may_leave) {}

group_stage::~group_stage() = default;

std::optional<launch_failure> group_stage::check() const { return cwd_failure(plan_); }

std::optional<launch_failure> group_stage::start(stage_fds fds, end_handler on_end) {
  fds_ = std::move(fds);
  on_end_ = std::move(on_end);
  active_ = true;
  // From the loop, never from here: the run counts this stage as started only once start() returns.
  boost::asio::post(lp_.context(), [this] { run(*plan_.group, [this](outcome o) { finish(std::move(o)); }); });
  return std::nullopt;
}

void group_stage::run(const node& n, next then) {
  if (auto* l = std::get_if<list_node>(&n.kind)) {
    const node* right = l->right.get();
    const auto kind = l->kind;
    return run(*l->left, [this, right, kind, then = std::move(then)](outcome o) mutable {
      using op = list_node::op;
      // 1) `a ; b`: b runs unless a failed where set -e counts it.
      // 2) `a && b`: b runs if a succeeded; a failure of a stops nothing further out.
      // 3) `a || b`: b runs if a failed.
      bool go_on = kind == op::then ? (o.ok || !o.stops_list) : kind == op::and_then ? o.ok : !o.ok;
      if (kind == op::and_then && !o.ok) o.stops_list = false;
      if (stopped_by_ != 0) go_on = false;
      if (!go_on) return then(std::move(o));
      run(*right, std::move(then));
    });
  }
  if (auto* x = std::get_if<not_node>(&n.kind)) {
    const node* inner = x->inner.get();
    return run(*inner, [inner, then = std::move(then)](outcome o) {
      outcome inverted;
      inverted.ok = !o.ok;
      inverted.code = o.ok ? 1 : 0;
      inverted.stops_list = false;  // as set -e: a `!` pipeline never ends the script
      if (!inverted.ok) inverted.cause = render(*inner) + ": succeeded, and `!` inverts that";
      then(std::move(inverted));
    });
  }
  if (auto* g = std::get_if<group_node>(&n.kind)) return run(*g->inner, std::move(then));
  run_member(n, std::move(then));
}

namespace {

// The $(...) of a member's commands, in order: they run before it. Lists and
// groups inside it are group stages of their own, which run theirs.
void collect_substitutions(const node& n, std::vector<const node*>& subs) {
  if (auto* a = std::get_if<argv_node>(&n.kind)) {
    for (const auto& w : a->late)
      for (const auto& p : w.parts)
        if (p.what == word_part::kind::lines_of || p.what == word_part::kind::output_of) subs.push_back(p.sub.get());
  } else if (auto* p = std::get_if<pipe_node>(&n.kind)) {
    collect_substitutions(*p->left, subs);
    collect_substitutions(*p->right, subs);
  } else if (auto* m = std::get_if<modifier_node>(&n.kind)) {
    collect_substitutions(*m->inner, subs);
  }
}

}  // namespace

void group_stage::run_member(const node& n, next then) {
  std::vector<const node*> subs;
  collect_substitutions(n, subs);
  outputs_.clear();
  run_substitutions(n, std::move(subs), 0, std::move(then));
}

// Runs substitution `i` with its stdout captured, checked like any stage:
// a failure is the member's, and the member never starts.
void group_stage::run_substitutions(const node& n, std::vector<const node*> subs, std::size_t i, next then) {
  if (i == subs.size() || stopped_by_ != 0) return start_member(n, std::move(then));
  const node* sub = subs[i];
  node_ptr captured = make_node(modifier_node{stdout_op{output(capture)}, share(*sub)});
  inherited_fds own;
  own.in = fds_.in ? fds_.in.get() : -1;
  own.err = fds_.err ? fds_.err.get() : -1;
  if (fds_.err_to_out) own.err = fds_.out ? fds_.out.get() : 1;
  try {
    member_ = std::make_unique<execution>(make_member_plan(captured, plan_),
                                          own_groups_ ? run_mode::background : run_mode::foreground, lp_, own);
  } catch (const std::exception& e) {
    outcome o;
    o.ok = false;
    o.code = 126;
    o.cause = "$(" + render(*sub) + "): " + e.what();
    return then(std::move(o));
  }
  member_->when_idle([this, &n, subs = std::move(subs), i, then = std::move(then), told = false]() mutable {
    if (std::exchange(told, true)) return;
    boost::asio::post(lp_.context(), [this, &n, subs = std::move(subs), i, then = std::move(then)]() mutable {
      result r = member_->finish();
      member_.reset();
      if (!r.ok()) {
        outcome o = outcome_of(r);
        o.cause = "$(" + render(*subs[i]) + "): " + o.cause;
        return then(std::move(o));
      }
      outputs_.emplace_back(subs[i], std::move(r.out));
      run_substitutions(n, std::move(subs), i + 1, std::move(then));
    });
  });
}

void group_stage::start_member(const node& n, next then) {
  if (stopped_by_ != 0) {
    outcome o;
    o.ok = false;
    o.code = 128 + stopped_by_;
    o.signal = stopped_by_;
    return then(std::move(o));
  }
  // Where the member writes when it says nothing: this stage's fds, with its
  // 2>&1 or 1>&2 resolved (-1: the caller's own).
  inherited_fds own;
  own.in = fds_.in ? fds_.in.get() : -1;
  own.out = fds_.out ? fds_.out.get() : -1;
  own.err = fds_.err ? fds_.err.get() : -1;
  if (fds_.out_to_err) own.out = own.err >= 0 ? own.err : 2;
  if (fds_.err_to_out) own.err = own.out >= 0 ? own.out : 1;
  own.out_reader_may_leave = reader_may_leave_;
  try {
    member_ = std::make_unique<execution>(make_member_plan(share(n), plan_, &outputs_),
                                          own_groups_ ? run_mode::background : run_mode::foreground, lp_, own);
  } catch (const std::exception& e) {  // no fd, no memory: as a member that could not start
    outcome o;
    o.ok = false;
    o.code = 126;
    o.cause = render(n) + ": " + e.what();
    return then(std::move(o));
  }
  // Its end is seen from inside its own handlers: go on from a fresh one.
  member_->when_idle([this, then = std::move(then), told = false]() mutable {
    if (std::exchange(told, true)) return;
    boost::asio::post(lp_.context(), [this, then = std::move(then)]() mutable { member_ended(std::move(then)); });
  });
}

void group_stage::member_ended(next then) {
  outcome o = outcome_of(member_->finish());
  member_.reset();
  then(std::move(o));
}

void group_stage::finish(outcome o) {
  wait_status end{0, std::move(o.cause)};
  if (stopped_by_ != 0)
    end.native = stopped_by_;  // as a subshell killed by it
  else if (o.signal != 0 && !o.ok)
    end.native = o.signal;
  else if (!o.ok)
    end.native = ((o.code & 0xff) == 0 ? 1 : o.code & 0xff) << 8;  // exited with it
  fds_ = {};  // our copies of the pipes close: whoever reads them sees the end
  active_ = false;
  end_handler on_end = std::move(on_end_);
  on_end(end);
}

void group_stage::signal(int sig) {
  if (!active_) return;
  if (ends_stage(sig)) stopped_by_ = sig;  // a subshell would be gone: nothing more of the group starts
  if (member_) member_->signal_here(sig);
}

}  // namespace shpp::detail
