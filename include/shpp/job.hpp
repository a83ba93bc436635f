// A pipeline running in the background, returned by command::spawn().
#pragma once

#include <vector>

#include "shpp/result.hpp"

namespace shpp {
namespace detail {
class background;
}

/// A running pipeline, like `pipeline &` in Bash. Its processes live in their
/// own process groups, so kill() reaches their children too. Destroying a job
/// that is still running kills and reaps it: a job never leaves a zombie.
class job {
 public:
  /// Takes ownership of `impl`; command::spawn() is the way to get a job.
  explicit job(detail::background* impl) noexcept;
  job(job&&) noexcept;
  job& operator=(job&&) noexcept;
  job(const job&) = delete;
  job& operator=(const job&) = delete;
  ~job();

  /// The pid of the last stage, as Bash's $!; throws std::logic_error if it never started.
  int pid() const;
  /// Every stage's pid, left to right; -1 for a stage that never started.
  std::vector<int> pids() const;
  /// True until every stage has exited.
  bool running() const;
  /// Waits for the end; throws shpp::error as run() does. Once killed with
  /// kill(), the deaths it caused are not failures.
  result wait();
  /// Sends SIGKILL to every stage and its process group; does not wait.
  void kill();
  /// Sends `sig` to every stage and its process group; does not wait.
  void signal(int sig);

 private:
  detail::background* impl_;  // owned; a raw pointer keeps <memory> out of this header
};

}  // namespace shpp
