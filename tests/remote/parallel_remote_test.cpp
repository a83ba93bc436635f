// parallel(..., {.hosts = ...}) over the two sshd instances of sshd_fixture.hpp:
// jobs spread over the hosts, at most `jobs` on each, results in input order,
// and a job whose host's connection fails runs again on the other host.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <ranges>
#include <set>
#include <sstream>
#include <thread>

#include <unistd.h>

#include <shpp/parallel.hpp>

#include "sshd_fixture.hpp"

using namespace shpp;
using test::sshd_fixture;

namespace {

host h1() { return sshd_fixture::get().host(0); }
host h2() { return sshd_fixture::get().host(1); }
// Like h1 but on a port where nothing listens: every connection is refused.
host down() { return ssh("h1", {"-F", sshd_fixture::get().config().string(), "-p", "1"}); }

// A job that says which sshd ran it (the server port of its connection), after its own index.
command where_am_i(int i, const char* pause = "0") {
  return cmd("sh", "-c", "sleep \"$2\"; echo \"$1 ${SSH_CONNECTION##* }\"", "sh", std::to_string(i), pause);
}

// "index port" lines of the results, checked to be in input order; returns the ports used.
std::multiset<int> ports_in_order(const std::vector<result>& rs) {
  std::multiset<int> ports;
  for (std::size_t i = 0; i < rs.size(); ++i) {
    std::istringstream line(rs[i].out);
    std::size_t index = 0;
    int port = 0;
    line >> index >> port;
    CHECK(index == i);
    ports.insert(port);
  }
  return ports;
}

}  // namespace

TEST_CASE("parallel_over_hosts_spreads_local_jobs_and_keeps_input_order") {
  const auto& f = sshd_fixture::get();
  std::vector<command> jobs;
  for (int i = 0; i < 8; ++i) jobs.push_back(where_am_i(i, "0.2"));
  // One at a time on each host: both are used (about four jobs each; a
  // host that is faster to answer may take one more).
  const auto rs = parallel(jobs, {.jobs = 1, .output = parallel_output::capture, .hosts = {h1(), h2()}});
  REQUIRE(rs.size() == 8);
  const auto ports = ports_in_order(rs);
  CHECK(ports.count(f.port(0)) >= 2);
  CHECK(ports.count(f.port(1)) >= 2);
  CHECK(ports.count(f.port(0)) + ports.count(f.port(1)) == 8);
}

TEST_CASE("parallel_over_hosts_runs_at_most_jobs_on_each_host") {
  test::temp_dir d;
  // Each job adds a line to a file on "its host" (a directory per port), then
  // counts the lines there: more than `jobs` at once would show up as more.
  const std::string script =
      "dir=\"$1/${SSH_CONNECTION##* }\"; mkdir -p \"$dir\"; f=\"$dir/$$\"; : > \"$f\"; "
      "sleep 0.3; n=$(ls \"$dir\" | wc -l); rm \"$f\"; echo \"$n\"";
  std::vector<command> jobs;
  for (int i = 0; i < 12; ++i) jobs.push_back(cmd("sh", "-c", script, "sh", d.path.string()));
  const auto rs = parallel(jobs, {.jobs = 2, .output = parallel_output::capture, .hosts = {h1(), h2()}});
  int most = 0;
  for (const auto& r : rs) most = std::max(most, std::stoi(r.out));
  CHECK(most <= 2);
  CHECK(most >= 1);
}

TEST_CASE("parallel_over_hosts_moves_jobs_off_a_host_that_cannot_be_reached") {
  const auto& f = sshd_fixture::get();
  test::temp_dir d;
  const auto log = (d.path / "joblog").string();
  std::vector<command> jobs;
  for (int i = 0; i < 6; ++i) jobs.push_back(where_am_i(i));
  const auto rs =
      parallel(jobs, {.jobs = 2, .output = parallel_output::capture, .joblog = log, .hosts = {down(), h1()}});
  const auto ports = ports_in_order(rs);
  CHECK(ports.count(f.port(0)) == 6);  // every job ran, on the host that works
  // The joblog shows the failed tries on the host that is down, with ssh's 255.
  const std::string text = test::slurp(log);
  CHECK(text.find("\th1\t") != std::string::npos);
  CHECK(text.find("\t255\t") != std::string::npos);
}

TEST_CASE("parallel_over_hosts_fails_with_ssh_error_when_no_host_works") {
  try {
    parallel(std::vector<command>{cmd("true")}, {.jobs = 1, .output = parallel_output::capture, .hosts = {down()}});
    FAIL("no error");
  } catch (const shpp::error& e) {
    CHECK(e.failed_stage().how == stage_status::ending::connection_failed);
    CHECK_THAT(e.what(), Catch::Contains("ssh h1: ") && Catch::Contains("Connection refused"));
  }
}

TEST_CASE("parallel_over_hosts_reruns_a_job_whose_connection_drops_mid_run") {
  const auto& f = sshd_fixture::get();
  // 1.50<pid> seconds: a marker no other test program's run shares.
  const std::string pause = "1.50" + std::to_string(::getpid());
  std::vector<command> jobs;
  for (int i = 0; i < 4; ++i) jobs.push_back(where_am_i(i, pause.c_str()));
  // Each host runs two; when h2's connections drop, its two run again on h1.
  bool all_started = false;
  std::thread dropper([&] {
    all_started = test::eventually([&] { return test::processes_with("sleep " + pause).size() >= 4; });
    f.drop_connections(1);
  });
  std::map<std::size_t, std::string> outs;
  for (auto& [i, r] : parallel_unordered(jobs, {.jobs = 2, .output = parallel_output::capture, .hosts = {h1(), h2()}})) {
    CHECK(r.ok());
    outs[i] = r.out;
  }
  dropper.join();
  REQUIRE(all_started);
  REQUIRE(outs.size() == 4);
  for (const auto& [i, out] : outs) CHECK(out == std::to_string(i) + " " + std::to_string(f.port(0)) + "\n");
  CHECK(cmd("true").on(h2()).ok());  // h2 takes connections again
}

TEST_CASE("parallel_over_hosts_takes_a_view") {
  const std::vector<std::string> names{"a", "b", "c"};
  auto echoes = names | std::views::filter([](const std::string& n) { return n != "b"; }) |
                std::views::transform([](const std::string& n) { return cmd("echo", n).on(h1()); });
  const auto rs = parallel(echoes, {.jobs = 2, .output = parallel_output::capture});
  REQUIRE(rs.size() == 2);
  CHECK(rs[0].out == "a\n");
  CHECK(rs[1].out == "c\n");
}

TEST_CASE("parallel_fail_fast_stops_the_remote_trees_of_the_others") {
  const std::string marker = "sleep " + test::unique_word(1007);
  std::vector<command> jobs{cmd("sh", "-c", marker + " & " + marker + "; wait").on(h1()),
                            cmd("sh", "-c", marker).on(h2()), cmd("sh", "-c", "sleep 0.5; exit 3")};
  bool started = false;
  std::thread watch([&] { started = test::eventually([&] { return test::processes_with(marker).size() >= 3; }); });
  try {
    parallel(jobs, {.jobs = 3, .output = parallel_output::capture});
    FAIL("no error");
  } catch (const shpp::error& e) {
    CHECK(e.exit_code() == 3);
  }
  watch.join();
  CHECK(started);
  CHECK(test::eventually([&] { return test::processes_with(marker).empty(); }));
}
