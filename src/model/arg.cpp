#include "shpp/arg.hpp"

#include <fmt/format.h>  // fmt::format

namespace shpp::detail {

std::string format_number(long long value) { return fmt::format("{}", value); }
std::string format_number(unsigned long long value) { return fmt::format("{}", value); }
std::string format_number(double value) { return fmt::format("{}", value); }

}  // namespace shpp::detail
