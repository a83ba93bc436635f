#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "../helper.hpp"

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
  REQUIRE(test::has_child(j.pid()));  // the grandchild exists before the kill
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
  std::this_thread::sleep_for(50ms);  // the caller at work: the sleep is the behaviour under test
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

TEST_CASE("kill does not wait for a grandchild that holds the job's pipe", "[job]") {
  job j = cmd("sh", "-c", "sleep 30 & echo started").out(capture).spawn();
  REQUIRE(test::gone(j.pid()));  // sh has exited: only its grandchild holds the pipe
  const auto t0 = std::chrono::steady_clock::now();
  j.kill();
  j.wait();
  CHECK(std::chrono::steady_clock::now() - t0 < 10s);
  CHECK(test::child_count() == 0);
}

TEST_CASE("a destroyed job does not wait for a grandchild that holds its pipe", "[job]") {
  const auto t0 = std::chrono::steady_clock::now();
  {
    job j = cmd("sh", "-c", "sleep 30 & echo started").out(capture).spawn();
    REQUIRE(test::gone(j.pid()));  // sh has exited: only its grandchild holds the pipe
  }
  CHECK(std::chrono::steady_clock::now() - t0 < 10s);
}

TEST_CASE("each signal sent to a job is remembered per stage", "[job]") {
  // Stage 1 dies of the SIGTERM; stage 2 ignores it and dies of the later SIGKILL.
  test::temp_dir dir;
  const auto trapped = dir.path / "trapped";
  job j = (test::helper("sleep", 10000) | cmd("sh", "-c", "trap '' TERM; : > \"$1\"; sleep 10", "sh", trapped)).spawn();
  REQUIRE(test::eventually([&] { return std::filesystem::exists(trapped); }));  // the trap is set
  j.signal(SIGTERM);
  REQUIRE(test::gone(j.pids()[0]));  // stage 1 died of it before the SIGKILL
  j.kill();
  auto r = j.wait();  // neither death is a failure: both were asked for
  CHECK(r.stages[0].signal == SIGTERM);
  CHECK(r.stages[1].signal == SIGKILL);
}

TEST_CASE("pid of a job whose last stage never started throws", "[job]") {
  job j = (cmd("sleep", 1) | cmd("shpp-no-such-program")).unchecked().spawn();
  CHECK_THROWS_AS(j.pid(), std::logic_error);
  CHECK(j.pids().back() == -1);
}

namespace {

// Threads of this process that shpp started for jobs (named shpp-jobs).
int job_threads() {
  int n = 0;
  for (const auto& t : std::filesystem::directory_iterator("/proc/self/task"))
    if (test::slurp(t.path() / "comm") == "shpp-jobs\n") ++n;
  return n;
}

}  // namespace

TEST_CASE("many jobs at once share one background thread", "[job]") {
  CHECK(job_threads() == 0);
  std::vector<job> jobs;
  for (int i = 0; i < 20; ++i)
    jobs.push_back(cmd("sh", "-c", "read x; echo $x").input("job " + std::to_string(i) + "\n").out(capture).spawn());
  CHECK(job_threads() == 1);
  for (int i = 0; i < 20; ++i) CHECK(jobs[i].wait().out == "job " + std::to_string(i) + "\n");
  jobs.clear();
  CHECK(job_threads() == 0);  // the thread goes with the last job
}

TEST_CASE("a job is inert in a forked child and the parent's job is unharmed", "[job]") {
  job j = cmd("sh", "-c", "sleep 0.3; echo parent").out(capture).spawn();
  const pid_t child = ::fork();
  if (child == 0) {
    // In the child: wait() refuses, signals go nowhere, destruction touches nothing.
    int code = 0;
    try {
      j.wait();
      code = 1;
    } catch (const std::logic_error&) {
    }
    j.kill();
    if (j.running()) code = 2;
    { job gone = std::move(j); }
    // A new command in the child works on a loop of its own.
    if (cmd("echo", "child").read() != "child") code = 3;
    std::_Exit(code);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  auto r = j.wait();
  CHECK(r.out == "parent\n");
  CHECK(r.stages[0].how == stage_status::ending::exited);
}

TEST_CASE("a command run inside a lines() loop shares the thread's loop", "[lines]") {
  std::vector<std::string> seen;
  for (auto line : cmd("printf", "a\\nb\\nc\\n").lines()) seen.push_back(cmd("echo", "<" + std::string(line) + ">").read());
  CHECK(seen == std::vector<std::string>{"<a>", "<b>", "<c>"});
}
