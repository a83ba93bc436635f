#include <catch2/catch.hpp>

#include <csignal>
#include <thread>

#include "helper.hpp"

using namespace shpp;
using namespace std::chrono_literals;

TEST_CASE("spawn runs in the background and wait collects the result", "[job]") {
  job j = (cmd("echo", "bg") | cmd("tr", "b", "B")).out(capture).spawn();
  auto r = j.wait();
  CHECK(r.out == "Bg\n");
  CHECK_FALSE(j.running());
}

TEST_CASE("kill stops a running pipeline and wait does not throw for it", "[job]") {
  job j = (cmd("sleep", 10) | cmd("cat")).spawn();
  CHECK(j.running());
  CHECK(j.pids().size() == 2);
  CHECK(j.pid() == j.pids().back());
  j.kill();
  auto r = j.wait();
  CHECK_FALSE(j.running());
  CHECK(r.stages[0].signal == SIGKILL);
  CHECK(test::child_count() == 0);
}

TEST_CASE("kill reaches a job's grandchildren", "[job]") {
  job j = cmd("sh", "-c", "sleep 100 & wait").spawn();
  std::this_thread::sleep_for(100ms);
  j.kill();
  j.wait();
  // sh and its sleep were in one process group: nothing holds on.
  CHECK(test::child_count() == 0);
}

TEST_CASE("a failing job throws from wait", "[job]") {
  job j = test::helper("exit", 5).spawn();
  CHECK_THROWS_AS(j.wait(), shpp::error);
}

TEST_CASE("a destroyed running job leaves no zombie", "[job]") {
  const int fds = test::open_fd_count();
  { job j = (cmd("sleep", 100) | cmd("cat")).out(capture).spawn(); }
  CHECK(test::child_count() == 0);
  CHECK(test::open_fd_count() == fds);
}

TEST_CASE("a job keeps its pipes flowing while the caller works", "[job]") {
  job j = test::helper("write-out", 8 << 20).out(capture).spawn();
  std::this_thread::sleep_for(50ms);
  CHECK(j.wait().out.size() == 8u << 20);
}

TEST_CASE("signal delivers any signal to a job", "[job]") {
  job j = test::helper("sleep", 100000).spawn();
  j.signal(SIGTERM);
  auto r = j.wait();
  CHECK(r.stages[0].signal == SIGTERM);
}

TEST_CASE("spawn of a missing program throws at once", "[job]") {
  CHECK_THROWS_WITH(cmd("shpp-no-such-program").spawn(), Catch::Contains("command not found"));
}
