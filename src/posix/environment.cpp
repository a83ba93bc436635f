#include "posix/environment.hpp"

#include <algorithm>

extern char** environ;

namespace shpp::detail {

environment_block::environment_block(const stage_plan& s) : envp_(environ) {
  if (!s.env_clear && s.env_changes.empty()) return;  // the common case: no copy at all
  if (!s.env_clear)
    for (char** e = environ; e && *e; ++e) storage_.emplace_back(*e);
  for (const auto& change : s.env_changes) {
    const std::string prefix = change.key + "=";
    std::erase_if(storage_, [&](const std::string& kv) { return kv.compare(0, prefix.size(), prefix) == 0; });
    if (change.value) storage_.push_back(prefix + *change.value);
  }
  for (auto& kv : storage_) pointers_.push_back(kv.data());
  pointers_.push_back(nullptr);
  envp_ = pointers_.data();
}

const char* environment_block::find(std::string_view key) const {
  for (char* const* e = envp_; e && *e; ++e) {
    const std::string_view kv(*e);
    if (kv.size() > key.size() && kv.compare(0, key.size(), key) == 0 && kv[key.size()] == '=')
      return *e + key.size() + 1;
  }
  return nullptr;
}

}  // namespace shpp::detail
