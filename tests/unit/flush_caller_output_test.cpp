// When a run must flush the caller's buffered output first, tested as data: no process starts here.
#include <catch2/catch.hpp>

#include <shpp/shpp.hpp>

#include "model/command_access.hpp"
#include "plan/flush_caller_output.hpp"
#include "plan/plan.hpp"

using namespace shpp;
using detail::make_plan;

namespace {

bool writes_to_caller(const command& c, bool stream = false) {
  return detail::writes_to_caller_output(make_plan(detail::command_access::node(c), stream));
}

}  // namespace

TEST_CASE("a stage that inherits stdout or stderr writes to the caller's output", "[unit][flush]") {
  CHECK(writes_to_caller(cmd("a")));
  CHECK(writes_to_caller(cmd("a").out(capture)));  // stderr is still the caller's
  CHECK(writes_to_caller(cmd("a").err(capture)));
  CHECK(writes_to_caller(cmd("a") | cmd("b").out(null).err(null)));  // a's stderr
}

TEST_CASE("a run whose every stream goes elsewhere needs no flush", "[unit][flush]") {
  CHECK_FALSE(writes_to_caller(cmd("a").out(capture).err(capture)));
  CHECK_FALSE(writes_to_caller(cmd("a").out("f").err(null)));
  CHECK_FALSE(writes_to_caller((cmd("a") | cmd("b")).out(capture).err(null)));
  CHECK_FALSE(writes_to_caller(cmd("a").err(null), /*stream=*/true));  // lines(): stdout is read by us
}

TEST_CASE("2>&1 and 1>&2 reach the caller through the stream they join", "[unit][flush]") {
  CHECK_FALSE(writes_to_caller(cmd("a").err(to_stdout) | cmd("b").out(null).err(null)));  // a writes into the pipe
  CHECK(writes_to_caller(cmd("a").err(to_stdout)));                // both to our stdout
  CHECK_FALSE(writes_to_caller(cmd("a").err(to_stdout).out("f")));  // both to f
  CHECK(writes_to_caller(cmd("a").out(to_stderr)));                // both to our stderr
  CHECK_FALSE(writes_to_caller(cmd("a").out(to_stderr).err(null)));
}
