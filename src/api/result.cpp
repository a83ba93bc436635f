#include "shpp/result.hpp"

#include <signal.h>  // SIGPIPE
#include <string.h>  // sigabbrev_np

#include <fmt/format.h>  // fmt::format

namespace shpp {
namespace {

std::string signal_name(int sig) {
  if (const char* abbrev = ::sigabbrev_np(sig)) return fmt::format("SIG{}", abbrev);
  return fmt::format("signal {}", sig);
}

std::string format_duration(std::chrono::nanoseconds d) {
  using namespace std::chrono;
  if (d % seconds(1) == nanoseconds(0)) return fmt::format("{}s", duration_cast<seconds>(d).count());
  if (d % milliseconds(1) == nanoseconds(0)) return fmt::format("{}ms", duration_cast<milliseconds>(d).count());
  return fmt::format("{:.3f}s", duration<double>(d).count());
}

}  // namespace

bool stage_status::sigpipe_ok() const noexcept { return how == ending::signalled && signal == SIGPIPE && ok; }

int stage_status::shell_code() const noexcept { return sigpipe_ok() ? 0 : code; }

std::string stage_status::describe() const {
  switch (how) {
    case ending::launch_failed:
    case ending::connection_failed: return launch_error;
    case ending::not_started: return "not started";
    case ending::timed_out: return fmt::format("timed out after {}", format_duration(timeout));
    case ending::signalled: return fmt::format("killed by {}", signal_name(signal));
    case ending::exited: break;
  }
  return fmt::format("exited with code {}", code);
}

int result::code() const noexcept {
  for (auto it = stages.rbegin(); it != stages.rend(); ++it)
    if (int c = it->shell_code(); c != 0) return c;
  return 0;
}

bool result::ok() const noexcept {
  for (const auto& s : stages)
    if (!s.ok) return false;
  return true;
}

bool result::timed_out() const noexcept {
  for (const auto& s : stages)
    if (s.timed_out()) return true;
  return false;
}

}  // namespace shpp
