// Script mode: what the runner adds to every script. shpp's names in scope,
// `set -e` endings, errors that name the script's line, and `set -x` tracing.
#include <catch2/catch.hpp>

#include "../helper.hpp"
#include "runner_helper.hpp"

using namespace shpp;
using namespace test::runner;

TEST_CASE("a script sees shpp's names and chrono literals without a using-directive", "[runner][script-mode]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "names.cpp", R"(
int main() {
  result r = cmd("echo", "named").out(capture).timeout(5s).run();
  fmt::print("{}", r.out);
}
)");
  CHECK(shpp_run(script).read() == "named");
}

TEST_CASE("a script that writes using namespace shpp itself still compiles", "[runner][script-mode]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "own_using.cpp", R"(
using namespace shpp;
using namespace std::chrono_literals;
int main() {
  using namespace shpp;
  fmt::print("{}\n", cmd("echo", "own").timeout(1s).read());
}
)");
  CHECK(shpp_run(script).read() == "own");
}

TEST_CASE("// shpp: no-using leaves shpp's names out of the global scope", "[runner][script-mode]") {
  test::temp_dir dir;
  // With `using namespace shpp;` the name `result` would be ambiguous.
  const auto script = make_script(dir, "no_using.cpp", R"(// shpp: no-using
struct result { int code; };
int main() {
  shpp::cmd("true").run();
  return result{7}.code;
}
)");
  CHECK(shpp_run(script).status() == 7);
}

TEST_CASE("a failed command ends a script as set -e: output kept, message, the stage's status",
          "[runner][script-mode]") {
  test::temp_dir dir;
  const auto out = dir.path / "o";
  const auto r =
      shpp_run(
          "-e",
          R"(fmt::print("partial\n"); std::cout << "more\n"; cmd("sh", "-c", "exit 3").run(); fmt::print("never\n");)")
          .out(out)
          .err(capture)
          .unchecked()
          .run();
  CHECK(r.code() == 3);
  CHECK(test::slurp(out) == "partial\nmore\n");
  CHECK_THAT(r.err, Catch::StartsWith("-e:1: shpp: command failed: sh -c 'exit 3'\n"));
  CHECK_THAT(r.err, Catch::EndsWith("exited with code 3\n"));
}

TEST_CASE("a command killed by a signal ends a script with status 128+N", "[runner][script-mode]") {
  const auto r = shpp_run("-e", R"(fmt::print("before\n"); cmd("sh", "-c", "kill -TERM $$").run();)")
                     .out(capture)
                     .err(capture)
                     .unchecked()
                     .run();
  CHECK(r.code() == 143);
  CHECK(r.out == "before\n");
  CHECK_THAT(r.err, Catch::Contains("killed by SIGTERM"));
}

TEST_CASE("any other uncaught exception prints its what() and exits 1", "[runner][script-mode]") {
  const auto r = shpp_run("-e", R"(std::printf("kept\n"); throw std::runtime_error("it went wrong");)")
                     .out(capture)
                     .err(capture)
                     .unchecked()
                     .run();
  CHECK(r.code() == 1);
  CHECK(r.out == "kept\n");
  CHECK(r.err == "it went wrong\n");
}

TEST_CASE("an error names the script's file and line", "[runner][script-mode]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "deploy.cpp", R"(
int main() {
  cmd("false").run();
}
)");
  const auto r = shpp_run(script).err(capture).unchecked().run();
  CHECK(r.code() == 1);
  // Line 4 of the file: the shebang is line 1.
  CHECK_THAT(r.err, Catch::StartsWith("deploy.cpp:4: shpp: command failed: false\n"));
}

TEST_CASE("shpp -x prints each command before it runs, as set -x", "[runner][script-mode]") {
  const std::string code = R"(fmt::print("1\n"); cmd("echo", "a b").run(); (void)cmd("true").read();)";
  const auto traced = shpp_run("-x", "-e", code).out(capture).err(capture).run();
  CHECK(traced.out == "1\na b\n");
  CHECK(traced.err == "+ echo 'a b'\n+ true\n");
  const auto quiet = shpp_run("-e", code).out(capture).err(capture).run();
  CHECK(quiet.err.empty());
}

TEST_CASE("SHPP_TRACE=1 traces a script; the runner's own compiler runs are never traced", "[runner][script-mode]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "traced.cpp", "int main() { cmd(\"true\").run(); }\n");
  const auto r = shpp_run("--force", script).env("SHPP_TRACE", "1").err(capture).run();
  CHECK(r.err == "+ true\n");
}

TEST_CASE("the ide option gives clangd the script's using-directives unless no-using", "[runner][script-mode]") {
  test::temp_dir dir;
  const auto with = make_script(dir, "ide_using.cpp", "int main() { cmd(\"true\").run(); }\n");
  CHECK_THAT(shpp_run("--ide", with).err(null).read(), Catch::Contains("/using.hpp"));
  std::filesystem::remove(dir.path / "compile_commands.json");
  const auto without =
      make_script(dir, "ide_no_using.cpp", "// shpp: no-using\nint main() { shpp::cmd(\"true\").run(); }\n");
  CHECK_FALSE(Catch::Contains("/using.hpp").match(shpp_run("--ide", without).err(null).read()));
}
