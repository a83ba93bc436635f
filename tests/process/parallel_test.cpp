// parallel() and parallel_unordered() (shpp/parallel.hpp), on real processes.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../helper.hpp"

using namespace shpp;
using namespace std::chrono_literals;

namespace {

std::vector<command> echo_each(int n) {
  std::vector<command> cs;
  for (int i = 0; i < n; ++i) cs.push_back(cmd("sh", "-c", "sleep 0.0$1; echo $1", "sh", (n - i) % 10));
  return cs;
}

}  // namespace

TEST_CASE("parallel returns results in input order", "[parallel]") {
  auto cs = echo_each(20);
  auto rs = parallel(cs, {.jobs = 8, .output = parallel_output::capture});
  REQUIRE(rs.size() == 20);
  for (int i = 0; i < 20; ++i) CHECK(rs[static_cast<std::size_t>(i)].out == std::to_string((20 - i) % 10) + "\n");
}

TEST_CASE("parallel runs at most jobs commands at once", "[parallel]") {
  // Each command holds a slot for 200 ms: 8 of them with jobs = 4 take two waves.
  std::vector<command> cs(8, cmd("sleep", 0.2));
  const auto start = std::chrono::steady_clock::now();
  parallel(cs, {.jobs = 4});
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(took >= 400ms);
  CHECK(took < 1500ms);
}

TEST_CASE("parallel fails fast: the others are stopped quickly and nothing is left running", "[parallel]") {
  std::vector<command> cs{cmd("sleep", 30), cmd("sleep", 30), cmd("sh", "-c", "sleep 0.1; exit 3"), cmd("sleep", 30)};
  const auto start = std::chrono::steady_clock::now();
  try {
    parallel(cs, {.jobs = 4});
    FAIL("no error");
  } catch (const shpp::error& e) {
    CHECK(e.exit_code() == 3);
    CHECK_THAT(std::string(e.what()), Catch::Contains("sleep 0.1; exit 3"));
  }
  CHECK(std::chrono::steady_clock::now() - start < 3s);
  CHECK(test::child_count() == 0);
}

TEST_CASE("parallel with fail_fast off collects every result", "[parallel]") {
  std::vector<command> cs{cmd("true"), cmd("false"), cmd("sh", "-c", "exit 7"), cmd("echo", "x")};
  auto rs = parallel(cs, {.jobs = 2, .fail_fast = false, .output = parallel_output::capture});
  REQUIRE(rs.size() == 4);
  CHECK(rs[0].ok());
  CHECK(rs[1].code() == 1);
  CHECK(rs[2].code() == 7);
  CHECK(rs[3].out == "x\n");
}

TEST_CASE("parallel_unordered yields results as they finish", "[parallel]") {
  std::vector<command> cs{cmd("sh", "-c", "sleep 0.3; echo slow"), cmd("echo", "fast")};
  std::vector<std::size_t> order;
  for (auto& [i, r] : parallel_unordered(cs, {.jobs = 2, .output = parallel_output::capture})) {
    order.push_back(i);
    CHECK(r.ok());
  }
  CHECK(order == std::vector<std::size_t>{1, 0});
}

TEST_CASE("leaving a parallel_unordered loop early stops the rest", "[parallel]") {
  std::vector<command> cs{cmd("echo", "fast"), cmd("sleep", 30), cmd("sleep", 30)};
  const auto start = std::chrono::steady_clock::now();
  for (auto& [i, r] : parallel_unordered(cs, {.jobs = 3, .output = parallel_output::capture})) {
    CHECK(i == 0);
    break;
  }
  CHECK(std::chrono::steady_clock::now() - start < 3s);
  CHECK(test::child_count() == 0);
}

TEST_CASE("10,000 jobs with jobs = 8 hold at most 8 runs' fds", "[parallel][stress]") {
  std::vector<command> cs(10000, cmd("true"));
  const int base = test::open_fd_count();
  int most = 0;
  std::size_t n = 0;
  for (auto& [i, r] : parallel_unordered(cs, {.jobs = 8})) {
    (void)i;
    CHECK(r.ok());
    most = std::max(most, test::open_fd_count() - base);
    ++n;
  }
  CHECK(n == 10000);
  // Per run: its stdout and stderr captures and a pidfd; plus the loop's own few.
  CHECK(most <= 8 * 3 + 4);
  CHECK(test::open_fd_count() == base);
}

TEST_CASE("grouped output never interleaves: each command's output is printed whole", "[parallel]") {
  test::temp_dir dir;
  const auto self = dir.path / "out.txt";
  // A child program prints through parallel(): two writers of many partial lines each.
  auto writer = [](char c) {
    return cmd("sh", "-c", std::string("for i in $(seq 200); do printf '") + c + "'; printf '" + c + "\\n'; done");
  };
  auto rs = parallel(std::vector<command>{writer('a'), writer('b'), writer('c')},
                     {.jobs = 3, .output = parallel_output::capture});
  for (const auto& r : rs) {
    std::istringstream in(r.out);
    std::string line;
    std::set<char> chars;
    while (std::getline(in, line)) chars.insert(line.begin(), line.end());
    CHECK(chars.size() == 1);
  }
}

TEST_CASE("retries reruns a failed command", "[parallel]") {
  test::temp_dir dir;
  const auto counter = (dir.path / "n").string();
  // Fails twice, then succeeds: the count file grows by one per run.
  auto flaky = cmd("sh", "-c", "echo x >> \"$1\"; [ $(wc -l < \"$1\") -ge 3 ]", "sh", counter);
  auto rs = parallel(std::vector<command>{flaky}, {.retries = 2});
  CHECK(rs[0].ok());
  CHECK_THROWS_AS(parallel(std::vector<command>{cmd("false")}, {.retries = 1}), shpp::error);
}

TEST_CASE("a job log in GNU parallel's format", "[parallel]") {
  test::temp_dir dir;
  const auto log = (dir.path / "log.tsv").string();
  parallel(std::vector<command>{cmd("true"), cmd("sh", "-c", "exit 2")}, {.fail_fast = false, .joblog = log});
  std::ifstream in(log);
  std::string header, row1, row2;
  std::getline(in, header);
  CHECK(header == "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand");
  std::set<std::string> rows;
  while (std::getline(in, row1)) rows.insert(row1.substr(0, 2) + row1.substr(row1.find("\t0\t") + 3));
  CHECK(rows == std::set<std::string>{"1\t0\t0\t0\ttrue", "2\t0\t2\t0\tsh -c 'exit 2'"});
}

// The child side of the terminal tests below: hidden from the default run.
TEST_CASE("parallel progress child", "[.parallel_progress_child]") {
  parallel(std::vector<command>(4, cmd("sleep", 0.05)), {.jobs = 2});
}

TEST_CASE("line_buffer passes whole lines through, tagged", "[.parallel_line_child]") {
  parallel(std::vector<command>{cmd("sh", "-c", "printf 'a'; sleep 0.1; printf 'b\\nc\\n'"), cmd("echo", "z")},
           {.jobs = 2, .output = parallel_output::line_buffer, .tag = true});
}

TEST_CASE("the progress line shows on a terminal, and only there", "[parallel]") {
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const std::string on_tty =
      cmd("script", "-qec", quote(self) + " '[.parallel_progress_child]'", "/dev/null").out(capture).run().out;
  CHECK_THAT(on_tty, Catch::Contains("parallel: 4/4 done, 0 failed"));
  CHECK_THAT(on_tty, Catch::Contains("\r\x1b[K"));
  const auto piped = cmd(self, "[.parallel_progress_child]").out(capture).err(capture).run();
  CHECK(piped.err.find("parallel:") == std::string::npos);
}

TEST_CASE("line_buffer output keeps lines whole and tags them", "[parallel]") {
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const std::string out = cmd(self, "[.parallel_line_child]").out(capture).run().out;
  CHECK_THAT(out, Catch::Contains("sh -c 'printf '\\''a'\\''; sleep 0.1; printf '\\''b\\nc\\n'\\'''\tab\n"));
  CHECK_THAT(out, Catch::Contains("echo z\tz\n"));
}
