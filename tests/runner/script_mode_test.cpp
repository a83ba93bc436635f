// Script mode: what the runner adds to every script: `set -x` tracing.
#include <catch2/catch.hpp>

#include <fstream>

#include "../helper.hpp"
#include "runner_helper.hpp"

using namespace shpp;
using namespace test::runner;

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
