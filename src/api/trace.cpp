#include "api/trace.hpp"

#include <atomic>
#include <cstdio>   // std::fwrite
#include <cstdlib>  // std::getenv
#include <cstring>

#include "model/render.hpp"

namespace shpp::detail {
namespace {

enum : int { unknown = -1, off = 0, on = 1 };
std::atomic<int> state{unknown};

}  // namespace

bool trace_enabled() {
  int s = state.load(std::memory_order_relaxed);
  if (s == unknown) {
    const char* value = std::getenv("SHPP_TRACE");
    s = value && *value && std::strcmp(value, "0") != 0 ? on : off;
    int expected = unknown;
    if (!state.compare_exchange_strong(expected, s, std::memory_order_relaxed)) s = expected;  // set_trace() won
  }
  return s == on;
}

void set_trace(bool enabled) { state.store(enabled ? on : off, std::memory_order_relaxed); }

void trace(const launch_plan& plan) {
  if (!trace_enabled()) return;
  // One write, so that lines of commands run by several threads never mix.
  const std::string line = "+ " + render(*plan.root) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace shpp::detail
