// Keeps SIGPIPE away from the caller while we write a child's stdin: a child
// that stops reading early must cost us an EPIPE, never our life.
#pragma once

#include <signal.h>
#include <time.h>

namespace shpp::detail {

/// For a thread of ours that writes to children for its whole life.
inline void block_sigpipe_on_this_thread() noexcept {
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_only, nullptr);
}

class sigpipe_guard {
 public:
  explicit sigpipe_guard(bool active) : active_(active) {
    if (!active_) return;
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, &old_mask_);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
  }
  ~sigpipe_guard() {
    if (!active_) return;
    // A SIGPIPE raised by our own write is thread-directed and now pending:
    // consume it before the old mask could deliver it.
    sigset_t pending;
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
      sigset_t pipe_only;
      sigemptyset(&pipe_only);
      sigaddset(&pipe_only, SIGPIPE);
      const timespec zero{0, 0};
      sigtimedwait(&pipe_only, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
  }
  sigpipe_guard(const sigpipe_guard&) = delete;
  sigpipe_guard& operator=(const sigpipe_guard&) = delete;

 private:
  bool active_;
  bool was_pending_ = false;
  sigset_t old_mask_;
};

}  // namespace shpp::detail
