// How a stage's end becomes its status, and which stage an error reports:
// the rules as data, no process.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>

#include "engine/status_rules.hpp"

using namespace shpp;
using namespace shpp::detail;
using ending = stage_status::ending;

namespace {

stage_plan plan_for(std::vector<int> ok_codes = {0}) {
  stage_plan p;
  p.argv = {"prog", "arg"};
  p.ok_codes = std::move(ok_codes);
  return p;
}

stage_facts exited(int code) {
  stage_facts f;
  f.started = true;
  f.native_status = W_EXITCODE(code, 0);
  return f;
}

stage_facts killed_by(int sig) {
  stage_facts f;
  f.started = true;
  f.native_status = sig;  // a signal death: the signal in the low 7 bits, no core flag
  return f;
}

}  // namespace

TEST_CASE("an exit is ok only with an ok code", "[unit][status]") {
  auto zero = make_stage_status(plan_for(), exited(0));
  CHECK(zero.how == ending::exited);
  CHECK(zero.ok);
  CHECK(zero.code == 0);
  auto one = make_stage_status(plan_for(), exited(1));
  CHECK_FALSE(one.ok);
  CHECK(one.code == 1);
  CHECK(one.describe() == "exited with code 1");
  auto allowed = make_stage_status(plan_for({0, 1}), exited(1));
  CHECK(allowed.ok);
  CHECK(allowed.shell_code() == 1);  // $? stays what Bash would say
}

TEST_CASE("a signal death fails unless it is SIGPIPE after the reader went or one we sent", "[unit][status]") {
  auto kill9 = make_stage_status(plan_for(), killed_by(SIGKILL));
  CHECK(kill9.how == ending::signalled);
  CHECK(kill9.signal == SIGKILL);
  CHECK(kill9.code == 137);
  CHECK_FALSE(kill9.ok);
  CHECK(kill9.describe() == "killed by SIGKILL");

  auto pipe_gone = killed_by(SIGPIPE);
  pipe_gone.reader_gone = true;
  auto sigpipe = make_stage_status(plan_for(), pipe_gone);
  CHECK(sigpipe.ok);
  CHECK(sigpipe.sigpipe_ok());
  CHECK(sigpipe.shell_code() == 0);
  CHECK(sigpipe.code == 141);

  auto last_stage_pipe = make_stage_status(plan_for(), killed_by(SIGPIPE));
  CHECK_FALSE(last_stage_pipe.ok);
  CHECK(last_stage_pipe.shell_code() == 141);

  auto sent = killed_by(SIGTERM);
  sent.signals_sent = std::uint64_t{1} << SIGTERM;
  CHECK(make_stage_status(plan_for(), sent).ok);
  auto stopped = killed_by(SIGKILL);
  stopped.stopped_by_us = true;
  CHECK(make_stage_status(plan_for(), stopped).ok);
}

TEST_CASE("a timeout is never ok and reads 124", "[unit][status]") {
  auto f = killed_by(SIGTERM);
  f.timed_out = true;
  auto s = make_stage_status(plan_for({0, 124, 143}), f);
  CHECK(s.how == ending::timed_out);
  CHECK(s.timed_out());
  CHECK_FALSE(s.ok);
  CHECK(s.code == 124);
  CHECK(s.signal == SIGTERM);
}

TEST_CASE("a launch failure carries Bash's status and never reads as started", "[unit][status]") {
  stage_facts f;
  f.failure = launch_failure{127, "command not found: prog"};
  auto s = make_stage_status(plan_for(), f);
  CHECK(s.how == ending::launch_failed);
  CHECK_FALSE(s.started());
  CHECK_FALSE(s.ok);
  CHECK(s.code == 127);
  CHECK(s.describe() == "command not found: prog");
  CHECK(make_stage_status(plan_for({0, 127}), f).ok);
}

TEST_CASE("a failed ssh connection is its own ending with ssh's 255, not the command's", "[unit][status]") {
  stage_facts f;
  f.started = true;
  f.failure = launch_failure{255, "ssh web1: connection lost", true};
  auto s = make_stage_status(plan_for(), f);
  CHECK(s.how == ending::connection_failed);
  CHECK_FALSE(s.started());  // whether it ran in part is not known
  CHECK_FALSE(s.ok);
  CHECK(s.code == 255);
  CHECK(s.describe() == "ssh web1: connection lost");
}

TEST_CASE("a stage that never started is reported by nobody", "[unit][status]") {
  auto never = make_stage_status(plan_for(), stage_facts{});
  CHECK(never.how == ending::not_started);
  CHECK_FALSE(never.started());
  CHECK(never.shell_code() == 0);

  stage_facts failed;
  failed.failure = launch_failure{127, "command not found: prog"};
  result r;
  r.stages = {make_stage_status(plan_for(), failed), never};
  CHECK(stage_to_report(r) == std::optional<std::size_t>(0));
  CHECK_FALSE(r.ok());
  CHECK(r.code() == 127);
}

TEST_CASE("the rightmost checked failure is reported, as pipefail", "[unit][status]") {
  auto unchecked_plan = plan_for();
  unchecked_plan.checked = false;
  result r;
  r.stages = {make_stage_status(plan_for(), exited(2)), make_stage_status(plan_for(), exited(3)),
              make_stage_status(unchecked_plan, exited(4)), make_stage_status(plan_for(), exited(0))};
  CHECK(stage_to_report(r) == std::optional<std::size_t>(1));
  CHECK(r.code() == 4);
  result fine;
  fine.stages = {make_stage_status(plan_for(), exited(0)), make_stage_status(unchecked_plan, exited(1))};
  CHECK_FALSE(stage_to_report(fine));
}

TEST_CASE("the stderr tail keeps the last 4 KiB", "[unit][status]") {
  auto f = exited(1);
  f.err_tail = std::string(5000, 'a') + "END";
  auto s = make_stage_status(plan_for(), f);
  CHECK(s.err_tail.size() == 4096);
  CHECK(s.err_tail.substr(4093) == "END");
}

TEST_CASE("a stderr tail keeps at least the last 4 KiB and at most twice that", "[unit][status]") {
  std::string tail;
  std::string all;
  for (int i = 0; i < 1000; ++i) {
    const std::string chunk = std::to_string(i) + " line of stderr\n";
    append_to_tail(tail, chunk);
    all += chunk;
    REQUIRE(tail.size() <= 2 * stderr_tail_limit + chunk.size());
  }
  REQUIRE(tail.size() >= stderr_tail_limit);
  CHECK(all.ends_with(tail));
}
