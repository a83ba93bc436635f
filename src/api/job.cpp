#include "shpp/job.hpp"

#include <csignal>
#include <stdexcept>

#include "api/background.hpp"
#include "engine/status_rules.hpp"

namespace shpp::detail {

background::background(launch_plan plan) : exec_(std::move(plan), run_mode::background) {
  thread_ = std::thread([this] {
    try {
      result_ = exec_.finish();
    } catch (...) {
      failure_ = std::current_exception();
    }
    done_ = true;
  });
}

background::~background() {
  if (!thread_.joinable()) return;
  if (!done_) exec_.signal_all(SIGKILL);  // never leave a zombie, nor a process nobody waits for
  thread_.join();
}

result background::wait() {
  if (thread_.joinable()) thread_.join();
  if (failure_) std::rethrow_exception(failure_);
  return throw_if_failed(exec_.plan(), *result_);
}

}  // namespace shpp::detail

namespace shpp {

job::job(detail::background* impl) noexcept : impl_(impl) {}
job::job(job&& o) noexcept : impl_(std::exchange(o.impl_, nullptr)) {}
job& job::operator=(job&& o) noexcept {
  if (this != &o) {
    delete impl_;
    impl_ = std::exchange(o.impl_, nullptr);
  }
  return *this;
}
job::~job() { delete impl_; }

static detail::background& get(detail::background* impl) {
  if (!impl) throw std::logic_error("shpp::job: used after being moved from");
  return *impl;
}

int job::pid() const {
  const int last = get(impl_).pids().back();
  // -1 would make kill(pid, ...) signal every process we may signal.
  if (last <= 0) throw std::logic_error("shpp::job::pid: the last stage never started");
  return last;
}
std::vector<int> job::pids() const { return get(impl_).pids(); }
bool job::running() const { return get(impl_).running(); }
result job::wait() { return get(impl_).wait(); }
void job::kill() { get(impl_).signal(SIGKILL); }
void job::signal(int sig) { get(impl_).signal(sig); }

}  // namespace shpp
