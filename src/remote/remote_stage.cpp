#include "remote/remote_stage.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>

#include <boost/asio/write.hpp>

#include "engine/status_rules.hpp"  // append_to_tail
#include "remote/session_plan.hpp"
#include "remote/ssh_transport.hpp"

namespace shpp::detail {
namespace {

// ssh's reason is its last line: "ssh: connect to host h port 1: Connection
// refused", "root@h: Permission denied (publickey).", "Host key verification failed.".
std::string last_line(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  const auto nl = text.rfind('\n');
  std::string_view line = nl == std::string_view::npos ? text : text.substr(nl + 1);
  // Its own prefix ("ssh: ", "user@host: ") says nothing the message does not.
  if (const auto colon = line.find(": "); colon != std::string_view::npos &&
                                          line.substr(0, colon).find(' ') == std::string_view::npos)
    line.remove_prefix(colon + 2);
  return std::string(line);
}

unique_fd open_null(int flags) {
  int e = 0;
  return open_file("/dev/null", flags, e);
}

}  // namespace

remote_stage::remote_stage(boost::asio::io_context& ctx, const stage_plan& session, bool own_group)
    : ctx_(ctx), session_(session), own_group_(own_group) {}

remote_stage::~remote_stage() = default;

std::optional<launch_failure> remote_stage::check() const { return cwd_failure(session_); }

std::string remote_stage::ssh_failure(std::string_view why) const {
  return "ssh " + session_.on->destination() + ": " + std::string(why);
}

std::optional<launch_failure> remote_stage::start(stage_fds fds, end_handler on_end) {
  const std::string nonce = make_nonce();
  channel_.emplace(nonce, session_.members.size());
  std::vector<std::string> texts;
  std::vector<std::vector<std::string>> checks;
  for (const auto& m : session_.members) {
    texts.push_back(remote_stage_text(m));
    checks.push_back(remote_glob_checks(m));
  }
  ssh_plan_ = session_;
  ssh_plan_.members.clear();
  try {
    ssh_plan_.argv = ssh_command(*session_.on, remote_script(texts, nonce, checks));
  } catch (const std::system_error& e) {
    return launch_failure{255, ssh_failure(e.what())};
  }

  // Where the user's part of ssh's stderr goes: where the run wired stderr.
  const int target = fds.err_to_out ? (fds.out ? fds.out.get() : 1) : (fds.err ? fds.err.get() : 2);
  struct stat st {};
  if (::fstat(target, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode)) {
    // A pipe (a capture this loop reads, or the caller's): a fresh open file
    // description of it, so that its non-blocking mode is ours alone.
    const std::string path = "/proc/self/fd/" + std::to_string(target);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd >= 0) target_.emplace(ctx_, fd);
  }
  if (!target_) target_fd_ = duplicate(target);  // a file, a terminal: written as they are
  pipe_fds err = make_pipe();
  fds.err = std::move(err.write);
  fds.err_to_out = false;

  ssh_ = std::make_unique<process_stage>(ctx_, ssh_plan_, own_group_);
  if (auto failure = ssh_->start(std::move(fds), [this](const stage_end& end) {
        ssh_end_ = end;
        finish_if_done();
      }))
    return failure;
  on_end_ = std::move(on_end);
  stderr_.emplace(ctx_, err.read.release());
  read_stderr();
  return std::nullopt;
}

void remote_stage::read_stderr() {
  stderr_->async_read_some(boost::asio::buffer(buf_), [this](boost::system::error_code ec, std::size_t n) {
    if (ec) {
      stderr_done_ = true;
      std::string rest = channel_->finish();
      if (!channel_->begun()) {
        append_to_tail(ssh_text_, rest);
        rest.clear();
      }
      return forward(std::move(rest));
    }
    std::string user = channel_->feed(std::string_view(buf_.data(), n));
    if (pending_signal_ != 0 && channel_->begun()) signal_remote(std::exchange(pending_signal_, 0));
    if (!channel_->begun()) {  // ssh's own words (warnings, or why it failed)
      append_to_tail(ssh_text_, user);
      user.clear();
    }
    forward(std::move(user));
  });
}

// One chunk at a time: the next read waits for this write, so a slow reader
// of stderr slows the session down instead of filling our memory.
void remote_stage::forward(std::string text) {
  append_to_tail(tail_, text);
  if (!text.empty() && target_) {
    queue_ = std::move(text);
    boost::asio::async_write(*target_, boost::asio::buffer(queue_), [this](boost::system::error_code, std::size_t) {
      queue_.clear();  // a reader that left takes nothing more, as for any stage
      stderr_done_ ? finish_if_done() : read_stderr();
    });
    return;
  }
  write_all(target_fd_.get(), text);
  stderr_done_ ? finish_if_done() : read_stderr();
}

void remote_stage::finish_if_done() {
  if (ended_ || !ssh_end_ || !stderr_done_ || !queue_.empty() || killer_running_) return;
  ended_ = true;
  boost::system::error_code ignored;
  if (target_) target_->close(ignored);
  target_fd_.reset();
  stderr_->close(ignored);
  on_end_(decode());
}

// 1) A stage that reported has its status. 2) One that did not, after we
// signalled the session, died of that signal. 3) Else ssh failed: before the
// session began (connect, authentication, host key) or after (the connection
// dropped); either is ssh's failure, never a status 255 of the command.
stage_end remote_stage::decode() const {
  if (auto* f = std::get_if<launch_failure>(&*ssh_end_)) return *f;
  wait_status w{std::get<wait_status>(*ssh_end_).native};
  if (const auto& none = channel_->no_match()) {  // the session started nothing
    const stage_plan& m = session_.members[none->first];
    w.parts.assign(session_.members.size(), -1);
    w.part_failure = std::pair{none->first, launch_failure{1, "no match: " + m.remote_globs.at(none->second)}};
    return w;
  }
  bool all = true;
  for (const auto& s : channel_->statuses()) {
    w.parts.push_back(s ? wait_status_of(*s) : -1);
    all = all && s.has_value();
  }
  if (all) return w;
  if (sent_ != 0) {
    if (!WIFSIGNALED(w.native)) w.native = sent_;
  } else if (!channel_->begun()) {
    const std::string why = last_line(ssh_text_);
    w.lost = ssh_failure(why.empty() ? "ssh exited with code " + std::to_string(WEXITSTATUS(w.native)) : why);
  } else {
    const std::string why = last_line(tail_);
    w.lost = ssh_failure("connection lost" + (why.empty() ? std::string() : " (" + why + ")"));
  }
  return w;
}

// 1) Before the session began, the signal waits for it (its group is not
// known yet); only SIGKILL (the end of a stop policy's grace: a connection
// that hangs) stops the local ssh at once. 2) After, the remote group gets
// it over the connection: a killed local ssh alone would leave the remote
// command running while a control master keeps the connection up.
void remote_stage::signal(int sig) {
  if (!ssh_ || ended_) return;
  sent_ = sig;
  if (channel_->begun())
    signal_remote(sig);
  else
    pending_signal_ = sig;
  if (sig == SIGKILL) ssh_->signal(sig);
}

void remote_stage::signal_remote(int sig) {
  if (killer_running_ || !ssh_->anything_left()) return;
  kill_plan_ = ssh_plan_;
  kill_plan_.argv = ssh_command(*session_.on, remote_kill(sig, channel_->group()));
  killer_ = std::make_unique<process_stage>(ctx_, kill_plan_, false);
  stage_fds quiet;
  quiet.in = open_null(O_RDONLY);
  quiet.out = open_null(O_WRONLY);
  quiet.err = open_null(O_WRONLY);
  if (killer_->start(std::move(quiet), [this](const stage_end& end) {
        killer_running_ = false;
        // The connection is gone too: the local ssh is all we can stop.
        auto* w = std::get_if<wait_status>(&end);
        if (!w || w->native != 0) ssh_->signal(SIGTERM);
        finish_if_done();
      }))
    ssh_->signal(sig);
  else
    killer_running_ = true;
}

bool remote_stage::anything_left() const { return ssh_ && !ended_; }

}  // namespace shpp::detail
