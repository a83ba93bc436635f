// The plan, tested as data: no process starts here.
#include <catch2/catch.hpp>

#include <shpp/shpp.hpp>

#include "model/command_access.hpp"
#include "plan/plan.hpp"

using namespace shpp;
using namespace std::chrono_literals;
using detail::make_plan;

namespace {

detail::launch_plan plan_of(const command& c) { return make_plan(detail::command_access::node(c)); }

}  // namespace

TEST_CASE("a pipe flattens into stages joined left to right", "[unit][plan]") {
  const auto p = plan_of(cmd("a") | cmd("b", "x") | cmd("c"));
  REQUIRE(p.stages.size() == 3);
  CHECK(p.stages[0].argv == std::vector<std::string>{"a"});
  CHECK(p.stages[1].argv == std::vector<std::string>{"b", "x"});
  CHECK(p.stages[0].to_next);
  CHECK_FALSE(p.stages[0].from_previous);
  CHECK(p.stages[1].from_previous);
  CHECK(p.stages[1].to_next);
  CHECK(p.stages[2].from_previous);
  CHECK_FALSE(p.stages[2].to_next);
}

TEST_CASE("a modifier on a pipeline reaches every stage; the inner one wins", "[unit][plan]") {
  const auto p = plan_of((cmd("a").env("V", "inner") | cmd("b")).env("V", "outer").cwd("/tmp").timeout(5s));
  REQUIRE(p.stages.size() == 2);
  for (const auto& s : p.stages) {
    CHECK(s.cwd == std::filesystem::path("/tmp"));
    CHECK(s.timeout == 5s);
  }
  // Outside-in: the outer value is applied first, the inner one last.
  REQUIRE(p.stages[0].env_changes.size() == 2);
  CHECK(p.stages[0].env_changes.back().value == "inner");
  CHECK(p.stages[1].env_changes.back().value == "outer");
}

TEST_CASE("the tightest timeout wins and relative cwds nest", "[unit][plan]") {
  const auto p = plan_of(cmd("a").timeout(2s).cwd("b").timeout(1s).cwd("/a"));
  CHECK(p.stages[0].timeout == 1s);
  CHECK(p.stages[0].cwd == std::filesystem::path("/a/b"));
}

TEST_CASE("a redirection on a piped stage takes its end of the pipe", "[unit][plan]") {
  const auto p = plan_of((cmd("a") > "f") | (cmd("b") < "g"));
  CHECK_FALSE(p.stages[0].to_next);
  CHECK(p.stages[0].out.target() == output::kind::file);
  CHECK_FALSE(p.stages[1].from_previous);
  CHECK(std::holds_alternative<detail::stdin_file>(p.stages[1].in));
}

TEST_CASE("contradictory redirections are usage errors", "[unit][plan]") {
  CHECK_THROWS_AS(plan_of(cmd("a").out(to_stderr).err(to_stdout)), usage_error);
  CHECK_THROWS_AS(plan_of(cmd("a").err(to_stderr)), usage_error);
  CHECK_THROWS_AS(plan_of(cmd("a").out(to_stdout)), usage_error);
  CHECK_THROWS_AS(plan_of(command::from_argv({})), usage_error);
}

TEST_CASE("every stage is stopped with SIGTERM, a grace, then SIGKILL", "[unit][plan]") {
  const auto p = plan_of(cmd("a"));
  REQUIRE(p.stages[0].stop.steps.size() == 2);
  CHECK(p.stages[0].stop.steps[0].signal == SIGTERM);
  CHECK(p.stages[0].stop.steps[0].then_wait == 1s);
  CHECK(p.stages[0].stop.steps[1].signal == SIGKILL);
}


TEST_CASE("lines() streams the stdout that no inner redirection takes", "[unit][plan]") {
  const auto p = make_plan(detail::command_access::node(cmd("a") | cmd("b")), /*stream_stdout=*/true);
  CHECK(p.stages[0].to_next);
  CHECK(p.stages[1].to_stream);
  const auto redirected = make_plan(detail::command_access::node(cmd("a") > "f"), true);
  CHECK_FALSE(redirected.stages[0].to_stream);
  CHECK(redirected.stages[0].out.target() == output::kind::file);
  CHECK_FALSE(plan_of(cmd("a")).stages[0].to_stream);
}
