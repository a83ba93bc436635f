// A spawned pipeline: its execution driven to the end on a thread of its own,
// so that its pipes keep flowing while the caller does other work.
#pragma once

#include <atomic>
#include <exception>
#include <optional>
#include <thread>

#include "engine/execution.hpp"

namespace shpp::detail {

class background {
 public:
  explicit background(launch_plan plan);
  ~background();

  std::vector<int> pids() const { return exec_.pids(); }
  bool running() const { return !done_.load(); }
  bool launch_failed() const { return exec_.launch_failed(); }
  result wait();
  void signal(int sig) { exec_.signal_all(sig); }

 private:
  execution exec_;
  std::optional<result> result_;
  std::exception_ptr failure_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace shpp::detail
