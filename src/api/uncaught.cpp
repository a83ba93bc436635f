#include "shpp/uncaught.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>     // std::fflush
#include <cstdlib>    // std::exit
#include <exception>  // std::set_terminate, std::current_exception
#include <iostream>   // std::cout, std::cerr, std::clog
#include <string>
#include <string_view>

#include "posix/fd.hpp"  // detail::write_all
#include "shpp/error.hpp"

namespace shpp {
namespace {

std::terminate_handler previous_handler = nullptr;
std::atomic<bool> ending{false};


[[noreturn]] void end_on_uncaught() noexcept {
  const std::exception_ptr current = std::current_exception();
  if (!current) {  // std::terminate() called directly: not ours to explain
    if (previous_handler) previous_handler();
    std::abort();
  }
  std::string text;
  int status = 1;
  try {
    std::rethrow_exception(current);
  } catch (const error& e) {
    text = e.what();
    const int code = e.failed_stage().shell_code();
    status = code == 0 ? 1 : code;  // a failure never exits 0 (as `set -e` after a non-zero $?)
  } catch (const std::exception& e) {
    text = e.what();
  } catch (...) {
    text = "shpp: an exception of unknown type was not caught";
  }
  if (text.empty() || text.back() != '\n') text += '\n';
  // A second uncaught exception (another thread, a static destructor during
  // exit): the first one tells the story; end at once.
  if (ending.exchange(true)) ::_exit(status);
  // The script's own output first, in its order, then the message. Once
  // flushed, exit() finds the buffers empty: nothing is written twice.
  std::cout.flush();
  std::clog.flush();
  std::cerr.flush();
  std::fflush(stdout);
  std::fflush(stderr);
  detail::write_all(2, text);
  // exit(), not _exit(): files the script still has open are flushed and
  // atexit handlers run, as when main() returns.
  std::exit(status);
}

}  // namespace

void install_uncaught_handler() {
  const std::terminate_handler old = std::set_terminate(end_on_uncaught);
  if (old != end_on_uncaught) previous_handler = old;
}

}  // namespace shpp
