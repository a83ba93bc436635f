// Input that cannot reach a child as written is refused before anything runs,
// and limits that overflow saturate instead.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "../helper.hpp"

using namespace shpp;
using namespace std::chrono_literals;

TEST_CASE("env_clear keeps the env calls made after it", "[command]") {
  CHECK(cmd("env").env_clear().env("X", "1").read() == "X=1");
  CHECK(cmd("env").env("Y", "2").env_clear().read() == "Y=2");
}

TEST_CASE("a NUL byte in an argument, program, env value or path is a usage error", "[command]") {
  const std::string nul("ab\0cd", 5);
  CHECK_THROWS_AS(cmd("printf", "%s", nul).run(), usage_error);
  CHECK_THROWS_WITH(cmd("printf", "%s", nul).run(), Catch::Contains("an argument contains a NUL byte"));
  CHECK_THROWS_WITH(cmd(nul).run(), Catch::Contains("the program name contains a NUL byte"));
  CHECK_THROWS_WITH(cmd("true").env("V", nul).run(), Catch::Contains("the value of V contains a NUL byte"));
  CHECK_THROWS_AS(cmd("true").cwd(nul).run(), usage_error);
  CHECK_THROWS_AS((cmd("true") > nul).run(), usage_error);
  CHECK_THROWS_AS((cmd("cat") < nul).run(), usage_error);
  CHECK_THROWS_AS(cmd("true").env("V", nul).spawn(), usage_error);
  CHECK_THROWS_AS(cmd("true").env("V", nul).lines(), usage_error);
}

TEST_CASE("an empty env name or one holding = or NUL is a usage error", "[command]") {
  CHECK_THROWS_AS(cmd("env").env("", "v"), usage_error);
  CHECK_THROWS_WITH(cmd("env").env("A=B", "v"), Catch::Contains("not a valid environment variable name"));
  CHECK_THROWS_AS(cmd("env").env(std::string("A\0B", 3), "v"), usage_error);
  CHECK_THROWS_AS(cmd("env").env_remove("A=B"), usage_error);
}

TEST_CASE("a huge timeout saturates instead of firing at once or being refused", "[timeout]") {
  CHECK(cmd("echo", "in time").timeout(std::chrono::nanoseconds::max()).read() == "in time");
  CHECK(cmd("echo", "in time").timeout(std::chrono::seconds::max()).read() == "in time");
  CHECK(cmd("echo", "in time").timeout(std::chrono::years(1000)).read() == "in time");
  CHECK(cmd("echo", "in time").timeout(std::chrono::hours::max()).read() == "in time");
  CHECK_THROWS_AS(cmd("true").timeout(0s), usage_error);
  CHECK_THROWS_AS(cmd("true").timeout(-1s), usage_error);
}
