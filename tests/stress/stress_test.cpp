// Stress: many runs, big streams, many threads, hostile signal settings, a
// heavy caller. Every case runs real processes and checks exact results, and
// ends by checking that the process is left with no extra fd and no child
// (zombies included). No timing assertions: speed is measured elsewhere.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "../helper.hpp"

using namespace shpp;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t MiB = std::size_t{1} << 20;

// The helper's byte patterns: 'a' + i % 26, restarting every `period` bytes
// (write-both writes 4 KiB pieces; write-out's pieces are a multiple of 26
// long, so its pattern never restarts visibly).
std::string expected_pattern(std::size_t n, std::size_t period) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i % period) % 26);
  return s;
}

// Index of the first byte that differs from the pattern, or npos. Used
// instead of comparing 64 MiB strings in CHECK, whose failure would print them.
std::size_t first_pattern_mismatch(std::string_view data, std::size_t period) {
  for (std::size_t i = 0; i < data.size(); ++i)
    if (data[i] != static_cast<char>('a' + (i % period) % 26)) return i;
  return std::string_view::npos;
}

std::size_t first_mismatch(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return i;
  return a.size() == b.size() ? std::string_view::npos : n;
}

// A thrown type no library code knows, to see it arrive unchanged.
struct body_error {
  int tag;
  std::string text;
};

// The fd and child counts at the start of a test; check_nothing_left() compares.
struct process_baseline {
  int fds = test::open_fd_count();
  process_baseline() { REQUIRE(test::child_count() == 0); }
  void check_nothing_left() const {
    CHECK(test::child_count() == 0);
    CHECK(test::open_fd_count() == fds);
  }
};

bool sigpipe_pending() {
  sigset_t pending;
  sigemptyset(&pending);
  ::sigpending(&pending);
  return sigismember(&pending, SIGPIPE) == 1;
}

sigset_t sigpipe_only() {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGPIPE);
  return s;
}

// SIGPIPE ignored in the caller for a scope.
struct sigpipe_ignored {
  struct sigaction old {};
  sigpipe_ignored() {
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    REQUIRE(::sigaction(SIGPIPE, &ign, &old) == 0);
  }
  ~sigpipe_ignored() { ::sigaction(SIGPIPE, &old, nullptr); }
  sigpipe_ignored(const sigpipe_ignored&) = delete;
  sigpipe_ignored& operator=(const sigpipe_ignored&) = delete;
};

// SIGPIPE blocked in this thread for a scope. A SIGPIPE left pending is
// recorded and consumed before the old mask comes back, so that a failing
// check cannot take the whole suite down with it.
struct sigpipe_blocked {
  sigset_t old;
  sigpipe_blocked() {
    REQUIRE_FALSE(sigpipe_pending());
    const sigset_t s = sigpipe_only();
    REQUIRE(::pthread_sigmask(SIG_BLOCK, &s, &old) == 0);
  }
  // True if a SIGPIPE was pending; it is consumed either way.
  bool drain() {
    const bool was = sigpipe_pending();
    if (was) {
      const sigset_t s = sigpipe_only();
      const timespec zero{0, 0};
      while (::sigtimedwait(&s, nullptr, &zero) == SIGPIPE) {
      }
    }
    return was;
  }
  ~sigpipe_blocked() {
    drain();
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  }
  sigpipe_blocked(const sigpipe_blocked&) = delete;
  sigpipe_blocked& operator=(const sigpipe_blocked&) = delete;
};

// `writer | head -c 10`: the writer would write a terabyte, so it can only end
// by the SIGPIPE that head's exit sends it (with SIGPIPE ignored or blocked it
// would get EPIPE and exit 1 instead, and the run would throw).
void check_writer_head_ends_by_sigpipe() {
  const result r = (test::helper("write-out", std::uint64_t{1} << 40) | cmd("head", "-c", "10")).out(capture).run();
  CHECK(r.out == "abcdefghij");
  REQUIRE(r.stages.size() == 2);
  CHECK(r.stages[0].signal == SIGPIPE);
  CHECK(r.stages[0].sigpipe_ok());
  CHECK(r.stages[1].code == 0);
  CHECK(r.code() == 0);

  const result y = (cmd("yes") | cmd("head", "-n", "3")).out(capture).run();
  CHECK(y.out == "y\ny\ny\n");
  REQUIRE(y.stages.size() == 2);
  CHECK(y.stages[0].signal == SIGPIPE);
  CHECK(y.code() == 0);
}

// Commands whose stdin writer finds the reader gone: a child that never reads
// its 16 MiB of input. The pipeline forms start their input-ignoring stage
// first and need a few more launches before the caller writes, so that the
// child has usually exited by the time the first write happens.
struct early_exit_reader {
  std::string label;
  command c;
};
std::vector<early_exit_reader> early_exit_readers() {
  const std::string big(16 * MiB, 'x');
  const command first = test::helper("exit", "0").input(big);
  const command cat = test::helper("cat");
  return {
      {"helper exit 0 <<< 16 MiB", first},
      {"helper exit 0 <<< 16 MiB | 3 x helper cat", first | cat | cat | cat},
      {"helper exit 0 <<< 16 MiB | 7 x helper cat", first | cat | cat | cat | cat | cat | cat | cat},
  };
}

// A first, a last and a middle stage list their fds (through cat where the
// stage is not the last), with the pipeline's stdout and stderr captured.
void check_stages_see_only_stdio() {
  const result first = (test::helper("fds") | test::helper("cat")).out(capture).err(capture).run();
  CHECK(first.out == "0\n1\n2\n");
  CHECK(first.err.empty());
  const result last = (test::helper("write-out", 10) | test::helper("fds")).out(capture).err(capture).run();
  CHECK(last.out == "0\n1\n2\n");
  CHECK(last.err.empty());
  const result middle =
      (test::helper("write-out", 10) | test::helper("fds") | test::helper("cat")).out(capture).err(capture).run();
  CHECK(middle.out == "0\n1\n2\n");
  CHECK(middle.err.empty());
}

}  // namespace

// ---- 1. many mixed runs -------------------------------------------------------

TEST_CASE("1000 mixed runs leave no fd and no child behind", "[stress]") {
  const process_baseline base;
  int successes = 0, failures = 0, timeouts = 0, breaks = 0, sigpipes = 0, body_throws = 0;

  for (int i = 0; i < 1000; ++i) {
    INFO("iteration " << i);
    if (i % 50 == 25) {  // 20 timeouts in all
      try {
        test::helper("sleep", 10000).timeout(50ms).run();
        FAIL("a timed-out run did not throw");
      } catch (const shpp::error& e) {
        REQUIRE(e.timed_out());
        REQUIRE(e.failed_stage().signal == SIGTERM);
        ++timeouts;
      }
      continue;
    }
    switch (i % 10) {
      case 0:  // success, captured
        REQUIRE(test::helper("write-out", 1000).read() == expected_pattern(1000, 26));
        ++successes;
        break;
      case 1:  // checked failure
        try {
          test::helper("fail-with", "boom", 3).err(capture).run();
          FAIL("a failing run did not throw");
        } catch (const shpp::error& e) {
          REQUIRE(e.exit_code() == 3);
          ++failures;
        }
        break;
      case 2: {  // early break out of lines()
        int n = 0;
        for (std::string_view line : cmd("yes").lines()) {
          REQUIRE(line == "y");
          if (++n == 3) break;
        }
        REQUIRE(n == 3);
        ++breaks;
        break;
      }
      case 3: {  // writer | head: the writer dies of SIGPIPE, which is success
        const result r = (test::helper("write-out", 100000000) | cmd("head", "-c", "5")).out(capture).run();
        REQUIRE(r.out == "abcde");
        REQUIRE(r.code() == 0);
        ++sigpipes;
        break;
      }
      case 4:  // an exception from the body of a lines() loop
        try {
          for (std::string_view line : cmd("yes").lines()) {
            if (line == "y") throw body_error{i, "from the body"};
          }
          FAIL("the loop body did not throw");
        } catch (const body_error& e) {
          REQUIRE(e.tag == i);
          ++body_throws;
        }
        break;
      case 5:  // a failing middle stage of a pipeline
        try {
          (test::helper("write-out", 100) | test::helper("exit", 4) | test::helper("count-stdin")).run();
          FAIL("a failing pipeline did not throw");
        } catch (const shpp::error& e) {
          REQUIRE(e.stage() == 2);
          REQUIRE(e.exit_code() == 4);
          ++failures;
        }
        break;
      case 6:  // a signal death, as status()
        REQUIRE(test::helper("raise", SIGKILL).status() == 128 + SIGKILL);
        ++failures;
        break;
      case 7:  // input fed from memory
        REQUIRE(test::helper("count-stdin").input(std::string(100000, 'z')).read() == "100000");
        ++successes;
        break;
      case 8: {  // lines() read to the end
        std::vector<std::string> lines;
        for (std::string_view line : test::helper("echo-args", "a", "b c", "").lines()) lines.emplace_back(line);
        REQUIRE(lines == std::vector<std::string>{"[a]", "[b c]", "[]"});
        ++successes;
        break;
      }
      case 9:  // unchecked failure
        REQUIRE(test::helper("exit", 9).unchecked().run().code() == 9);
        ++failures;
        break;
    }
  }

  CHECK(timeouts == 20);
  CHECK(successes + failures + timeouts + breaks + sigpipes + body_throws == 1000);
  base.check_nothing_left();
}

// ---- 2. and 3. big streams ----------------------------------------------------

TEST_CASE("64 MiB on stdout and 64 MiB on stderr are captured together, byte for byte", "[stress]") {
  const process_baseline base;
  constexpr std::size_t size = 64 * MiB;
  const result r = test::helper("write-both", size).out(capture).err(capture).run();

  CHECK(r.code() == 0);
  CHECK(r.out.size() == size);
  CHECK(r.err.size() == size);
  CHECK(first_pattern_mismatch(r.out, 4096) == std::string_view::npos);
  CHECK(first_pattern_mismatch(r.err, 4096) == std::string_view::npos);
  // A few samples, spelled out, in case the pattern check itself were wrong.
  CHECK(r.out.substr(0, 3) == "abc");
  CHECK(r.out.substr(4094, 3) == "mna");  // a 4 KiB piece ends at 4095 % 26 == 13, then restarts
  CHECK(r.err.substr(size - 2) == "mn");
  base.check_nothing_left();
}

TEST_CASE("64 MiB of input is fed while the child writes 64 MiB of output", "[stress]") {
  const process_baseline base;
  constexpr std::size_t size = 64 * MiB;
  const result r =
      test::helper("consume-and-write", size).input(std::string(size, 'q')).out(capture).err(capture).run();

  CHECK(r.code() == 0);
  CHECK(r.out.size() == size);
  CHECK(first_pattern_mismatch(r.out, 26) == std::string_view::npos);
  CHECK(r.err == std::to_string(size) + "\n");
  base.check_nothing_left();
}

TEST_CASE("64 MiB of input comes back unchanged through cat", "[stress]") {
  const process_baseline base;
  constexpr std::size_t size = 64 * MiB;
  std::string data(size, '\0');
  std::uint32_t x = 12345;  // every byte value, newlines and NULs included
  for (auto& c : data) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<char>(x >> 24);
  }
  const result r = cmd("cat").input(data).out(capture).err(capture).run();

  CHECK(r.code() == 0);
  CHECK(r.out.size() == size);
  CHECK(first_mismatch(r.out, data) == std::string_view::npos);
  CHECK(r.err.empty());
  base.check_nothing_left();
}

// ---- 4. many threads ----------------------------------------------------------

TEST_CASE("8 threads running 200 pipelines each all get their own results", "[stress]") {
  const process_baseline base;
  constexpr int threads = 8, per_thread = 200;
  std::atomic<int> correct{0}, expected_failures{0};
  std::mutex problems_mutex;
  std::vector<std::string> problems;  // Catch2 assertions are not thread-safe: collect, check after
  const auto problem = [&](std::string text) {
    std::lock_guard lock(problems_mutex);
    problems.push_back(std::move(text));
  };

  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int j = 0; j < per_thread; ++j) {
        const std::string where = "thread " + std::to_string(t) + " run " + std::to_string(j) + ": ";
        try {
          if (j % 8 == 7) {
            try {
              (void)(test::helper("write-out", 1000) | test::helper("exit", 3)).read();
              problem(where + "a failing pipeline did not throw");
            } catch (const shpp::error& e) {
              if (e.stage() == 2 && e.exit_code() == 3 && e.stage_count() == 2)
                ++expected_failures;
              else
                problem(where + "wrong error: " + e.what());
            }
          } else if (j % 8 == 3) {
            const int n = 5000 + t * 1000 + j;
            const std::string got = test::helper("count-stdin").input(std::string(n, 'i')).read();
            if (got == std::to_string(n))
              ++correct;
            else
              problem(where + "input of " + std::to_string(n) + " counted as " + got);
          } else {
            const int n = 1000 + t * 1000 + j;  // a different count per run: no crossed wires
            const std::string got = (test::helper("write-out", n) | test::helper("count-stdin")).read();
            if (got == std::to_string(n))
              ++correct;
            else
              problem(where + "expected " + std::to_string(n) + ", got " + got);
          }
        } catch (const std::exception& e) {
          problem(where + "unexpected exception: " + e.what());
        }
      }
    });
  }
  for (auto& th : pool) th.join();

  INFO((problems.empty() ? std::string() : problems.front()));
  CHECK(problems.size() == 0);
  CHECK(correct == threads * (per_thread - per_thread / 8));
  CHECK(expected_failures == threads * (per_thread / 8));
  base.check_nothing_left();
}

// ---- 5. SIGPIPE in the caller -------------------------------------------------

TEST_CASE("with SIGPIPE ignored in the caller, writer | head ends by SIGPIPE and succeeds", "[stress]") {
  const process_baseline base;
  {
    const sigpipe_ignored ignored;
    check_writer_head_ends_by_sigpipe();
  }
  base.check_nothing_left();
}

TEST_CASE("with SIGPIPE ignored in the caller, children start with SIGPIPE default and an empty mask", "[stress]") {
  const process_baseline base;
  {
    const sigpipe_ignored ignored;
    CHECK(test::helper("signals").read() == "SIGPIPE default\nmask empty");
    CHECK((test::helper("write-out", 10) | test::helper("signals")).read() == "SIGPIPE default\nmask empty");
  }
  base.check_nothing_left();
}

TEST_CASE("with SIGPIPE blocked in the caller, writer | head ends by SIGPIPE and succeeds", "[stress]") {
  const process_baseline base;
  {
    sigpipe_blocked blocked;
    check_writer_head_ends_by_sigpipe();
    CHECK_FALSE(blocked.drain());
  }
  base.check_nothing_left();
}

TEST_CASE("with SIGPIPE blocked in the caller, children start with SIGPIPE default and an empty mask", "[stress]") {
  const process_baseline base;
  {
    sigpipe_blocked blocked;
    CHECK(test::helper("signals").read() == "SIGPIPE default\nmask empty");
    CHECK((test::helper("write-out", 10) | test::helper("signals")).read() == "SIGPIPE default\nmask empty");
    CHECK(test::helper("signals").input("unread").read() == "SIGPIPE default\nmask empty");
  }
  base.check_nothing_left();
}

TEST_CASE("a child that stops reading its input early does not kill a caller with SIGPIPE at default", "[stress]") {
  // Each command runs in a forked copy of this process, so that a SIGPIPE that
  // gets through shows up as a failed check (the copy's death) rather than as
  // the death of the suite.
  const process_baseline base;
  for (const auto& e : early_exit_readers()) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::signal(SIGPIPE, SIG_DFL);
      const sigset_t s = sigpipe_only();
      ::pthread_sigmask(SIG_UNBLOCK, &s, nullptr);
      int bad = 0;
      for (int round = 0; round < 20; ++round) {
        try {
          if (e.c.run().code() != 0) bad = 1;
        } catch (...) {
          bad = 2;
        }
      }
      ::_exit(bad);
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    INFO(e.label);
    INFO("the caller " << (WIFSIGNALED(status) ? "was killed by signal " + std::to_string(WTERMSIG(status))
                                               : "exited with " + std::to_string(WEXITSTATUS(status))));
    CHECK(WIFEXITED(status));
    if (WIFEXITED(status)) CHECK(WEXITSTATUS(status) == 0);
  }
  base.check_nothing_left();
}

TEST_CASE("a child that stops reading its input early leaves no SIGPIPE pending in a caller that blocks it",
          "[stress]") {
  const process_baseline base;
  const auto commands = early_exit_readers();
  {
    sigpipe_blocked blocked;
    constexpr int rounds = 20;
    std::vector<int> left_pending(commands.size(), 0);  // per command, to tell which forms leak
    for (int round = 0; round < rounds; ++round)
      for (std::size_t k = 0; k < commands.size(); ++k) {
        CHECK(commands[k].c.run().code() == 0);
        if (blocked.drain()) ++left_pending[k];
      }
    for (std::size_t k = 0; k < commands.size(); ++k) {
      INFO(commands[k].label);
      INFO(left_pending[k] << " of " << rounds << " runs left a SIGPIPE pending");
      CHECK(left_pending[k] == 0);
    }
  }
  base.check_nothing_left();
}

// ---- 6. a heavy caller --------------------------------------------------------

TEST_CASE("a caller holding 1 GiB of touched memory still runs commands", "[stress]") {
  const process_baseline base;
  {
    std::vector<char> big(std::size_t{1} << 30);
    for (std::size_t i = 0; i < big.size(); i += 4096) big[i] = 1;

    CHECK(test::helper("echo-args", "x", "y z").read() == "[x]\n[y z]");
    CHECK((test::helper("write-out", MiB) | test::helper("count-stdin")).read() == std::to_string(MiB));
    CHECK(test::helper("cat").input(std::string(MiB, 'm')).read() == std::string(MiB, 'm'));
    CHECK(test::helper("exit", 7).status() == 7);
    int n = 0;
    for (std::string_view line : cmd("yes").lines()) {
      CHECK(line == "y");
      if (++n == 10) break;
    }
    CHECK(n == 10);

    // The memory is still ours and intact.
    std::size_t touched = 0;
    for (std::size_t i = 0; i < big.size(); i += 4096) touched += static_cast<std::size_t>(big[i]);
    CHECK(touched == big.size() / 4096);
  }
  base.check_nothing_left();
}

// ---- 7. inherited fds ---------------------------------------------------------

TEST_CASE("children inherit only fds 0 1 2, not the caller's fds opened without O_CLOEXEC", "[stress]") {
  const process_baseline base;
  const int file = ::open("/dev/null", O_RDONLY);  // deliberately without O_CLOEXEC
  int pipe_ends[2];
  REQUIRE(::pipe(pipe_ends) == 0);  // likewise
  REQUIRE(file > 2);
  REQUIRE((::fcntl(file, F_GETFD) & FD_CLOEXEC) == 0);
  REQUIRE((::fcntl(pipe_ends[0], F_GETFD) & FD_CLOEXEC) == 0);

  CHECK(test::helper("fds").read() == "0\n1\n2");
  CHECK((test::helper("write-out", 10) | test::helper("fds")).read() == "0\n1\n2");

  ::close(file);
  ::close(pipe_ends[0]);
  ::close(pipe_ends[1]);
  base.check_nothing_left();
}

TEST_CASE("every stage of a pipeline with captured stdout and stderr sees only fds 0 1 2", "[stress]") {
  const process_baseline base;
  {
    // Another run's capture pipes stay open in this process meanwhile.
    job other = test::helper("sleep", 10000).out(capture).err(capture).spawn();
    check_stages_see_only_stdio();
    other.kill();
    CHECK(other.wait().stages.at(0).signal == SIGKILL);
  }
  base.check_nothing_left();
}

// ---- 8. exceptions out of lines() ---------------------------------------------

TEST_CASE("an exception from a lines() loop body propagates unchanged and leaves no zombie or fd", "[stress]") {
  const process_baseline base;
  bool caught = false;
  int seen = 0;
  try {
    for (std::string_view line : (cmd("yes", "line") | test::helper("cat")).lines()) {
      REQUIRE(line == "line");
      if (++seen == 5) throw body_error{42, "thrown by the loop body"};
    }
  } catch (const body_error& e) {
    caught = true;
    CHECK(e.tag == 42);
    CHECK(e.text == "thrown by the loop body");
  }
  CHECK(caught);
  CHECK(seen == 5);
  base.check_nothing_left();
}
