// Literals inside .on(): `~` and globs expand on the host, by shpp's rules
// (a glob that matches nothing starts nothing), against the sshd instances of
// sshd_fixture.hpp. The "host" is this machine, so what tells the sides apart
// is what differs: the remote login's cwd and $HOME come from the passwd
// entry, the local ones from this process.
#include <catch2/catch.hpp>

#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <shpp/sh.hpp>

#include "sshd_fixture.hpp"

using namespace shpp;
using test::sshd_fixture;

namespace {
host h1() { return sshd_fixture::get().host(0); }
std::string login_home() { return ::getpwuid(::getuid())->pw_dir; }
}  // namespace

TEST_CASE("tilde_inside_on_is_the_hosts_home") {
  test::temp_dir local_home;
  const std::string saved = std::getenv("HOME");
  ::setenv("HOME", local_home.path.c_str(), 1);
  const std::string remote = sh("echo ~ ~/'a b'").on(h1()).read();
  const std::string local = sh("echo ~").read();
  ::setenv("HOME", saved.c_str(), 1);
  CHECK(remote == login_home() + " " + login_home() + "/a b");
  CHECK(local == local_home.path.string());
}

TEST_CASE("glob_inside_on_expands_on_the_host_sorted_in_its_cwd") {
  test::temp_dir d;
  for (const char* name : {"b.shpp", "a.shpp", "c.txt", "d e.shpp"}) std::ofstream(d.path / name) << "x";
  CHECK(sh("printf '[%s]' *.shpp").cwd(d.path).on(h1()).read() == "[a.shpp][b.shpp][d e.shpp]");
  CHECK((cmd("echo", "x").on(h1()) | sh("cat *.txt -").cwd(d.path).on(h1())).read() == "xx");
}

TEST_CASE("glob_inside_on_that_matches_nothing_there_starts_nothing") {
  test::temp_dir d;
  // A name only this process's cwd has: a local expansion would match it.
  const std::string name = "shpp-local-only-" + std::to_string(::getpid());
  std::ofstream(std::filesystem::current_path() / (name + ".mark")) << "x";
  const auto first = d.path / "first-ran";
  try {
    (cmd("touch", first).on(h1()) | sh("cat {}.*", name).on(h1())).run();
    FAIL("no error");
  } catch (const shpp::error& e) {
    CHECK_THAT(e.what(), Catch::Contains("no match: " + name + ".*"));
    REQUIRE(e.result().stages.size() == 2);
    CHECK(e.result().stages[0].how == stage_status::ending::not_started);
    CHECK(e.result().stages[1].how == stage_status::ending::launch_failed);
    CHECK(e.result().stages[1].code == 1);
  }
  std::filesystem::remove(std::filesystem::current_path() / (name + ".mark"));
  CHECK_FALSE(std::filesystem::exists(first));
}

TEST_CASE("glob_inside_on_prints_as_written") {
  const command c = sh("ls ~/logs/*.log").on(h1());
  CHECK_THAT(c.to_string(), Catch::Contains("ls ~/logs/*.log"));
}

TEST_CASE("command_substitution_inside_on_runs_on_the_host") {
  CHECK(sh("echo \"$(pwd)\"").on(h1()).read() == login_home());
}
