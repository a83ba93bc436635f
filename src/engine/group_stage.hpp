// A stage that runs a list, a negation or a group (`a && b || c`, `! a`,
// `{ a; b; }`) with the fds its run wired for it: every command inside gets
// them as its own stdin, stdout and stderr, so a group's members read one
// stdin in turn and write one stdout. Each member is a run of its own on the
// same loop, started when the one before it ended: no thread, no shell.
//
// Statuses follow Bash under `set -e -o pipefail`: `a ; b` stops at a failing
// `a`; `a && b` and `a || b` run b by a's status, and a failure left of the
// last `&&`/`||` stops nothing (only the list's final status counts); `!`
// inverts and never stops anything.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/execution.hpp"
#include "engine/stage.hpp"
#include "plan/plan.hpp"

namespace shpp::detail {

class loop;

class group_stage final : public stage {
 public:
  /// `plan` (whose `group` is what to run) must outlive the stage. With
  /// `own_groups`, every process inside leads a process group of its own.
  /// With `reader_may_leave`, a member's SIGPIPE on stdout is no failure.
  group_stage(loop& lp, const stage_plan& plan, bool own_groups, bool reader_may_leave);
  ~group_stage() override;

  std::optional<launch_failure> check() const override;
  std::optional<launch_failure> start(stage_fds fds, end_handler on_end) override;
  void signal(int sig) override;
  bool anything_left() const override { return active_; }
  int pid() const override { return -1; }

  /// How a member, or a list of them, ended.
  struct outcome {
    bool ok = true;
    int code = 0;           // $? of it
    int signal = 0;         // the signal that killed the command that decided it, or 0
    bool stops_list = true;  // a failure here ends a `;` sequence (set -e): not left of `&&`/`||`, not under `!`
    std::string cause;      // what decided it, when not ok
  };

 private:
  using next = std::function<void(outcome)>;
  void run(const node& n, next then);
  void run_member(const node& n, next then);
  void run_substitutions(const node& n, std::vector<const node*> subs, std::size_t i, next then);
  void start_member(const node& n, next then);
  void member_ended(next then);
  void finish(outcome o);

  loop& lp_;
  const stage_plan& plan_;
  bool own_groups_;
  bool reader_may_leave_;
  stage_fds fds_;
  end_handler on_end_;
  std::unique_ptr<execution> member_;  // the member (or a substitution of it) running now
  substitution_outputs outputs_;       // what the member's $(...) printed
  bool active_ = false;
  int stopped_by_ = 0;  // a signal that ends the whole group: no member starts after it
};

}  // namespace shpp::detail
