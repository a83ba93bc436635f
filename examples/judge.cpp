#!/usr/bin/env shpp
// The testing system from the lecture notes: compile a solution, run it on
// every test with a time limit, and give one verdict per test.
//
//   ./judge.cpp SOLUTION.cpp TESTS_DIR [--time-limit MS]
//   ./judge.cpp [--time-limit MS]    (every sample in judge/solutions/)
//
// Tests are N.in / N.out pairs. Verdicts: OK, WA (wrong answer), TLE (time
// limit exceeded), RE (runtime error) and CE (compilation error).
#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>  // std::atoi, std::getenv
#include <filesystem>
#include <fstream>
#include <iterator>  // std::istreambuf_iterator
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>  // std::pair
#include <vector>

#include <fmt/core.h>

#include <shpp/shpp.hpp>

using namespace shpp;
namespace fs = std::filesystem;

namespace {

// A private directory for the compiled binary, removed with everything in it
// when the judge is done.
class temp_dir {
 public:
  temp_dir() {
    std::string name = (fs::temp_directory_path() / "shpp-judge-XXXXXX").string();
    if (::mkdtemp(name.data()) == nullptr) throw std::system_error(errno, std::generic_category(), "mkdtemp");
    path_ = name;
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error(fmt::format("cannot read {}", path.string()));
  return {std::istreambuf_iterator<char>(file), {}};
}

std::string_view trim_end(std::string_view text) { return text.substr(0, text.find_last_not_of(" \t\r\n") + 1); }

// The first line of an answer, cut short, and quoted: "5", "-1...".
std::string brief(std::string_view answer) {
  std::string_view line = trim_end(answer.substr(0, answer.find('\n')));
  if (line.size() <= 20) return fmt::format("{:?}", line);
  return fmt::format("{:?}...", line.substr(0, 20));
}

// N.in files, in numeric order: 2.in before 10.in.
std::vector<fs::path> test_inputs(const fs::path& tests_dir) {
  std::vector<fs::path> inputs;
  for (const auto& entry : fs::directory_iterator(tests_dir))
    if (entry.path().extension() == ".in") inputs.push_back(entry.path());
  std::ranges::sort(inputs, {}, [](const fs::path& p) {
    std::string n = p.stem().string();
    return std::pair(n.size(), n);
  });
  return inputs;
}

std::string verdict(const result& run, std::string_view expected) {
  const stage_status& solution = run.stages.front();
  if (solution.timed_out()) return fmt::format("TLE ({})", solution.describe());   // "timed out after 1s"
  if (solution.signal != 0) return fmt::format("RE ({})", solution.describe());  // "killed by SIGSEGV"
  if (solution.code != 0) return fmt::format("RE (exit code {})", solution.code);
  if (trim_end(run.out) != trim_end(expected))
    return fmt::format("WA (expected {}, got {})", brief(expected), brief(run.out));
  return "OK";
}

void judge(const fs::path& solution, const fs::path& tests_dir, std::chrono::milliseconds time_limit) {
  if (!fs::is_regular_file(solution)) throw std::runtime_error(fmt::format("no such file: {}", solution.string()));
  const std::vector<fs::path> inputs = test_inputs(tests_dir);
  fmt::print("{}\n", solution.filename().string());
  temp_dir tmp;
  const fs::path binary = tmp.path() / "solution";

  // As `cd DIR && g++ ... 2>&1 | sed 's/^/    /'`: compiling next to the source
  // makes messages name it as its author does, and pipefail keeps g++'s status.
  // Exit code 1 is a compilation error, a verdict; anything else (no g++ at
  // all, a compiler crash) throws, as it is the judge that failed.
  const fs::path source = fs::absolute(solution);
  result compiled = sh("g++ -std=c++17 -O2 {} -o {} 2>&1 | sed 's/^/    /'", source.filename(), binary)
                        .ok_codes({0, 1})
                        .cwd(source.parent_path())
                        .out(capture)
                        .run();
  if (compiled.code() != 0) {  // $?: with ok_codes({0, 1}) an exit 1 is ok(), yet a verdict
    fmt::print("  CE\n{}", compiled.out);
    return;
  }

  for (const fs::path& input : inputs) {
    std::string expected = read_file(fs::path(input).replace_extension(".out"));
    result run = cmd(binary).input(read_file(input)).timeout(time_limit).out(capture).err(capture).unchecked().run();
    fmt::print("  test {}: {}\n", input.stem().string(), verdict(run, expected));
  }
}

int usage() {
  fmt::print(stderr, "usage: judge [SOLUTION.cpp TESTS_DIR] [--time-limit MS]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) try {
  std::chrono::milliseconds time_limit{1000};
  std::vector<fs::path> paths;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--time-limit" && i + 1 < argc)
      time_limit = std::chrono::milliseconds(std::atoi(argv[++i]));
    else if (arg.starts_with("-"))
      return usage();
    else
      paths.emplace_back(arg);
  }
  if (time_limit <= time_limit.zero()) return usage();

  if (paths.size() == 2) {
    judge(paths[0], paths[1], time_limit);
  } else if (paths.empty()) {
    // The samples live beside this script (argv[0] is its path under the runner).
    const fs::path samples = fs::path(argv[0]).parent_path() / "judge";
    std::vector<fs::path> solutions;
    for (const auto& entry : fs::directory_iterator(samples / "solutions"))
      if (entry.path().extension() == ".cpp") solutions.push_back(entry.path());
    std::ranges::sort(solutions);
    for (const fs::path& solution : solutions) judge(solution, samples / "tests", time_limit);
  } else {
    return usage();
  }
} catch (const std::exception& e) {
  fmt::print(stderr, "judge: {}\n", e.what());
  return 1;
}
