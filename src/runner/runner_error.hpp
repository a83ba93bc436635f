// A user-facing failure of the runner: main prints "shpp: <what>" and exits 1.
#pragma once

#include <stdexcept>

namespace shpp::runner {

struct runner_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace shpp::runner
