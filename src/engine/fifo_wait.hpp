// Redirections to or from a named pipe (FIFO) wait for its other end on the
// loop, not in the caller: Bash's `cat < fifo &` does not block the shell,
// and a .timeout() bounds the wait as it bounds the run. The stage starts
// once every FIFO it redirects is open; until then it can be stopped like a
// running one (it then ends as if killed by the signal that stopped it).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "engine/stage.hpp"

namespace shpp::detail {

/// A FIFO one of a stage's streams is redirected to or from.
struct fifo_redirect {
  int stream;  // 0, 1 or 2
  std::string path;
  int flags;  // O_RDONLY, or O_WRONLY with O_APPEND/O_TRUNC
};

/// True if `path` is a named pipe (stat() follows symlinks, as open() does).
bool is_fifo(const std::string& path);

class fifo_wait final : public stage {
 public:
  fifo_wait(boost::asio::io_context& ctx, std::unique_ptr<stage> inner, std::vector<fifo_redirect> fifos);
  ~fifo_wait() override;

  std::optional<launch_failure> check() const override { return inner_->check(); }
  std::optional<launch_failure> start(stage_fds fds, end_handler on_end) override;
  void signal(int sig) override;
  bool anything_left() const override { return waiting_ || inner_->anything_left(); }
  int pid() const override { return inner_->pid(); }

 private:
  struct waiter;
  void open_next();
  void opened(unique_fd fd);
  void give_up(const stage_end& end);

  boost::asio::io_context& ctx_;
  std::unique_ptr<stage> inner_;
  std::vector<fifo_redirect> fifos_;
  std::size_t next_ = 0;
  stage_fds fds_;
  end_handler on_end_;
  bool waiting_ = false;
  std::unique_ptr<waiter> waiter_;
};

}  // namespace shpp::detail
