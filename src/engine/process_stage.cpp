#include "engine/process_stage.hpp"

#include <signal.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include <boost/asio/posix/stream_descriptor.hpp>

#include "posix/environment.hpp"
#include "posix/process.hpp"
#include "posix/spawn.hpp"
#include "shpp/quote.hpp"

namespace shpp::detail {

// The child's pidfd, watched on the loop. Not Boost.Process v2's handle: in
// 1.81 its async_wait ends in a blocking waitpid(pid, 0), so one readiness
// report that turns out early (seen under many concurrent jobs) stalls the
// whole loop until that child exits; we reap with WNOHANG and wait again.
struct process_stage::handle {
  boost::asio::posix::stream_descriptor pidfd;
};

namespace {

launch_failure exec_failure(const stage_plan& s, int e) {
  const std::string prog = quote(s.argv.front());
  switch (e) {
    case ENOENT: return {127, "no such file or directory: " + prog};
    case EACCES: return {126, "permission denied: " + prog};
    case ENOEXEC: return {126, "cannot execute " + prog + ": exec format error"};
    default: return {126, "cannot execute " + prog + ": " + std::strerror(e)};
  }
}

}  // namespace

process_stage::process_stage(boost::asio::io_context& ctx, const stage_plan& plan, bool own_group)
    : ctx_(ctx), plan_(plan), own_group_(own_group) {}

process_stage::~process_stage() = default;

std::optional<launch_failure> process_stage::check() const {
  if (!plan_.no_match.empty()) return launch_failure{1, "no match: " + plan_.no_match};
  return cwd_failure(plan_);
}

std::optional<launch_failure> cwd_failure(const stage_plan& s) {
  if (s.cwd)
    if (const int e = directory_error(s.cwd->c_str()))
      return launch_failure{1, "cannot cd to " + quote(s.cwd->string()) + ": " + std::strerror(e)};
  return std::nullopt;
}

std::optional<launch_failure> process_stage::start(stage_fds fds, end_handler on_end) {
  const stage_plan& s = plan_;
  spawn_request req;
  req.argv = &s.argv;
  req.cwd = &s.cwd;
  req.new_process_group = own_group_;
  req.stdin_fd = fds.in.get();
  req.stdout_fd = fds.out.get();
  req.stderr_fd = fds.err.get();
  req.stdout_to_stderr = fds.out_to_err;
  req.stderr_to_stdout = fds.err_to_out;
  for (const auto& fd : fds.extra) req.extra_fds.push_back(fd.get());

  environment_block env(s);
  req.envp = env.envp();
  int lookup_error = 0;
  req.program = find_program(s.argv.front(), env.find("PATH"), s.cwd ? &*s.cwd : nullptr, lookup_error);
  if (req.program.empty()) {
    if (lookup_error == EACCES) return launch_failure{126, "permission denied: " + quote(s.argv.front())};
    return launch_failure{127, "command not found: " + quote(s.argv.front())};
  }

  const pid_t pid = spawn_process(req);
  if (pid < 0) return exec_failure(s, -pid);
  // Adopt it into a process handle (pidfd). If that fails, the child must
  // not outlive this function unreaped.
  const int pidfd = open_pidfd(pid);
  try {
    if (pidfd < 0) throw std::system_error(errno, std::generic_category(), "pidfd_open");
    proc_.reset(new handle{boost::asio::posix::stream_descriptor(ctx_, pidfd)});
  } catch (const std::exception& e) {
    if (pidfd >= 0 && !proc_) unique_fd(pidfd).reset();
    kill_and_reap(pid);
    return launch_failure{126, "cannot watch " + quote(s.argv.front()) + ": " + e.what()};
  }
  pid_ = pid;
  running_ = true;
  wait_for_exit(std::move(on_end));
  return std::nullopt;  // the child's ends of the fds close here, in the parent
}

void process_stage::wait_for_exit(end_handler on_end) {
  proc_->pidfd.async_wait(boost::asio::posix::descriptor_base::wait_read,
                          [this, on_end = std::move(on_end)](boost::system::error_code ec) mutable {
                            int status = 0;
                            const int reaped = ec ? -1 : reap_if_exited(pid_, status);
                            if (reaped == 0) return wait_for_exit(std::move(on_end));  // not yet: wait again
                            const int e = errno;
                            running_ = false;
                            // Reaped: the pid may be reused now, so nothing may wait for or signal it again.
                            boost::system::error_code ignored;
                            proc_->pidfd.close(ignored);
                            if (reaped < 0)
                              on_end(launch_failure{1, "cannot get the exit status: " + (ec ? ec.message() : std::string(std::strerror(e)))});
                            else
                              on_end(wait_status{status});
                          });
}

// A reaped leader's process group may still hold grandchildren. While it has
// members its id stays reserved, so signalling it cannot hit a stranger.
bool process_stage::anything_left() const { return running_ || (own_group_ && pid_ > 0 && group_has_live_members(pid_)); }

void process_stage::signal(int sig) {
  if (!anything_left()) return;
  // Its whole group when it has one; else the process while it is still our
  // unreaped child (its pid cannot have been reused).
  own_group_ ? signal_group(pid_, sig) : signal_process(pid_, sig);
  // A stopped process only sees SIGTERM once continued.
  if (sig == SIGTERM) own_group_ ? signal_group(pid_, SIGCONT) : signal_process(pid_, SIGCONT);
}

}  // namespace shpp::detail
