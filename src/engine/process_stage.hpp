// A stage that is a process: started with posix_spawn (posix/spawn.hpp),
// watched through a pidfd on the loop, signalled as a process group when it
// has one of its own.
#pragma once

#include <memory>

#include <boost/asio/io_context.hpp>

#include "engine/stage.hpp"
#include "plan/plan.hpp"

namespace shpp::detail {

/// Bash's `cd` before a redirection: why the stage's cwd cannot be entered, if it cannot.
std::optional<launch_failure> cwd_failure(const stage_plan& s);

class process_stage final : public stage {
 public:
  /// `plan` must outlive the stage. With `own_group`, the process leads a new
  /// process group, so that signals reach its children too.
  process_stage(boost::asio::io_context& ctx, const stage_plan& plan, bool own_group);
  ~process_stage() override;

  std::optional<launch_failure> check() const override;
  std::optional<launch_failure> start(stage_fds fds, end_handler on_end) override;
  void signal(int sig) override;
  bool anything_left() const override;
  int pid() const override { return pid_; }

 private:
  void wait_for_exit(end_handler on_end);

  struct handle;  // the pidfd watched on the loop, kept out of this header
  boost::asio::io_context& ctx_;
  const stage_plan& plan_;
  bool own_group_;
  int pid_ = -1;
  bool running_ = false;
  std::unique_ptr<handle> proc_;
};

}  // namespace shpp::detail
