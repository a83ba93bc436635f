// bench/run, scenario runner_ranges: a script using range-v3 views, ranges::to,
// fmt::format and shpp::cmd. It is built both by `shpp --force` and by plain
// g++; its includes are exactly the headers it needs (the runner's prelude
// makes them free), so both builds produce the same program. Given any
// argument it prints "built" and exits, so that a timed run is all build.
#include <fmt/format.h>

#include <range/v3/range/conversion.hpp>
#include <range/v3/view/filter.hpp>
#include <range/v3/view/transform.hpp>
#include <shpp/shpp.hpp>
#include <string>
#include <string_view>
#include <vector>

int main(int argc, char** argv) {
  (void)argv;
  if (argc > 1) {
    fmt::print("built\n");
    return 0;
  }
  // The squares of the odd numbers among `seq 1 10`: 1 9 25 49 81.
  const std::vector<int> squares =
      shpp::cmd("seq", 1, 10).lines() |
      ranges::views::transform([](std::string_view line) { return std::stoi(std::string(line)); }) |
      ranges::views::filter([](int n) { return n % 2 == 1; }) | ranges::views::transform([](int n) { return n * n; }) |
      ranges::to<std::vector<int>>();
  std::string text;
  for (int n : squares) text += fmt::format("{}{}", text.empty() ? "" : " ", n);
  fmt::print("{}\n", text);
}
