// Remote stages in every position of a pipeline, one session per run of
// adjacent stages on a host, statuses per remote stage.
#include <catch2/catch.hpp>

#include "sshd_fixture.hpp"

using namespace shpp;
using test::sshd_fixture;

namespace {
host h1() { return sshd_fixture::get().host(0); }
host h2() { return sshd_fixture::get().host(1); }
}  // namespace

TEST_CASE("on_moves_every_stage_of_a_pipeline") {
  CHECK((cmd("echo", "b a") | cmd("tr", " ", "\\n") | cmd("sort")).on(h1()).read() == "a\nb");
}

TEST_CASE("adjacent_remote_stages_share_one_session_and_data_stays_remote") {
  // A MiB flows between the remote stages; only wc's answer crosses to us,
  // through the one local process the run starts.
  const auto p = (cmd("head", "-c", "1048576", "/dev/zero") | cmd("wc", "-c")).on(h1());
  job j = p.out(capture).spawn();
  CHECK(j.pids().size() == 1);
  const result r = j.wait();
  CHECK(r.out == "1048576\n");
  REQUIRE(r.stages.size() == 2);
  CHECK(r.stages[0].command == "head -c 1048576 /dev/zero");
  CHECK(r.stages[1].command == "wc -c");
}

TEST_CASE("local_then_remote_then_local") {
  const std::string out =
      (cmd("printf", "x\\ny\\nx\\n") | cmd("sort").on(h1()) | cmd("uniq", "-c").on(h1()) | cmd("tr", "-d", " ")).read();
  CHECK(out == "2x\n1y");
}

TEST_CASE("remote_then_local_then_remote_on_another_host") {
  CHECK((cmd("echo", "abc").on(h1()) | cmd("rev") | cmd("tr", "a-z", "A-Z").on(h2())).read() == "CBA");
}

TEST_CASE("input_outside_on_feeds_the_remote_stage") {
  CHECK(cmd("wc", "-l").on(h1()).input("1\n2\n3\n").read() == "3");
}

TEST_CASE("each_remote_stage_has_its_own_status") {
  const result r = (cmd("sh", "-c", "exit 2") | cmd("cat") | cmd("sh", "-c", "cat; exit 5")).on(h1()).unchecked().run();
  REQUIRE(r.stages.size() == 3);
  CHECK(r.stages[0].code == 2);
  CHECK(r.stages[1].code == 0);
  CHECK(r.stages[2].code == 5);
  CHECK(r.code() == 5);
}

TEST_CASE("failing_middle_remote_stage_is_the_one_the_error_names") {
  try {
    (cmd("echo", "x") | cmd("sh", "-c", "cat >/dev/null; echo bad >&2; exit 7") | cmd("cat")).on(h1()).err(capture).run();
    FAIL("no error");
  } catch (const shpp::error& e) {
    CHECK(e.stage() == 2);
    CHECK(e.exit_code() == 7);
    CHECK_THAT(e.stderr_tail(), Catch::Contains("bad"));
  }
}

TEST_CASE("remote_sigpipe_upstream_is_success") {
  CHECK((cmd("yes") | cmd("head", "-n", "1")).on(h1()).read() == "y");
}

TEST_CASE("redirections_inside_on_are_remote_outside_local") {
  test::temp_dir remote_dir;  // the "remote" host is this machine: a directory stands for its disk
  test::temp_dir local_dir;
  const auto remote_file = remote_dir.path / "r.txt";
  const auto local_file = local_dir.path / "l.txt";
  cmd("echo", "there").out(remote_file.string()).on(h1()).run();
  CHECK(test::slurp(remote_file) == "there\n");
  cmd("cat", remote_file.string()).on(h1()).out(local_file.string()).run();
  CHECK(test::slurp(local_file) == "there\n");
  CHECK(cmd("cat").in(remote_file.string()).on(h1()).read() == "there");
}

TEST_CASE("captured_stderr_of_a_remote_stage_comes_back_without_reports") {
  const result r = cmd("sh", "-c", "printf 'a'; sleep 1.2; printf 'b\\n' ; echo err >&2").on(h1()).err(capture).run();
  CHECK(r.err == "err\n");
}

TEST_CASE("upload_and_download_over_the_host") {
  test::temp_dir d;
  std::ofstream(d.path / "src.bin") << std::string(100000, 'z') << "end";
  h1().upload(d.path / "src.bin", (d.path / "up.bin").string());
  h1().download((d.path / "up.bin").string(), d.path / "down.bin");
  CHECK(test::slurp(d.path / "down.bin") == test::slurp(d.path / "src.bin"));
  CHECK_THROWS_AS(h1().download((d.path / "missing").string(), d.path / "x"), shpp::error);
}
