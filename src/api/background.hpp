// A spawned pipeline: its run lives on the background loop, whose one thread
// keeps the pipes of every job flowing while callers do other work (no
// thread per job). The run is created, finished and destroyed on that
// thread; callers wait for it to go idle.
//
// After fork(), a job in the child belongs to the parent: it is inert there
// (wait() throws std::logic_error, signals go nowhere, destruction touches
// nothing), so that the child never acts on the parent's processes.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "engine/execution.hpp"
#include "engine/loop.hpp"

namespace shpp::detail {

class background {
 public:
  explicit background(launch_plan plan);
  ~background();
  background(const background&) = delete;
  background& operator=(const background&) = delete;

  std::vector<int> pids() const { return pids_; }
  bool running() const;
  bool launch_failed() const { return launch_failed_; }
  result wait();
  void signal(int sig);

 private:
  bool in_forked_child() const;
  void wait_idle();

  pid_t owner_;  // the process that spawned it
  loop_ptr loop_;
  std::unique_ptr<execution> exec_;
  std::vector<int> pids_;
  bool launch_failed_ = false;
  mutable std::mutex mutex_;
  std::condition_variable idle_cv_;
  bool idle_ = false;  // set on the loop's thread
  std::optional<result> result_;
  std::optional<launch_plan> failed_plan_;  // when it could not start at all
};

}  // namespace shpp::detail
