#include "shpp/arg.hpp"

#include <fmt/core.h>

namespace shpp::detail {

std::string format_number(long long value) { return fmt::format("{}", value); }
std::string format_number(unsigned long long value) { return fmt::format("{}", value); }
std::string format_number(double value) { return fmt::format("{}", value); }

}  // namespace shpp::detail
