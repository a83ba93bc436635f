// examples/fleet.cpp through the runner, over the fixture's two hosts and one
// that refuses connections.
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

#include "../runner/runner_helper.hpp"
#include "sshd_fixture.hpp"

using namespace shpp;
using test::sshd_fixture;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
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
  CHECK(std::regex_match(rows[0], std::regex("HOST +STATUS +LOAD +DISK / +MEM AVAILABLE")));
  // In the order given, the columns aligned: every row as long as the header (the last column is right-aligned).
  const std::regex ok("(h[12]) +ok +[0-9]+\\.[0-9]+ +[0-9]+% +[0-9]+ MiB");
  std::smatch m;
  REQUIRE(std::regex_match(rows[1], m, ok));
  CHECK(m[1] == "h1");
  REQUIRE(std::regex_match(rows[2], m, ok));
  CHECK(m[1] == "h2");
  CHECK(std::regex_match(rows[3], std::regex("h1:1 +ssh h1:1: .*Connection refused +- +- +-")));
  for (const auto& row : rows) CHECK(row.size() == rows[0].size());
}
