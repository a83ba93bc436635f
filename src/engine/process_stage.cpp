#include "engine/process_stage.hpp"

#include <signal.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include <boost/process/v2/process.hpp>

#include "posix/environment.hpp"
#include "posix/process.hpp"
#include "posix/spawn.hpp"
#include "shpp/quote.hpp"

namespace shpp::detail {
namespace bp2 = boost::process::v2;

using process_type = bp2::basic_process<boost::asio::io_context::executor_type>;

struct process_stage::handle {
  process_type proc;
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
  const stage_plan& s = plan_;
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
    proc_.reset(new handle{process_type(ctx_.get_executor(), pid, pidfd)});
  } catch (const std::exception& e) {
    if (pidfd >= 0 && !proc_) unique_fd(pidfd).reset();
    kill_and_reap(pid);
    return launch_failure{126, "cannot watch " + quote(s.argv.front()) + ": " + e.what()};
  }
  pid_ = pid;
  running_ = true;
  // The handle's wait reports the native status; the process's would decode it (badly: see status rules).
  proc_->proc.handle().async_wait([this, on_end = std::move(on_end)](boost::system::error_code ec, int native) {
    running_ = false;
    // Reaped: the handle must not signal or wait for this pid again (it may be reused).
    proc_->proc.detach();
    if (ec)
      on_end(launch_failure{1, "cannot get the exit status: " + ec.message()});
    else
      on_end(wait_status{native});
  });
  return std::nullopt;  // the child's ends of the fds close here, in the parent
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
