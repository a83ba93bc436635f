// Remote stages against the real sshd instances of sshd_fixture.hpp.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>

#include "sshd_fixture.hpp"

using namespace shpp;
using namespace std::chrono_literals;
using test::sshd_fixture;

namespace {
host h1() { return sshd_fixture::get().host(0); }
host h2() { return sshd_fixture::get().host(1); }
}  // namespace

TEST_CASE("hosts_with_equal_destinations_and_options_are_equal") {
  CHECK(ssh("web1", {"-p", "22"}) == ssh("web1", {"-p", "22"}));
  CHECK_FALSE(ssh("web1") == ssh("web2"));
  CHECK_FALSE(ssh("web1") == ssh("web1", {"-p", "22"}));
}

TEST_CASE("remote_command_output_comes_back") {
  CHECK(cmd("echo", "hello").on(h1()).read() == "hello");
}

TEST_CASE("remote_exit_code_is_the_stages") {
  const result r = cmd("sh", "-c", "exit 3").on(h1()).unchecked().run();
  REQUIRE(r.stages.size() == 1);
  CHECK(r.stages[0].how == stage_status::ending::exited);
  CHECK(r.stages[0].code == 3);
  CHECK(cmd("sh", "-c", "exit 3").on(h1()).status() == 3);
}

TEST_CASE("remote_status_255_is_the_commands_not_sshs") {
  const result r = cmd("sh", "-c", "exit 255").on(h1()).unchecked().run();
  CHECK(r.stages[0].how == stage_status::ending::exited);
  CHECK(r.stages[0].code == 255);
}

TEST_CASE("remote_failure_names_host_stage_and_stderr") {
  try {
    (cmd("sh", "-c", "echo oops >&2; exit 4").on(h1())).err(capture).run();
    FAIL("no error");
  } catch (const shpp::error& e) {
    CHECK(e.exit_code() == 4);
    CHECK(e.stderr_tail() == "oops\n");
    CHECK_THAT(e.what(), Catch::Contains("ssh -F") && Catch::Contains("h1") && Catch::Contains("exit 4"));
  }
}

TEST_CASE("remote_signal_death_is_128_plus_n") {
  const result r = cmd("sh", "-c", "kill -USR1 $$").on(h1()).unchecked().run();
  CHECK(r.stages[0].how == stage_status::ending::signalled);
  CHECK(r.stages[0].signal == SIGUSR1);
  CHECK(r.stages[0].code == 128 + SIGUSR1);
}

TEST_CASE("ssh_failure_wrong_port_is_its_own_error") {
  const host bad = ssh("h1", {"-F", sshd_fixture::get().config().string(), "-p", "1"});
  try {
    cmd("true").on(bad).run();
    FAIL("no error");
  } catch (const shpp::error& e) {
    CHECK(e.failed_stage().how == stage_status::ending::connection_failed);
    CHECK_THAT(e.what(), Catch::Contains("ssh h1: ") && Catch::Contains("Connection refused"));
    CHECK_FALSE(e.exit_code().has_value());
  }
}

TEST_CASE("ssh_failure_refused_key_says_permission_denied") {
  const auto& f = sshd_fixture::get();
  // A config of its own that offers only a key sshd does not know.
  const auto cfg = f.dir() / "other_config";
  std::ofstream(cfg) << "Host h2\n  HostName 127.0.0.1\n  Port " << f.port(1) << "\n  IdentityFile "
                     << (f.dir() / "other_key").string() << "\n  IdentitiesOnly yes\n  UserKnownHostsFile "
                     << (f.dir() / "known_hosts").string() << "\n  LogLevel ERROR\n";
  try {
    cmd("true").on(ssh("h2", {"-F", cfg.string(), "-o", "ControlPath=none"})).run();
    FAIL("no error");
  } catch (const shpp::error& e) {
    CHECK_THAT(e.what(), Catch::Contains("ssh h2: ") && Catch::Contains("Permission denied"));
  }
}

TEST_CASE("ssh_failure_changed_host_key_is_refused") {
  const auto& f = sshd_fixture::get();
  const auto known = f.dir() / "wrong_known_hosts";
  const std::string other = test::slurp(f.dir() / "other_key.pub");
  std::ofstream(known) << "[127.0.0.1]:" << f.port(0) << " " << other.substr(0, other.find(' ', other.find(' ') + 1))
                       << "\n";
  // Its own connection: a master already up for h1 checked the key when it connected.
  const host h = ssh("h1", {"-F", f.config().string(), "-o", "UserKnownHostsFile=" + known.string(), "-o",
                            "ControlPath=none"});
  try {
    cmd("true").on(h).run();
    FAIL("no error");
  } catch (const shpp::error& e) {
    CHECK_THAT(e.what(), Catch::Contains("ssh h1: ") && Catch::Contains("Host key verification failed"));
  }
}

TEST_CASE("hostile_arguments_reach_the_remote_program_as_written") {
  const std::vector<std::string> args{"$(touch /tmp/shpp-pwned)", "a b", "it's", "*", ";ls", "`id`", "x\ny", "", "~",
                                      "-n", "\\", "\"q\""};
  std::string expected;
  for (const auto& a : args) expected += "[" + a + "]";
  CHECK(cmd("printf", "[%s]", args).on(h1()).read() == expected);
  CHECK_FALSE(std::filesystem::exists("/tmp/shpp-pwned"));
}

TEST_CASE("env_inside_on_is_set_remotely_and_quoted") {
  const std::string value = "$(id) 'q' \"d\" `x` ;";
  CHECK(cmd("printenv", "SHPP_X").env("SHPP_X", value).on(h1()).read() == value);
}

TEST_CASE("cwd_inside_on_is_remote") {
  test::temp_dir d;
  CHECK(cmd("pwd").cwd(d.path).on(h1()).read() == d.path.string());
}

TEST_CASE("stages_on_two_hosts_pipe_through_the_local_side") {
  CHECK((cmd("echo", "from h1").on(h1()) | cmd("tr", "a-z", "A-Z").on(h2())).read() == "FROM H1");
}
