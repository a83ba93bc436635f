#include "engine/fifo_wait.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "posix/process.hpp"  // ends_stage
#include "shpp/quote.hpp"

namespace shpp::detail {
namespace {

// A writer finds no event that says a reader came: it tries again, from 1 ms
// up to every 50 ms.
constexpr std::chrono::milliseconds first_retry{1};
constexpr std::chrono::milliseconds max_retry{50};

void set_blocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
}

}  // namespace

bool is_fifo(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
}

struct fifo_wait::waiter {
  explicit waiter(boost::asio::io_context& ctx) : readable(ctx), retry(ctx) {}
  boost::asio::posix::stream_descriptor readable;  // a reader's FIFO, until a writer came
  boost::asio::steady_timer retry;                 // a writer's next try
  std::chrono::milliseconds delay = first_retry;
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);
};

fifo_wait::fifo_wait(boost::asio::io_context& ctx, std::unique_ptr<stage> inner, std::vector<fifo_redirect> fifos)
    : ctx_(ctx), inner_(std::move(inner)), fifos_(std::move(fifos)), waiter_(std::make_unique<waiter>(ctx)) {}

fifo_wait::~fifo_wait() { *waiter_->alive = false; }

std::optional<launch_failure> fifo_wait::start(stage_fds fds, end_handler on_end) {
  fds_ = std::move(fds);
  on_end_ = std::move(on_end);
  waiting_ = true;
  // From the loop: the run counts the stage as started only once start() returns.
  boost::asio::post(ctx_, [this, alive = waiter_->alive] {
    if (*alive && waiting_) open_next();
  });
  return std::nullopt;
}

void fifo_wait::open_next() {
  if (next_ == fifos_.size()) {
    waiting_ = false;
    end_handler on_end = on_end_;
    if (auto failure = inner_->start(std::move(fds_), std::move(on_end_))) on_end(*failure);
    return;
  }
  const fifo_redirect& f = fifos_[next_];
  const int fd = ::open(f.path.c_str(), f.flags | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 && errno == ENXIO && (f.flags & O_ACCMODE) == O_WRONLY) {  // no reader yet
    waiter_->retry.expires_after(waiter_->delay);
    waiter_->delay = std::min(waiter_->delay * 2, max_retry);
    waiter_->retry.async_wait([this, alive = waiter_->alive](boost::system::error_code ec) {
      if (!ec && *alive && waiting_) open_next();
    });
    return;
  }
  if (fd < 0) {
    const bool reads = (f.flags & O_ACCMODE) == O_RDONLY;
    return give_up(launch_failure{1, std::string(reads ? "cannot read " : "cannot write ") + quote(f.path) + ": " +
                                         std::strerror(errno)});
  }
  if ((f.flags & O_ACCMODE) == O_WRONLY) return opened(unique_fd(fd));
  // A reader's open never blocks with O_NONBLOCK, but until a writer comes a
  // read would see end-of-file at once: wait until it has data, or a writer
  // came and went.
  waiter_->readable.assign(fd);
  waiter_->readable.async_wait(boost::asio::posix::descriptor_base::wait_read,
                               [this, alive = waiter_->alive](boost::system::error_code ec) {
                                 if (!*alive) return;
                                 const int ready = waiter_->readable.release();
                                 if (ec || !waiting_) {
                                   unique_fd(ready).reset();
                                   return;
                                 }
                                 opened(unique_fd(ready));
                               });
}

void fifo_wait::opened(unique_fd fd) {
  set_blocking(fd.get());  // the program expects a blocking stream
  const fifo_redirect& f = fifos_[next_++];
  (f.stream == 0 ? fds_.in : f.stream == 1 ? fds_.out : fds_.err) = std::move(fd);
  open_next();
}

// Ends the stage without starting it, reported from a handler of its own:
// the run may be in the middle of stopping it.
void fifo_wait::give_up(const stage_end& end) {
  waiting_ = false;
  boost::system::error_code ignored;
  waiter_->retry.cancel();
  waiter_->readable.cancel(ignored);
  fds_ = {};
  boost::asio::post(ctx_, [on_end = std::move(on_end_), end] { on_end(end); });
}

void fifo_wait::signal(int sig) {
  if (!waiting_) return inner_->signal(sig);
  // Not started yet: a signal that would end it ends the wait. Others wait for it to start.
  if (ends_stage(sig)) give_up(wait_status{sig});
}

}  // namespace shpp::detail
