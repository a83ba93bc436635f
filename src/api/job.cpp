#include "shpp/job.hpp"

#include <unistd.h>

#include <csignal>
#include <stdexcept>
#include <string>
#include <system_error>

#include "api/background.hpp"
#include "engine/status_rules.hpp"

namespace shpp::detail {

background::background(launch_plan plan) : owner_(::getpid()) {
  try {
    loop_ = loop::background();
  } catch (const std::system_error& e) {  // no thread to drive jobs (RLIMIT_NPROC): nothing can start
    result_ = unstarted_result(plan, {126, "cannot start a thread to drive the job: " + std::string(e.what())});
    failed_plan_ = std::move(plan);
    pids_.assign(failed_plan_->stages.size(), -1);
    launch_failed_ = true;
    idle_ = true;
    return;
  }
  loop_->run_on_thread([&] {
    exec_ = std::make_unique<execution>(std::move(plan), run_mode::background, *loop_);
    pids_ = exec_->pids();
    launch_failed_ = exec_->launch_failed();
    exec_->when_idle([this] {
      std::lock_guard lock(mutex_);
      idle_ = true;
      idle_cv_.notify_all();
    });
  });
}

background::~background() {
  if (!exec_) return;  // it never started
  if (in_forked_child()) {
    (void)exec_.release();          // the parent's: never touched here,
    (void)new loop_ptr(std::move(loop_));  // nor its loop, whose thread is not in this process
    return;
  }
  if (running()) exec_->signal_all(SIGKILL);  // never leave a zombie, nor a process nobody waits for
  wait_idle();
  loop_->run_on_thread([&] { exec_.reset(); });
}

bool background::in_forked_child() const { return ::getpid() != owner_; }

bool background::running() const {
  if (in_forked_child()) return false;
  std::lock_guard lock(mutex_);
  return !idle_;
}

void background::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_cv_.wait(lock, [&] { return idle_; });
}

result background::wait() {
  if (in_forked_child())
    throw std::logic_error("shpp::job: this job was spawned by the parent process; a forked child cannot wait for it");
  wait_idle();
  if (!exec_) return throw_if_failed(*failed_plan_, *result_);
  if (!result_) loop_->run_on_thread([&] { result_ = exec_->finish(); });
  return throw_if_failed(exec_->plan(), *result_);
}

void background::signal(int sig) {
  if (!exec_ || in_forked_child()) return;
  exec_->signal_all(sig);
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
