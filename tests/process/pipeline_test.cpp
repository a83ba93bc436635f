#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <csignal>

#include "../helper.hpp"

using namespace shpp;

TEST_CASE("pipefail: every stage is checked", "[pipeline]") {
  CHECK_THROWS_AS((test::helper("exit", 1) | cmd("cat")).run(), shpp::error);
  CHECK((test::helper("exit", 1) | cmd("cat")).status() == 1);
}

TEST_CASE("the headline failure is the rightmost failing stage", "[pipeline]") {
  try {
    (test::helper("exit", 2) | test::helper("exit", 3) | test::helper("exit", 0)).run();
    FAIL("no throw");
  } catch (const shpp::error& e) {
    CHECK(e.stage() == 2);
    CHECK(e.stage_count() == 3);
    CHECK(e.exit_code() == 3);
    CHECK(e.result().stages[0].code == 2);
  }
  CHECK((test::helper("exit", 2) | test::helper("exit", 3) | cmd("true")).status() == 3);
}

TEST_CASE("stages are joined by pipes", "[pipeline]") {
  CHECK((cmd("printf", "b\\na\\nc\\n") | cmd("sort") | cmd("head", "-n", 2)).read() == "a\nb");
}

TEST_CASE("sigpipe upstream is success", "[pipeline]") {
  CHECK((cmd("yes") | cmd("head", "-n", 1)).read() == "y");
  auto r = (cmd("yes") | cmd("head", "-n", 1)).out(capture).run();
  CHECK(r.stages[0].signal == SIGPIPE);
  CHECK(r.stages[0].sigpipe_ok());
  CHECK(r.code() == 0);
}

TEST_CASE("any other signal death fails and is named", "[pipeline]") {
  try {
    (test::helper("raise", SIGKILL) | cmd("cat")).run();
    FAIL("no throw");
  } catch (const shpp::error& e) {
    CHECK(e.signal() == SIGKILL);
    CHECK_THAT(e.what(), Catch::Contains("killed by SIGKILL"));
  }
  CHECK((test::helper("raise", SIGSEGV) | cmd("cat")).status() == 128 + SIGSEGV);
}

TEST_CASE("the last stage dying of SIGPIPE is a failure", "[pipeline]") {
  CHECK(test::helper("raise", SIGPIPE).status() == 128 + SIGPIPE);
}

TEST_CASE("command not found is 127 with a clear message", "[pipeline]") {
  CHECK(cmd("shpp-no-such-program").status() == 127);
  try {
    cmd("shpp-no-such-program", "x").run();
    FAIL("no throw");
  } catch (const shpp::error& e) {
    CHECK_THAT(e.what(), Catch::Contains("command not found: shpp-no-such-program"));
  }
}

TEST_CASE("a file that is not executable is 126", "[pipeline]") {
  test::temp_dir dir;
  std::ofstream(dir.path / "script") << "echo hi\n";
  CHECK(cmd(dir.path / "script").status() == 126);
  CHECK_THROWS_WITH(cmd(dir.path / "script").run(), Catch::Contains("permission denied"));
  CHECK(cmd("./missing").cwd(dir.path).status() == 127);
}

TEST_CASE("a missing redirect file or cwd is a clear error naming the command", "[pipeline]") {
  test::temp_dir dir;
  CHECK_THROWS_WITH((cmd("cat") < dir.path / "nope").run(),
                    Catch::Contains("cat") && Catch::Contains("cannot read") && Catch::Contains("nope"));
  CHECK_THROWS_WITH((cmd("echo") > dir.path / "no/dir/f").run(), Catch::Contains("cannot write"));
  CHECK_THROWS_WITH(cmd("pwd").cwd(dir.path / "nodir").run(),
                    Catch::Contains("cannot cd to") && Catch::Contains("nodir"));
  CHECK(cmd("pwd").cwd(dir.path / "nodir").status() == 1);
}

TEST_CASE("a later stage that fails to launch leaves nothing running", "[pipeline]") {
  const int fds = test::open_fd_count();
  CHECK((cmd("sleep", 100) | cmd("shpp-no-such-program")).status() == 127);
  CHECK(test::child_count() == 0);
  CHECK(test::open_fd_count() == fds);
  try {
    (cmd("sleep", 100) | cmd("cat") | cmd("shpp-no-such-program")).run();
    FAIL("no throw");
  } catch (const shpp::error& e) {
    CHECK(e.stage() == 3);
    CHECK_THAT(e.what(), Catch::Contains("command not found"));
    CHECK_FALSE(Catch::Contains("SIGKILL").match(e.what()));
  }
  CHECK(test::child_count() == 0);
}

TEST_CASE("children start with default signal dispositions and an empty mask", "[pipeline]") {
  auto old = ::signal(SIGPIPE, SIG_IGN);
  sigset_t block, saved;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &block, &saved);
  const std::string got = test::helper("signals").read();
  pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  ::signal(SIGPIPE, old);
  CHECK(got == "SIGPIPE default\nmask empty");
}

TEST_CASE("a caller ignoring SIGPIPE still ends yes | head", "[pipeline]") {
  auto old = ::signal(SIGPIPE, SIG_IGN);
  const std::string got = (cmd("yes") | cmd("head", "-n", 2)).read();
  ::signal(SIGPIPE, old);
  CHECK(got == "y\ny");
}
