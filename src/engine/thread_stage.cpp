#include "engine/thread_stage.hpp"

#include <fcntl.h>
#include <limits.h>  // PIPE_BUF
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <istream>
#include <ostream>
#include <streambuf>
#include <system_error>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "engine/loop.hpp"
#include "model/function_body.hpp"
#include "posix/process.hpp"
#include "posix/sigpipe_guard.hpp"

namespace shpp::detail {
namespace asio = boost::asio;

namespace {

constexpr std::size_t chunk = 64 * 1024;  // one read, and the output kept before a write

struct stop_requested {};    // the stage was signalled
struct reader_went_away {};  // EPIPE on stdout: ends as SIGPIPE ends a process

// Signals that do not end a process by default never stop a function either.
bool leaves_running(int sig) { return sig == 0 || sig == SIGCONT || sig == SIGCHLD || sig == SIGWINCH || sig == SIGURG; }

// One of the stage's fds. 1) A pipe or file the run opened for the stage is
// the stage's alone: it is switched to non-blocking for the thread's life and
// its flags are restored before it closes (a group's next member gets it as
// it was). 2) The caller's own 0 or 1 is shared with other processes and
// stays blocking: it is polled before each read and written at most PIPE_BUF
// bytes after a poll, so no call blocks past a stop either way.
struct stage_fd {
  unique_fd fd;
  bool shared = false;
  int old_flags = -1;

  void make_nonblocking() {
    if (!fd || shared) return;
    const int flags = ::fcntl(fd.get(), F_GETFL);
    if (flags < 0 || (flags & O_NONBLOCK)) return;
    if (::fcntl(fd.get(), F_SETFL, flags | O_NONBLOCK) == 0) old_flags = flags;
  }
  void close() {
    if (fd && old_flags >= 0) ::fcntl(fd.get(), F_SETFL, old_flags);
    fd.reset();
  }
};

}  // namespace

struct thread_stage::worker {
  explicit worker(asio::io_context& ctx) : work(asio::make_work_guard(ctx)) {}
  ~worker() {
    // A fallback: the stage joins the thread itself, before the worker can go.
    if (thread.joinable() && thread.get_id() != std::this_thread::get_id()) thread.join();
    if (thread.joinable()) thread.detach();
  }

  handle<const function_body> body;
  std::string shown;
  stage_fd in, out;
  unique_fd wake;  // an eventfd, readable once the stage is stopped
  std::atomic<int> stop_signal{0};
  std::thread thread;
  // Written by the thread before it posts its end; read on the loop's thread after join().
  int native = 0;
  std::string cause;
  // The loop's thread only. The guard keeps the loop waiting for our end.
  thread_stage* owner = nullptr;
  asio::executor_work_guard<asio::io_context::executor_type> work;

  void check_stop() const {
    if (stop_signal.load(std::memory_order_relaxed) != 0) throw stop_requested{};
  }

  // Until `fd` is ready for `events` (or in error, which the next call reports), or the stage is stopped.
  void wait_for(int fd, short events) const {
    pollfd p[2] = {{fd, events, 0}, {wake.get(), POLLIN, 0}};
    while (true) {
      const int n = ::poll(p, 2, -1);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw std::system_error(errno, std::generic_category(), "shpp: poll");
      if (p[1].revents != 0) throw stop_requested{};
      return;
    }
  }

  std::size_t read_some(char* buf, std::size_t n) const {
    check_stop();
    if (in.shared) wait_for(in.fd.get(), POLLIN);
    while (true) {
      const ssize_t r = ::read(in.fd.get(), buf, n);
      if (r >= 0) return static_cast<std::size_t>(r);
      if (errno == EINTR) continue;
      if (errno != EAGAIN) throw std::system_error(errno, std::generic_category(), "shpp: read");
      wait_for(in.fd.get(), POLLIN);
    }
  }

  void write_all(const char* data, std::size_t n) const {
    check_stop();
    while (n > 0) {
      std::size_t len = n;
      if (out.shared) {
        wait_for(out.fd.get(), POLLOUT);
        len = std::min<std::size_t>(n, PIPE_BUF);
      }
      const ssize_t w = ::write(out.fd.get(), data, len);
      if (w >= 0) {
        data += w;
        n -= static_cast<std::size_t>(w);
      } else if (errno == EPIPE) {
        throw reader_went_away{};
      } else if (errno == EAGAIN) {
        wait_for(out.fd.get(), POLLOUT);
      } else if (errno != EINTR) {
        throw std::system_error(errno, std::generic_category(), "shpp: write");
      }
    }
  }

  void flush(std::string& pending) const {
    write_all(pending.data(), pending.size());
    pending.clear();
  }

  // Hands each line of stdin (without its '\n'; a last line without one
  // too) to `each`. The buffer holds one partial line and one chunk.
  template <class Each>
  void for_each_line(Each each) const {
    std::vector<char> buf(2 * chunk);
    std::size_t begin = 0, end = 0;
    while (true) {
      if (buf.size() - end < chunk) {
        std::memmove(buf.data(), buf.data() + begin, end - begin);
        end -= begin;
        begin = 0;
        if (buf.size() - end < chunk) buf.resize(end + 2 * chunk);  // a line longer than the buffer
      }
      const std::size_t n = read_some(buf.data() + end, buf.size() - end);
      if (n == 0) {
        if (end > begin) each(std::string_view(buf.data() + begin, end - begin));
        return;
      }
      const char* const data = buf.data();
      std::size_t at = end;
      end += n;
      while (const void* nl = std::memchr(data + at, '\n', end - at)) {
        const std::size_t stop = static_cast<std::size_t>(static_cast<const char*>(nl) - data);
        each(std::string_view(data + begin, stop - begin));
        begin = at = stop + 1;
      }
    }
  }

  void run_body();
  void run_stream(stream_transform transform);

  void main() {
    block_sigpipe_on_this_thread();
    name_this_thread("shpp-stage");
    try {
      run_body();
    } catch (const stop_requested&) {
      native = stop_signal.load();  // as a process killed by it
    } catch (const reader_went_away&) {
      native = SIGPIPE;
    } catch (const std::exception& e) {
      native = 1 << 8;  // exited with code 1
      cause = shown + " threw: " + e.what();
    } catch (...) {
      native = 1 << 8;
      cause = shown + " threw an exception that is no std::exception";
    }
    in.close();
    out.close();
  }
};

// The sink lines_of() writes to: whole lines, in chunks.
class line_sink {
 public:
  explicit line_sink(const thread_stage::worker& w) : w_(w) {}
  bool put(std::string_view line) {
    pending_.append(line);
    pending_.push_back('\n');
    if (pending_.size() >= chunk) return flush();
    return true;
  }
  // Writes what is kept; false (remembering why) when that can no longer be done.
  bool flush() {
    try {
      w_.flush(pending_);
      return true;
    } catch (const stop_requested&) {
      stopped_ = true;
    } catch (const reader_went_away&) {
      gone_ = true;
    }
    return false;
  }
  // After the source returned: the reason it may have ended early, as the thread reports it.
  void rethrow_end() const {
    if (stopped_) throw stop_requested{};
    if (gone_) throw reader_went_away{};
  }

 private:
  const thread_stage::worker& w_;
  std::string pending_;
  bool stopped_ = false;
  bool gone_ = false;
};

bool put_line(line_sink& sink, std::string_view line) { return sink.put(line); }

namespace {

// A streambuf over the stage's fds for stage(f): reads and writes in chunks,
// throwing the thread's own ends through the stream (its badbit exceptions
// are on, so they reach the thread, whatever the function does).
class fd_buf final : public std::streambuf {
 public:
  explicit fd_buf(const thread_stage::worker& w) : w_(w), buf_(chunk) {}

 protected:
  int_type underflow() override {
    const std::size_t n = w_.read_some(buf_.data(), buf_.size());
    if (n == 0) return traits_type::eof();
    setg(buf_.data(), buf_.data(), buf_.data() + n);
    return traits_type::to_int_type(buf_[0]);
  }
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) out_.push_back(traits_type::to_char_type(c));
    if (out_.size() >= chunk) w_.flush(out_);
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    out_.append(s, static_cast<std::size_t>(n));
    if (out_.size() >= chunk) w_.flush(out_);
    return n;
  }
  int sync() override {
    w_.flush(out_);
    return 0;
  }

 private:
  const thread_stage::worker& w_;
  std::vector<char> buf_;
  std::string out_;
};

template <class... Fs>
struct overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
overloaded(Fs...) -> overloaded<Fs...>;

}  // namespace

void thread_stage::worker::run_stream(stream_transform transform) {
  fd_buf ibuf(*this), obuf(*this);
  std::istream is(&ibuf);
  std::ostream os(&obuf);
  is.exceptions(std::ios::badbit);
  os.exceptions(std::ios::badbit);
  transform(body->object, is, os);
  os.flush();
}

void thread_stage::worker::run_body() {
  void* const object = body->object;
  std::string pending;
  std::visit(overloaded{
                 [&](line_test test) {
                   for_each_line([&](std::string_view line) {
                     if (!test(object, line)) return;
                     pending.append(line);
                     pending.push_back('\n');
                     if (pending.size() >= chunk) flush(pending);
                   });
                 },
                 [&](line_rewrite rewrite) {
                   for_each_line([&](std::string_view line) {
                     rewrite(object, line, pending);
                     if (pending.size() >= chunk) flush(pending);
                   });
                 },
                 [&](stream_transform transform) { run_stream(transform); },
                 [&](line_source source) {
                   in.close();  // a source reads nothing
                   line_sink sink(*this);
                   source(object, sink);
                   sink.rethrow_end();
                   sink.flush();
                   sink.rethrow_end();
                 },
             },
             body->invoke);
  flush(pending);
}

thread_stage::thread_stage(loop& lp, const stage_plan& plan) : lp_(lp), plan_(plan) {}

thread_stage::~thread_stage() {
  if (!worker_) return;
  worker_->owner = nullptr;  // an end still queued on the loop finds nobody
  if (worker_->thread.joinable()) {
    signal(SIGKILL);
    worker_->thread.join();
  }
}

std::optional<launch_failure> thread_stage::start(stage_fds fds, end_handler on_end) {
  auto w = std::make_shared<worker>(lp_.context());
  w->body = plan_.function;
  w->shown = plan_.shown;
  // An empty fd is the caller's own: a copy of it, shared and left blocking.
  if (fds.in) {
    w->in.fd = std::move(fds.in);
  } else {
    w->in.fd = duplicate(0);
    w->in.shared = true;
  }
  unique_fd& out = fds.out_to_err ? fds.err : fds.out;
  if (out) {
    w->out.fd = std::move(out);
  } else {
    w->out.fd = duplicate(fds.out_to_err ? 2 : 1);
    w->out.shared = true;
  }
  fds = {};  // the function writes no stderr: a capture of it ends now
  const int wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
  w->wake = unique_fd(wake);
  w->in.make_nonblocking();
  w->out.make_nonblocking();
  w->owner = this;
  asio::io_context& ctx = lp_.context();
  w->thread = std::thread([w, &ctx]() mutable {
    w->main();
    // Its last act: the loop learns of the end, joins, and reports it.
    asio::post(ctx, [w = std::move(w)] {
      if (w->owner) w->owner->ended();
    });
  });
  worker_ = std::move(w);
  on_end_ = std::move(on_end);
  active_ = true;
  return std::nullopt;
}

void thread_stage::ended() {
  worker& w = *worker_;
  w.thread.join();
  w.owner = nullptr;
  w.work.reset();
  active_ = false;
  const wait_status end{w.native, std::move(w.cause)};
  end_handler on_end = std::move(on_end_);
  on_end(end);
}

void thread_stage::signal(int sig) {
  if (!active_ || leaves_running(sig)) return;
  int none = 0;
  worker_->stop_signal.compare_exchange_strong(none, sig);
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(worker_->wake.get(), &one, sizeof one);
}

}  // namespace shpp::detail
