// The environment a stage starts with: the caller's environ, edited by the
// stage's env(), env_remove() and env_clear(), without touching the caller's.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "plan/plan.hpp"

namespace shpp::detail {

class environment_block {
 public:
  explicit environment_block(const stage_plan& s);
  environment_block(const environment_block&) = delete;
  environment_block& operator=(const environment_block&) = delete;

  /// For posix_spawn: the caller's own environ when nothing changes (no copy).
  char* const* envp() const noexcept { return envp_; }
  /// The value of `key` in this environment, or nullptr.
  const char* find(std::string_view key) const;

 private:
  std::vector<std::string> storage_;
  std::vector<char*> pointers_;
  char* const* envp_;
};

}  // namespace shpp::detail
