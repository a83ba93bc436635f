// Faults injected for real, not mocked: a few dozen fds, a process limit, a
// disk that fills, children that close or ignore their pipes, a damaged cache.
// Each must give a clear error, leak nothing, and leave the next run working.
#include <catch2/catch.hpp>

#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "../helper.hpp"

using namespace shpp;
using namespace std::chrono_literals;

namespace {

// Lowers RLIMIT_NOFILE for the scope (this test's process alone).
struct fd_limit {
  rlimit old{};
  explicit fd_limit(rlim_t n) {
    ::getrlimit(RLIMIT_NOFILE, &old);
    rlimit low = old;
    low.rlim_cur = n;
    ::setrlimit(RLIMIT_NOFILE, &low);
  }
  ~fd_limit() { ::setrlimit(RLIMIT_NOFILE, &old); }
};

}  // namespace

TEST_CASE("out of fds: a clear launch failure, nothing leaked, then it works again", "[fault]") {
  const int fds = test::open_fd_count();
  {
    fd_limit limit(static_cast<rlim_t>(fds + 12));
    // Longer and longer pipelines until one cannot get its pipes.
    bool failed = false;
    for (int stages = 1; stages < 30 && !failed; ++stages) {
      command c = cmd("cat");
      for (int i = 1; i < stages; ++i) c = c | cmd("cat");
      auto r = c.input("x").out(capture).err(capture).unchecked().run();
      if (!r.ok()) {
        failed = true;
        bool launch_failure = false;
        for (const auto& s : r.stages)
          if (s.how == stage_status::ending::launch_failed) {
            launch_failure = true;
            CHECK(s.code == 126);
            CHECK_THAT(s.launch_error, Catch::Contains("Too many open files"));
          }
        CHECK(launch_failure);
      } else {
        CHECK(r.out == "x");
      }
      CHECK(test::child_count() == 0);
      CHECK(test::open_fd_count() == fds);
    }
    CHECK(failed);
  }
  CHECK((cmd("echo", "again") | cmd("cat")).read() == "again");
  CHECK(test::open_fd_count() == fds);
}

TEST_CASE("out of processes or threads: a clear launch failure and nothing left running", "[fault]") {
  // Root ignores RLIMIT_NPROC: the limit is tried as another user, in a child.
  const pid_t child = ::fork();
  if (child == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) std::_Exit(10);
    rlimit few{0, 0};  // no new process at all for this user
    if (::setrlimit(RLIMIT_NPROC, &few) != 0) std::_Exit(11);
    auto r = (cmd("true") | cmd("cat")).unchecked().run();
    const auto& s = r.stages[0];
    if (s.how != stage_status::ending::launch_failed || s.code != 126) std::_Exit(12);
    if (s.launch_error.find("Resource temporarily unavailable") == std::string::npos) std::_Exit(13);
    if (test::child_count() != 0) std::_Exit(14);
    // A job needs a thread to drive it: without one it is a launch failure too.
    try {
      (void)cmd("true").spawn();
      std::_Exit(15);
    } catch (const error& e) {
      if (e.failed_stage().code != 126) std::_Exit(16);
      if (std::string(e.what()).find("cannot start a thread to drive the job") == std::string::npos) std::_Exit(17);
    }
    std::_Exit(0);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("a disk that fills: the writer's failure names it, nothing leaks", "[fault]") {
  test::temp_dir dir;
  if (::mount("shpp-test", dir.path.c_str(), "tmpfs", 0, "size=64k") != 0) {
    WARN("cannot mount a tmpfs here (needs root): not tested");
    return;
  }
  struct unmount_at_exit {
    const char* path;
    ~unmount_at_exit() { ::umount(path); }
  } unmount{dir.path.c_str()};
  const int fds = test::open_fd_count();
  try {
    (cmd("yes") | cmd("head", "-c", "1000000") | (cmd("cat") > (dir.path / "big")).err(capture)).run();
    FAIL("no error");
  } catch (const error& e) {
    CHECK(e.stage() == 3);
    CHECK(e.exit_code() == 1);
    CHECK_THAT(e.what(), Catch::Contains("No space left on device"));
  }
  CHECK(test::child_count() == 0);
  CHECK(test::open_fd_count() == fds);
  CHECK(cmd("echo", "fine").read() == "fine");
}

TEST_CASE("a child that closes its stdout early or never reads its stdin is no failure", "[fault]") {
  auto closed = (cmd("sh", "-c", "exec >&-; echo still >&2") | cmd("cat")).out(capture).err(capture).run();
  CHECK(closed.out.empty());
  CHECK(closed.err == "still\n");
  auto unread = cmd("true").input(std::string(8 << 20, 'x')).run();
  CHECK(unread.ok());
  CHECK(test::child_count() == 0);
}

TEST_CASE("a cwd without search permission is a cd failure, status 1", "[fault]") {
  test::temp_dir dir;
  std::filesystem::create_directories(dir.path / "locked");
  std::filesystem::permissions(dir.path, std::filesystem::perms::all, std::filesystem::perm_options::add);
  std::filesystem::permissions(dir.path / "locked", std::filesystem::perms::owner_read | std::filesystem::perms::others_read,
                               std::filesystem::perm_options::replace);
  const pid_t child = ::fork();
  if (child == 0) {  // as another user: root may enter any folder
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) std::_Exit(10);
    auto r = cmd("true").cwd(dir.path / "locked").unchecked().run();
    const auto& s = r.stages[0];
    if (s.how != stage_status::ending::launch_failed || s.code != 1) std::_Exit(11);
    if (s.launch_error.find("cannot cd to") == std::string::npos) std::_Exit(12);
    if (s.launch_error.find("Permission denied") == std::string::npos) std::_Exit(13);
    std::_Exit(0);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("a child that leaves a daemon holding the pipe: its timeout ends the run, nothing leaks", "[fault]") {
  const int fds = test::open_fd_count();
  const auto start = std::chrono::steady_clock::now();
  // The daemon leaves the child's process group (setsid), so no signal of ours reaches it; it keeps stdout open.
  // sh waits until the daemon is out of its group: then nothing of the stage is left to signal.
  auto r = cmd("sh", "-c", "setsid sleep 30 & sleep 0.2; echo $!").out(capture).timeout(std::chrono::milliseconds(500)).unchecked().run();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  const std::string daemon = r.out.substr(0, r.out.find('\n'));
  REQUIRE(!daemon.empty());
  CHECK(test::child_count() == 0);
  CHECK(test::open_fd_count() == fds);
  CHECK(cmd("echo", "fine").read() == "fine");
  cmd("kill", daemon).unchecked().run();
}
