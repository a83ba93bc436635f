#include <catch2/catch.hpp>

#include <csignal>

#include "../helper.hpp"

using namespace shpp;
using namespace std::chrono_literals;

TEST_CASE("error::what holds the command line, stage, code, cwd and stderr tail", "[error]") {
  test::temp_dir dir;
  try {
    (cmd("echo", "a b") | test::helper("fail-with", "it broke", 3).err(capture) | cmd("cat")).cwd(dir.path).run();
    FAIL("no throw");
  } catch (const shpp::error& e) {
    const std::string what = e.what();
    CHECK_THAT(what, Catch::Contains("echo 'a b' | "));
    CHECK_THAT(what, Catch::Contains("stage 2 of 3"));
    CHECK_THAT(what, Catch::Contains("exited with code 3"));
    CHECK_THAT(what, Catch::Contains("cwd: " + dir.path.string()));
    CHECK_THAT(what, Catch::Contains("it broke"));
    CHECK(e.stage() == 2);
    CHECK(e.stage_count() == 3);
    CHECK(e.exit_code() == 3);
    CHECK_FALSE(e.signal());
    CHECK(e.cwd() == dir.path.string());
    CHECK(e.stderr_tail() == "it broke\n");
    CHECK(e.command_line().find("fail-with 'it broke' 3") != std::string::npos);
  }
}

TEST_CASE("the stderr tail keeps the last 4 KiB", "[error]") {
  try {
    cmd("sh", "-c", "head -c 10000 /dev/zero | tr '\\0' a >&2; echo THE-END >&2; exit 1").err(capture).run();
    FAIL("no throw");
  } catch (const shpp::error& e) {
    CHECK(e.stderr_tail().size() == 4096);
    CHECK_THAT(e.stderr_tail(), Catch::EndsWith("THE-END\n"));
    CHECK(e.result().err.size() == 10008);
    CHECK_THAT(e.what(), Catch::Contains("last 4 KiB"));
  }
}

TEST_CASE("error names the signal", "[error]") {
  try {
    test::helper("raise", SIGSEGV).run();
    FAIL("no throw");
  } catch (const shpp::error& e) {
    CHECK(e.signal() == SIGSEGV);
    CHECK_FALSE(e.exit_code());
    CHECK_THAT(e.what(), Catch::Contains("killed by SIGSEGV"));
  }
}

TEST_CASE("error without captured stderr shows no tail", "[error]") {
  try {
    test::helper("exit", 1).err(null).run();
    FAIL("no throw");
  } catch (const shpp::error& e) {
    CHECK(e.stderr_tail().empty());
    CHECK_FALSE(Catch::Contains("stderr").match(e.what()));
  }
}

TEST_CASE("error command line is pasteable into bash", "[error]") {
  try {
    (cmd("printf", "%s", "it's") | test::helper("exit", 1)).run();
    FAIL("no throw");
  } catch (const shpp::error& e) {
    // Run the printed pipeline through bash: same failure, same output.
    CHECK(cmd("bash", "-c", e.command_line() + "; echo ${PIPESTATUS[@]}").unchecked().run().code() == 0);
    CHECK(cmd("bash", "-o", "pipefail", "-c", e.command_line()).status() == 1);
  }
}

TEST_CASE("an error from run() names the caller's file and line", "[error]") {
  const auto line = __LINE__ + 2;
  try {
    (void)cmd("false").run();
    FAIL("no throw");
  } catch (const shpp::error& e) {
    CHECK(e.where().line() == line);
    CHECK(std::string_view(e.where().file_name()).ends_with("error_test.cpp"));
    CHECK_THAT(e.what(), Catch::StartsWith("error_test.cpp:" + std::to_string(line) + ": shpp: command failed: false\n"));
  }
}

TEST_CASE("errors from read(), lines() and a job's wait() name the line that ran the command", "[error]") {
  const auto prefix = [](unsigned line) { return "error_test.cpp:" + std::to_string(line) + ": shpp: command failed: "; };
  unsigned line = __LINE__ + 1;
  CHECK_THROWS_WITH(cmd("false").read(), Catch::StartsWith(prefix(line)));
  line = __LINE__ + 1;
  CHECK_THROWS_WITH([] { for (auto l : cmd("false").lines()) (void)l; }(), Catch::StartsWith(prefix(line)));
  line = __LINE__ + 1;
  job j = cmd("false").spawn();
  CHECK_THROWS_WITH(j.wait(), Catch::StartsWith(prefix(line)));
}

TEST_CASE("an error made without a location has no prefix", "[error]") {
  result r;
  stage_status failed;
  failed.command = "x";
  failed.code = 1;
  failed.ok = false;
  r.stages.push_back(failed);
  const shpp::error e("x", 0, r, "");
  CHECK_THAT(e.what(), Catch::StartsWith("shpp: command failed: x\n"));
}
