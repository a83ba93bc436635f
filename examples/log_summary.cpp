#!/usr/bin/env shpp
// Summarises a log with range-v3 over lines(): the most frequent words of the
// lines that contain ERROR, streamed (memory stays flat however big the log).
//   ./log_summary.cpp LOGFILE [TOP]
int main(int argc, char** argv) {
  using namespace shpp;
  if (argc < 2) {
    fmt::print(stderr, "usage: {} LOGFILE [TOP]\n", argv[0]);
    return 2;
  }
  const std::size_t top = argc > 2 ? std::stoul(argv[2]) : 3;

  std::map<std::string, int> counts;
  int errors = 0;
  for (std::string_view line : cmd("cat", argv[1]).lines() |
                                   ranges::views::filter([](std::string_view l) { return l.find("ERROR") != l.npos; })) {
    ++errors;
    for (auto word : line | ranges::views::split(' ') | ranges::views::drop(1))
      ++counts[ranges::to<std::string>(word)];
  }

  auto ranked = counts | ranges::to<std::vector<std::pair<std::string, int>>>();
  ranges::stable_sort(ranked, std::greater{}, [](const auto& p) { return p.second; });
  fmt::print("{} error lines\n", errors);
  for (const auto& [word, n] : ranked | ranges::views::take(top)) fmt::print("{:>6} {}\n", n, word);
}
