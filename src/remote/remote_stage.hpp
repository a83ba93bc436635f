// A stage that is an ssh session running one or more adjacent remote stages
// (plan/merge_sessions): a local ssh process (a process_stage) whose remote
// command is the session script (side_channel.hpp). Its stderr comes to us:
// the reports are taken out, the rest goes where the stage's stderr was
// wired. It ends when ssh has ended and its stderr is drained, with one
// wait status per remote stage; a session that never began, or whose
// connection dropped, ends as ssh's failure ("ssh web1: Permission denied").
//
// Stopping: the remote group is signalled over a second (multiplexed) ssh
// command, since a killed local ssh does not end a remote command while the
// control master lives; the script's watcher covers a dead connection.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "engine/process_stage.hpp"
#include "engine/stage.hpp"
#include "plan/plan.hpp"
#include "remote/side_channel.hpp"

namespace shpp::detail {

class remote_stage final : public stage {
 public:
  /// `session` (with members) must outlive the stage.
  remote_stage(boost::asio::io_context& ctx, const stage_plan& session, bool own_group);
  ~remote_stage() override;

  std::optional<launch_failure> check() const override;
  std::optional<launch_failure> start(stage_fds fds, end_handler on_end) override;
  void signal(int sig) override;
  bool anything_left() const override;
  int pid() const override { return ssh_ ? ssh_->pid() : -1; }

 private:
  void read_stderr();
  void forward(std::string text);
  void write_queued();
  void finish_if_done();
  void signal_remote(int sig);
  stage_end decode() const;
  std::string ssh_failure(std::string_view why) const;

  boost::asio::io_context& ctx_;
  const stage_plan& session_;
  bool own_group_;
  stage_plan ssh_plan_;   // the local ssh process
  stage_plan kill_plan_;  // a remote kill in flight
  std::unique_ptr<process_stage> ssh_;
  std::unique_ptr<process_stage> killer_;
  std::optional<side_channel> channel_;
  std::optional<boost::asio::posix::stream_descriptor> stderr_;  // ssh's stderr, read here
  std::optional<boost::asio::posix::stream_descriptor> target_;  // where the user's stderr goes, when it may block
  unique_fd target_fd_;                                          // the same, written directly (a file, /dev/null)
  std::string queue_;      // user's stderr on its way
  std::string ssh_text_;   // what ssh (or the login) wrote before the session began: ssh's reason
  std::string tail_;       // the end of the user's stderr after it began: a dropped connection says why there
  std::array<char, 16384> buf_{};
  end_handler on_end_;
  std::optional<stage_end> ssh_end_;
  bool stderr_done_ = false;
  bool killer_running_ = false;
  bool ended_ = false;
  int sent_ = 0;            // the last signal sent, for stages that did not report
  int pending_signal_ = 0;  // sent before the session began: delivered when it does
};

}  // namespace shpp::detail
