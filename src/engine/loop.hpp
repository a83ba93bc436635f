// The loops that drive runs. A run never owns one: the calling thread's loop
// drives run(), read(), status() and lines() from that thread, any number of
// runs at once (a command run inside a lines() loop shares it); one
// background loop, on a thread of its own, drives every spawned job (no
// thread per job). A future parallel() schedules its runs on a loop the same
// way, and an app's own io_context can take this role behind an opt-in header.
//
// A loop lives while some run uses it (each holder keeps a loop_ptr), so an
// idle program holds no loop fds and no background thread. A forked child
// starts with fresh loops: the parent's are not its own.
#pragma once

#include <functional>
#include <memory>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace shpp::detail {

class loop;
using loop_ptr = std::shared_ptr<loop>;

class loop {
 public:
  /// The calling thread's loop, shared by every run this thread drives.
  static loop_ptr of_this_thread();
  /// The jobs' loop; its thread runs while some job uses it. Throws
  /// std::system_error if no thread can be started.
  static loop_ptr background();

  boost::asio::io_context& context() noexcept { return ctx_; }
  /// True for the background loop, which its own thread drives.
  bool owns_thread() const noexcept { return thread_.joinable(); }

  /// Runs handlers on the calling thread until `done()` holds, or until no
  /// run on this loop has anything left to wait for. Not for the background loop.
  void run_until(const std::function<bool()>& done);
  /// Runs `task` on the background loop's thread and waits for it; its
  /// exception, if any, is rethrown here.
  void run_on_thread(const std::function<void()>& task);

  explicit loop(bool with_thread);
  ~loop();
  loop(const loop&) = delete;
  loop& operator=(const loop&) = delete;

 private:
  boost::asio::io_context ctx_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace shpp::detail
