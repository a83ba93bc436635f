// A stage that is a C++ function (filter, map, stage, lines_of) on a thread
// of its own, reading and writing the fds its run wired for it, as a process
// would. Its end is reported from the loop. Stopping it (a timeout, kill(),
// an abandoned run) wakes it through an eventfd: it closes its fds, ends,
// and is joined on the loop's thread; no thread outlives the stage.
#pragma once

#include <memory>

#include "engine/stage.hpp"
#include "plan/plan.hpp"

namespace shpp::detail {

class loop;

class thread_stage final : public stage {
 public:
  /// `plan` (whose `function` is what to run) must outlive the stage.
  thread_stage(loop& lp, const stage_plan& plan);
  ~thread_stage() override;

  std::optional<launch_failure> check() const override { return std::nullopt; }
  std::optional<launch_failure> start(stage_fds fds, end_handler on_end) override;
  /// Any signal that would end a process ends the function: it stops at its
  /// next read or write (a function busy in its own code is not interrupted).
  void signal(int sig) override;
  bool anything_left() const override { return active_; }
  int pid() const override { return -1; }

  struct worker;  // what the thread shares with the stage

 private:
  void ended();

  loop& lp_;
  const stage_plan& plan_;
  std::shared_ptr<worker> worker_;
  end_handler on_end_;
  bool active_ = false;
};

}  // namespace shpp::detail
