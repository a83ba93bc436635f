// The cache key's digest: SHA-1 from Boost (header-only), as hex.
#pragma once

#include <string>
#include <string_view>

namespace shpp::runner {

class hasher {
 public:
  hasher();
  ~hasher();
  hasher(const hasher&) = delete;
  hasher& operator=(const hasher&) = delete;

  /// Adds `part` and a separator, so that ("ab","c") and ("a","bc") differ.
  hasher& add(std::string_view part);
  /// 40 hex digits.
  std::string hex();

 private:
  struct impl;
  impl* impl_;
};

}  // namespace shpp::runner
