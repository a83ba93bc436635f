#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <csignal>
#include <thread>
#include <cstdlib>
#include <list>

#include "../helper.hpp"

using namespace shpp;
using namespace std::chrono_literals;

TEST_CASE("arguments reach the program as single argv entries", "[command]") {
  const std::string hostile = "a b; rm -rf / $(echo x) `y` *";
  CHECK(test::helper("echo-args", hostile, "", "--", "'q'").read() == "[" + hostile + "]\n[]\n[--]\n['q']");
}

TEST_CASE("arguments may be paths, numbers and ranges of those", "[command]") {
  std::vector<std::string> files{"x.cpp", "y z.cpp"};
  std::array<std::filesystem::path, 1> paths{std::filesystem::path("/tmp/p q")};
  std::list<int> numbers{1, -2};
  CHECK(test::helper("echo-args", files, paths, numbers, 42u, 2.5, 'c', std::string_view("sv")).read() ==
        "[x.cpp]\n[y z.cpp]\n[/tmp/p q]\n[1]\n[-2]\n[42]\n[2.5]\n[c]\n[sv]");
}

TEST_CASE("cmd accepts a whole argv as a range", "[command]") {
  std::vector<std::string> argv{"echo", "from", "vector"};
  CHECK(cmd(argv).read() == "from vector");
}

TEST_CASE("read strips every trailing newline, as $(...)", "[command]") {
  CHECK(cmd("printf", "a\\n\\n\\n").read() == "a");
  CHECK(cmd("printf", "\\na b\\n").read() == "\na b");
}

TEST_CASE("run reports per-stage statuses and duration", "[command]") {
  auto r = (test::helper("exit", 0) | test::helper("exit", 3)).unchecked().run();
  REQUIRE(r.stages.size() == 2);
  CHECK(r.stages[0].code == 0);
  CHECK(r.stages[1].code == 3);
  CHECK(r.code() == 3);
  CHECK(r.duration > 0ns);
}

TEST_CASE("status returns $? and never throws for an exit code", "[command]") {
  CHECK(test::helper("exit", 0).status() == 0);
  CHECK(test::helper("exit", 7).status() == 7);
  CHECK(cmd("grep", "-q", "x", "/dev/null").status() == 1);
  CHECK(test::helper("raise", SIGKILL).status() == 128 + SIGKILL);
}

TEST_CASE("ok is status() == 0", "[command]") {
  test::temp_dir dir;
  CHECK(cmd("test", "-d", dir.path).ok());
  CHECK_FALSE(cmd("test", "-d", dir.path / "missing").ok());
}

TEST_CASE("input feeds stdin from memory", "[command]") {
  auto r = cmd("cat").input("2 3").out(capture).run();
  CHECK(r.out == "2 3");
  CHECK(cmd("wc", "-c").input(std::string(100000, 'x')).read() == "100000");
}

// The capture buffer copies small outputs and moves the pages of large ones
// into the string: every size around a page, its 16-byte lead and the size
// where moving starts comes back unchanged.
TEST_CASE("captures of every size around the page edges come back byte for byte", "[command]") {
  const std::size_t move = 32 * 1024 * 1024;
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{4079}, std::size_t{4080}, std::size_t{4081},
                           std::size_t{4096}, std::size_t{262145}, std::size_t{1048576 + 4097}, move - 1, move,
                           move + 4096 + 5}) {
    std::string data(size, '\0');
    for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>(i * 131 + i / 4096);
    const std::string out = cmd("cat").input(data).out(capture).run().out;
    INFO("size " << size);
    CHECK(out.size() == size);
    CHECK(out == data);
  }
}

TEST_CASE("cwd runs the command elsewhere without touching the caller", "[command]") {
  test::temp_dir dir;
  const auto before = std::filesystem::current_path();
  CHECK(test::helper("pwd").cwd(dir.path).read() == std::filesystem::canonical(dir.path).string());
  CHECK(std::filesystem::current_path() == before);
}

TEST_CASE("a relative program resolves against cwd", "[command]") {
  test::temp_dir dir;
  std::filesystem::copy_file(SHPP_HELPER, dir.path / "tool");
  CHECK(cmd("./tool", "echo-args", "hi").cwd(dir.path).read() == "[hi]");
}

TEST_CASE("nested relative cwds nest", "[command]") {
  test::temp_dir dir;
  std::filesystem::create_directories(dir.path / "a" / "b");
  CHECK(test::helper("pwd").cwd("b").cwd(dir.path / "a").read() ==
        std::filesystem::canonical(dir.path / "a" / "b").string());
}

TEST_CASE("env sets, removes and clears variables for the child only", "[command]") {
  ::setenv("SHPP_TEST_VAR", "outer", 1);
  CHECK(test::helper("env", "SHPP_TEST_VAR").read() == "outer");
  CHECK(test::helper("env", "SHPP_TEST_VAR").env("SHPP_TEST_VAR", "inner").read() == "inner");
  CHECK(test::helper("env", "SHPP_TEST_VAR").env_remove("SHPP_TEST_VAR").read() == "<unset>");
  CHECK(test::helper("env", "HOME").env_clear().read() == "<unset>");
  CHECK(test::helper("env", "X").env("X", "1").env_clear().read() == "1");
  CHECK(std::string(std::getenv("SHPP_TEST_VAR")) == "outer");
  ::unsetenv("SHPP_TEST_VAR");
}

TEST_CASE("PATH set with env is the one used to find the program", "[command]") {
  test::temp_dir dir;
  std::filesystem::copy_file(SHPP_HELPER, dir.path / "only-here");
  CHECK(cmd("only-here", "echo-args", "x").env("PATH", dir.path.string()).read() == "[x]");
  CHECK(cmd("only-here").status() == 127);
}

TEST_CASE("a relative PATH entry is relative to the stage's cwd, as after cd in Bash", "[command]") {
  test::temp_dir dir;
  std::filesystem::create_directories(dir.path / "sub" / "bin");
  std::filesystem::copy_file(SHPP_HELPER, dir.path / "sub" / "only-in-sub");
  std::filesystem::copy_file(SHPP_HELPER, dir.path / "sub" / "bin" / "in-sub-bin");
  CHECK(cmd("only-in-sub", "echo-args", "x").env("PATH", ":/usr/bin:/bin").cwd(dir.path / "sub").read() == "[x]");
  CHECK(cmd("in-sub-bin", "echo-args", "y").env("PATH", "bin").cwd(dir.path / "sub").read() == "[y]");
  // From the caller's cwd neither is found.
  CHECK(cmd("only-in-sub").env("PATH", ":/usr/bin:/bin").cwd(dir.path).status() == 127);
}

TEST_CASE("modifiers on a pipeline apply to every stage", "[command]") {
  auto r = (test::helper("env", "V") | cmd("cat")).env("V", "both").read();
  CHECK(r == "both");
  test::temp_dir dir;
  CHECK((cmd("echo", "x") | test::helper("pwd")).cwd(dir.path).read() == std::filesystem::canonical(dir.path).string());
}

TEST_CASE("commands are values: building runs nothing, copies share", "[command]") {
  test::temp_dir dir;
  auto touch = cmd("touch", dir.path / "made");
  auto copy = touch.cwd("/");
  CHECK_FALSE(std::filesystem::exists(dir.path / "made"));
  copy.run();
  CHECK(std::filesystem::exists(dir.path / "made"));
}

TEST_CASE("ok_codes widens what counts as success", "[command]") {
  CHECK_THROWS_AS(cmd("grep", "-q", "x", "/dev/null").run(), shpp::error);
  CHECK(cmd("grep", "-q", "x", "/dev/null").ok_codes({0, 1}).run().code() == 1);
}

TEST_CASE("unchecked never throws for a failure", "[command]") {
  auto c = cmd("sh", "-c", "echo oops >&2; exit 4").err(capture).unchecked().run();
  CHECK(c.code() == 4);
  CHECK(c.err == "oops\n");
}

TEST_CASE("an empty argv is a usage error", "[command]") {
  CHECK_THROWS_AS(cmd(std::vector<std::string>{}).run(), shpp::usage_error);
  CHECK_THROWS_AS(cmd("").run(), shpp::usage_error);
}

TEST_CASE("commands run from many threads do not see each other's cwd or env", "[command]") {
  test::temp_dir dir;
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const auto sub = dir.path / std::to_string(t);
      std::filesystem::create_directory(sub);
      for (int i = 0; i < 20; ++i) {
        if (test::helper("pwd").cwd(sub).read() != std::filesystem::canonical(sub).string()) ++wrong;
        if (test::helper("env", "T").env("T", std::to_string(t)).read() != std::to_string(t)) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(wrong == 0);
}

TEST_CASE("a signal the caller ignores stays ignored in children, as nohup needs, but SIGPIPE", "[command]") {
  struct sigaction ignore{}, old_hup{}, old_pipe{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGHUP, &ignore, &old_hup);
  ::sigaction(SIGPIPE, &ignore, &old_pipe);
  const std::string line = cmd("sh", "-c", "grep SigIgn /proc/$$/status").read();
  ::sigaction(SIGHUP, &old_hup, nullptr);
  ::sigaction(SIGPIPE, &old_pipe, nullptr);
  const unsigned long long ignored = std::stoull(line.substr(line.find_first_of("0123456789abcdef")), nullptr, 16);
  CHECK((ignored >> (SIGHUP - 1)) & 1);
  CHECK_FALSE((ignored >> (SIGPIPE - 1)) & 1);
  // Without the caller ignoring it, SIGHUP is default again.
  const std::string again = cmd("sh", "-c", "grep SigIgn /proc/$$/status").read();
  CHECK_FALSE((std::stoull(again.substr(again.find_first_of("0123456789abcdef")), nullptr, 16) >> (SIGHUP - 1)) & 1);
}
