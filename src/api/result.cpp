#include "shpp/result.hpp"

#include <string.h>  // sigabbrev_np

#include <fmt/core.h>

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

int stage_status::shell_code() const noexcept {
  if (!launch_error.empty()) return code;
  if (timed_out) return 124;  // as timeout(1)
  if (sigpipe_ok) return 0;
  return code;
}

std::string stage_status::describe() const {
  if (!launch_error.empty()) return launch_error;
  if (!started) return "not started";
  if (timed_out) return fmt::format("timed out after {}", format_duration(timeout));
  if (signal != 0) return fmt::format("killed by {}", signal_name(signal));
  return fmt::format("exited with code {}", code);
}

int result::code() const noexcept {
  for (auto it = stages.rbegin(); it != stages.rend(); ++it)
    if (int c = it->shell_code(); c != 0) return c;
  return 0;
}

bool result::timed_out() const noexcept {
  for (const auto& s : stages)
    if (s.timed_out) return true;
  return false;
}

}  // namespace shpp
