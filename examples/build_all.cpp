#!/usr/bin/env shpp
// Builds and runs every .cpp under a folder, JOBS at a time, with a progress
// line on a terminal: `for f in DIR/**/*.cpp; do ...; done` as GNU parallel would run it.
//   ./build_all.cpp DIR [JOBS]
int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : ".";
  const std::size_t jobs = argc > 2 ? std::stoul(argv[2]) : 0;  // 0: one per core
  const std::string out = cmd("mktemp", "-d").read();
  std::vector<std::string> sources;
  for (std::string_view f : cmd("find", dir, "-name", "*.cpp").lines()) sources.emplace_back(f);
  std::sort(sources.begin(), sources.end());

  // One command per source: compile it, then run what was built (`g++ ... && ./bin`).
  std::vector<command> builds;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const std::string bin = fmt::format("{}/{}", out, i);
    builds.push_back(cmd("g++", "-std=c++20", "-O1", sources[i], "-o", bin) && cmd(bin));
  }
  // Every result, failures included: a report, not a stop at the first failure.
  const std::vector<result> results = parallel(builds, {.jobs = jobs, .fail_fast = false});
  std::size_t passed = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (results[i].ok())
      ++passed;
    else
      fmt::print("FAILED {}: {}\n", sources[i], results[i].stages.back().cause);
  }
  cmd("rm", "-rf", out).run();
  fmt::print("{} of {} built and passed\n", passed, results.size());
  return passed == results.size() ? 0 : 1;
}
