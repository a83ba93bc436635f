// The base of every private object a public handle<T> points to: the count,
// and a virtual destructor so that one release() can delete any of them.
#pragma once

#include <atomic>

#include "shpp/handle.hpp"

namespace shpp::detail {

struct counted {
  mutable std::atomic<long> refs{1};
  counted() = default;
  counted(const counted&) = delete;
  counted& operator=(const counted&) = delete;
  virtual ~counted() = default;
};

}  // namespace shpp::detail
