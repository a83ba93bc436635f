#include <catch2/catch.hpp>

#include <csignal>
#include <thread>

#include "../helper.hpp"

using namespace shpp;
using namespace std::chrono_literals;

TEST_CASE("a timeout kills the command and throws timed out", "[timeout]") {
  try {
    test::helper("sleep", 100000).timeout(200ms).run();
    FAIL("no throw");
  } catch (const shpp::error& e) {
    CHECK(e.timed_out());
    CHECK_THAT(e.what(), Catch::Contains("timed out after 200ms"));
  }
}

TEST_CASE("timeout kills grandchildren", "[timeout]") {
  // The shell prints its background child's pid, then waits for it.
  auto r = cmd("sh", "-c", "sleep 100 & echo $!; wait").timeout(300ms).out(capture).unchecked().run();
  CHECK(r.timed_out());
  REQUIRE_FALSE(r.out.empty());
  CHECK(test::gone(std::stoi(r.out)));
  CHECK(test::child_count() == 0);
}

TEST_CASE("a grandchild holding the pipe cannot stall a timed-out run", "[timeout]") {
  // setsid puts the grandchild out of reach of the group kill; closing our
  // pipe ends at the deadline is what lets the run return.
  auto r = cmd("sh", "-c", "setsid sleep 3 & echo started; wait").timeout(300ms).out(capture).unchecked().run();
  CHECK(r.timed_out());
  CHECK(r.out == "started\n");
  CHECK(r.duration < 3s);
}

TEST_CASE("a command that ignores SIGTERM is killed after the grace period", "[timeout]") {
  auto r = cmd("sh", "-c", "trap '' TERM; while :; do sleep 0.05; done").timeout(200ms).unchecked().run();
  CHECK(r.timed_out());
  CHECK(r.stages[0].signal == SIGKILL);
  CHECK(r.code() == 124);
}

TEST_CASE("status of a timed-out command is 124", "[timeout]") {
  CHECK(test::helper("sleep", 100000).timeout(100ms).status() == 124);
}

TEST_CASE("a timeout on a pipeline covers every stage", "[timeout]") {
  auto r = (test::helper("sleep", 100000) | test::helper("cat")).timeout(200ms).unchecked().run();
  CHECK(r.stages[0].timed_out());
  CHECK(r.stages[1].signal != 0);
  CHECK(test::child_count() == 0);
}

TEST_CASE("a fast command is not disturbed by its timeout", "[timeout]") {
  CHECK(cmd("echo", "quick").timeout(10s).read() == "quick");
}

TEST_CASE("a non-positive timeout is a usage error", "[timeout]") {
  CHECK_THROWS_AS(cmd("true").timeout(0s), shpp::usage_error);
}

TEST_CASE("a grandchild that ignores SIGTERM is killed after the grace", "[timeout]") {
  auto r = cmd("sh", "-c", "(trap '' TERM; exec sleep 30) & echo $!; wait").timeout(300ms).out(capture).unchecked().run();
  CHECK(r.timed_out());
  REQUIRE_FALSE(r.out.empty());
  CHECK(test::gone(std::stoi(r.out)));
}

TEST_CASE("a caller that ignores SIGCHLD gets a clear error", "[timeout]") {
  auto old = ::signal(SIGCHLD, SIG_IGN);
  std::string what;
  try {
    cmd("true").run();
  } catch (const shpp::usage_error& e) {
    what = e.what();
  }
  ::signal(SIGCHLD, old);
  CHECK_THAT(what, Catch::Contains("SIGCHLD is ignored"));
}

TEST_CASE("no grace is waited once nothing of a timed-out stage is left", "[timeout]") {
  // SIGTERM ends the shell and its sleeping child at the deadline; the
  // SIGKILL a second later would find nobody, so the run ends at about 1 s.
  auto r = cmd("sh", "-c", "sleep 100 & wait").timeout(1s).unchecked().run();
  CHECK(r.timed_out());
  CHECK(r.duration < 1700ms);
}
