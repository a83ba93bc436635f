// examples/fleet.cpp through the runner, over the fixture's two hosts and one
// that refuses connections.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "../runner/runner_helper.hpp"
#include "sshd_fixture.hpp"

// Not in a sanitizer build: the runner would link the script against a
// sanitized libshpp it was not built for (scripts/sanitize leaves the runner
// out for the same reason).
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)

using namespace shpp;
using test::sshd_fixture;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "h1  ok  0.52  31%  1234 MiB": a load with a decimal point, a percentage, MiB.
bool ok_row(const std::string& row, const std::string& host) {
  const auto w = words(row);
  if (w.size() != 6 || w[0] != host || w[1] != "ok" || w[5] != "MiB") return false;
  const auto dot = w[2].find('.');
  return dot != std::string::npos && all_digits(w[2].substr(0, dot)) && all_digits(w[2].substr(dot + 1)) &&
         w[3].ends_with('%') && all_digits(w[3].substr(0, w[3].size() - 1)) && all_digits(w[4]);
}

}  // namespace

TEST_CASE("fleet_example_has_a_row_per_host_and_fails_when_one_is_unreachable") {
  const auto& f = sshd_fixture::get();
  const std::string script = std::string(SHPP_TEST_DIR) + "/../examples/fleet.cpp";
  // h1:1 is h1 on port 1, where nothing listens.
  // A cache of its own: the suite's, in the build folder, is not writable
  // when the test runs as another user (remote_as_user).
  test::temp_dir cache;
  const result r = test::runner::shpp_run_in(cache.path, script, "-F", f.config(), "h1", "h2", "h1:1")
                       .out(capture)
                       .err(capture)
                       .unchecked()
                       .run();
  INFO(r.out << r.err);
  CHECK(r.code() == 1);
  const auto rows = lines_of(r.out);
  REQUIRE(rows.size() == 4);
  CHECK(words(rows[0]) == std::vector<std::string>{"HOST", "STATUS", "LOAD", "DISK", "/", "MEM", "AVAILABLE"});
  // In the order given, the columns aligned: every row as long as the header (the last column is right-aligned).
  CHECK(ok_row(rows[1], "h1"));
  CHECK(ok_row(rows[2], "h2"));
  const auto bad = words(rows[3]);
  REQUIRE(bad.size() >= 6);
  CHECK(bad[0] == "h1:1");
  CHECK((bad[1] == "ssh" && bad[2] == "h1:1:"));
  CHECK_THAT(rows[3], Catch::Contains("Connection refused"));
  CHECK(std::vector<std::string>(bad.end() - 3, bad.end()) == std::vector<std::string>{"-", "-", "-"});
  for (const auto& row : rows) CHECK(row.size() == rows[0].size());
}
#endif
