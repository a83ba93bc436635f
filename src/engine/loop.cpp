#include "engine/loop.hpp"


#include <condition_variable>
#include <exception>
#include <mutex>
#include <new>

#include <boost/asio/post.hpp>

#include "posix/process.hpp"
#include "posix/sigpipe_guard.hpp"

namespace shpp::detail {
namespace asio = boost::asio;

namespace {

thread_local std::weak_ptr<loop> this_thread_loop;
std::mutex background_mutex;
std::weak_ptr<loop>* background_loop = new std::weak_ptr<loop>();  // never destroyed: jobs may outlive main()

// In a forked child the parent's loops are not ours (the background thread
// does not even exist): forget them, so that new runs make their own. (The
// mutex may have been held by a thread that does not exist here either.)
void forget_loops_after_fork() {
  this_thread_loop.reset();
  new (&background_mutex) std::mutex;
  background_loop = new std::weak_ptr<loop>();  // the old one still points into the parent's state: left alone
}

const bool fork_handler_registered = call_in_forked_child(forget_loops_after_fork);

}  // namespace

loop::loop(bool with_thread)
    : ctx_(with_thread ? BOOST_ASIO_CONCURRENCY_HINT_DEFAULT : 1), work_(asio::make_work_guard(ctx_)) {
  if (!with_thread) {
    work_.reset();  // driven by its callers: it may run out of work
    return;
  }
  thread_ = std::thread([this] {
    // A write to a child's stdin that stopped reading must cost an EPIPE on
    // this thread, never the process's life.
    block_sigpipe_on_this_thread();
    name_this_thread("shpp-jobs");
    ctx_.run();
  });
}

loop::~loop() {
  if (!thread_.joinable()) return;
  work_.reset();
  ctx_.stop();
  thread_.join();
}

loop_ptr loop::of_this_thread() {
  (void)fork_handler_registered;
  if (loop_ptr lp = this_thread_loop.lock()) return lp;
  auto lp = std::make_shared<loop>(false);
  this_thread_loop = lp;
  return lp;
}

loop_ptr loop::background() {
  std::lock_guard lock(background_mutex);
  if (loop_ptr lp = background_loop->lock()) return lp;
  auto lp = std::make_shared<loop>(true);
  *background_loop = lp;
  return lp;
}

void loop::run_until(const std::function<bool()>& done) {
  // Any run on this loop may write to a child's stdin meanwhile: a child that
  // stopped reading must cost an EPIPE, never the caller's life.
  sigpipe_guard guard(true);
  while (!done()) {
    // An io_context that ran out of work stops itself; lines() may then
    // start a new read after the last process is gone and must restart it.
    if (ctx_.stopped()) ctx_.restart();
    if (ctx_.run_one() == 0) break;  // nothing on this loop waits for anything
  }
}

void loop::run_on_thread(const std::function<void()>& task) {
  std::mutex m;
  std::condition_variable cv;
  bool finished = false;
  std::exception_ptr failure;
  asio::post(ctx_, [&] {
    try {
      task();
    } catch (...) {
      failure = std::current_exception();
    }
    std::lock_guard lock(m);
    finished = true;
    cv.notify_one();
  });
  std::unique_lock lock(m);
  cv.wait(lock, [&] { return finished; });
  if (failure) std::rethrow_exception(failure);
}

}  // namespace shpp::detail
