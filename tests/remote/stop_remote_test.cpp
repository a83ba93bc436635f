// Stopping a run stops the remote process tree: timeouts, kill(), leaving
// lines() early, and a connection that drops.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "sshd_fixture.hpp"

using namespace shpp;
using namespace std::chrono_literals;
using test::sshd_fixture;

namespace {
host h1() { return sshd_fixture::get().host(0); }
bool none_left(const std::string& marker) {
  return test::eventually([&] { return test::processes_with(marker).empty(); });
}
}  // namespace

TEST_CASE("timeout_stops_the_remote_tree") {
  const std::string marker = "sleep " + test::unique_word(1001);  // a grandchild too: sh runs it in the background
  const auto t0 = std::chrono::steady_clock::now();
  const result r = cmd("sh", "-c", marker + " & " + marker + "; wait").on(h1()).timeout(500ms).unchecked().run();
  CHECK(std::chrono::steady_clock::now() - t0 < 5s);
  CHECK(r.stages[0].timed_out());
  CHECK(none_left(marker));
}

TEST_CASE("timeout_inside_on_stops_the_remote_tree") {
  const std::string seconds = test::unique_word(1002);
  const result r = (cmd("sleep", seconds).timeout(300ms) | cmd("cat")).on(h1()).unchecked().run();
  CHECK(r.timed_out());
  CHECK(none_left("sleep " + seconds));
}

TEST_CASE("job_kill_stops_the_remote_tree") {
  const std::string seconds = test::unique_word(1003);
  job j = cmd("sleep", seconds).on(h1()).spawn();
  REQUIRE(test::eventually([&] { return !test::processes_with("sleep " + seconds).empty(); }));
  j.kill();
  j.wait();
  CHECK(none_left("sleep " + seconds));
}

TEST_CASE("leaving_lines_early_stops_the_remote_tree") {
  const std::string tick = "tick-" + test::unique_word(1004);
  const std::string loop = "while :; do echo " + tick + "; sleep 0.05; done";
  int n = 0;
  for (const auto& line : cmd("sh", "-c", loop).on(h1()).lines()) {
    CHECK(line == tick);
    if (++n == 3) break;
  }
  CHECK(none_left("sh -c " + loop));
}

TEST_CASE("dropped_connection_is_an_ssh_error_and_the_remote_tree_goes") {
  const std::string seconds = test::unique_word(1005);
  test::temp_dir d;
  const auto out = d.path / "out";
  job j = cmd("sh", "-c", "echo up; exec sleep " + seconds).on(h1()).out(out.string()).spawn();
  // Its output reached us, so did the report that the session began, sent
  // before it: a drop any earlier would be a failure to start, not a loss.
  REQUIRE(test::eventually([&] { return test::slurp(out) == "up\n"; }));
  REQUIRE(test::eventually([&] { return !test::processes_with("sleep " + seconds).empty(); }));
  sshd_fixture::get().drop_connections(0);
  try {
    j.wait();
    FAIL("no error");
  } catch (const shpp::error& e) {
    CHECK_THAT(e.what(), Catch::Contains("ssh h1: connection lost"));
    CHECK(e.failed_stage().how == stage_status::ending::connection_failed);
    CHECK(e.failed_stage().code == 255);
  }
  CHECK(none_left("sleep " + seconds));
  CHECK(cmd("echo", "again").on(h1()).read() == "again");  // a new connection after the drop
}

TEST_CASE("multiplexing_second_command_pays_no_handshake") {
  const auto& f = sshd_fixture::get();
  cmd("true").on(f.host(1)).run();
  const int before = f.accepted(1);
  for (int i = 0; i < 5; ++i) cmd("true").on(f.host(1)).run();
  CHECK(f.accepted(1) == before);
}
