// Lists, negation and groups: `a ; b`, `a && b`, `a || b`, `! a`, `{ a; b; }`.
#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>

#include "../helper.hpp"

using namespace shpp;
using namespace std::chrono_literals;

namespace {
std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), {}};
}
}  // namespace

TEST_CASE("a && b runs b only after a succeeded", "[list]") {
  CHECK((cmd("echo", "a") && cmd("echo", "b")).read() == "a\nb");
  CHECK((cmd("false") && cmd("echo", "b")).out(capture).status() == 1);
  CHECK((test::helper("exit", 3) && cmd("echo", "b")).status() == 3);
}

TEST_CASE("a || b runs b only after a failed", "[list]") {
  CHECK((cmd("false") || cmd("echo", "b")).read() == "b");
  CHECK((cmd("true") || cmd("echo", "b")).read().empty());
  CHECK((cmd("false") || test::helper("exit", 4)).status() == 4);
}

TEST_CASE("a && b || c follows Bash: only the final status counts", "[list]") {
  CHECK((cmd("false") && cmd("echo", "x") || cmd("echo", "failed")).read() == "failed");
  CHECK((cmd("true") && cmd("echo", "x") || cmd("echo", "failed")).read() == "x");
  CHECK_NOTHROW((cmd("false") && cmd("true") || cmd("true")).run());
}

TEST_CASE("! inverts a status", "[list]") {
  CHECK((!cmd("false")).status() == 0);
  CHECK((!cmd("true")).status() == 1);
  CHECK((!test::helper("exit", 7)).ok());
  CHECK_THROWS_AS((!cmd("true")).run(), shpp::error);
}

TEST_CASE("a group runs its members in turn under set -e", "[list][group]") {
  CHECK(group(cmd("echo", "1"), cmd("echo", "2"), cmd("echo", "3")).read() == "1\n2\n3");
  // The first failure ends it and is its status: 3 never runs.
  auto r = group(cmd("echo", "1"), test::helper("exit", 5), cmd("echo", "3")).out(capture).unchecked().run();
  CHECK(r.out == "1\n");
  CHECK(r.code() == 5);
  // A failure left of && does not end a sequence (set -e); the last one does.
  CHECK(group(cmd("false") && cmd("echo", "no"), cmd("echo", "after")).read() == "after");
  CHECK(group(cmd("true") && cmd("false"), cmd("echo", "after")).out(capture).status() == 1);
  // Nor does a `!` pipeline.
  CHECK(group(!cmd("true"), cmd("echo", "after")).read() == "after");
}

TEST_CASE("a group's members read one stdin in turn", "[list][group]") {
  test::temp_dir dir;
  const auto scores = dir.path / "scores.csv";
  std::ofstream(scores) << "name,score\nc,3\na,1\nb,2\n";
  CHECK((group(cmd("sed", "-u", "1q"), cmd("sort")) < scores).read() == "name,score\na,1\nb,2\nc,3");
  CHECK(group(cmd("head", "-c", "2"), cmd("cat")).input("xyz").read() == "xyz");
}

TEST_CASE("a group's redirection is opened once", "[list][group]") {
  test::temp_dir dir;
  const auto out = dir.path / "out";
  (group(cmd("echo", "1"), cmd("echo", "2")) > out).run();
  CHECK(slurp(out) == "1\n2\n");
  // 2>&1 on the group: both streams of every member go to the one file.
  group(cmd("echo", "o"), cmd("sh", "-c", "echo e >&2")).out(out).err(to_stdout).run();
  CHECK(slurp(out) == "o\ne\n");
}

TEST_CASE("a group inside a pipeline", "[list][group]") {
  CHECK((cmd("printf", "b\\na\\n") | group(cmd("echo", "head"), cmd("sort")) | cmd("cat", "-n")).read() ==
        "     1\thead\n     2\ta\n     3\tb");
  // Its reader leaving is no failure, as for a process (SIGPIPE).
  CHECK((group(cmd("yes"), cmd("yes")) | cmd("head", "-n", 2)).read() == "y\ny");
  CHECK(((cmd("yes") && cmd("true")) | cmd("head", "-n", 1)).status() == 0);
}

TEST_CASE("a failure inside a list names the command that failed", "[list][error]") {
  try {
    (cmd("true") && cmd("sh", "-c", "echo boom >&2; exit 3")).err(capture).run();
    FAIL("no throw");
  } catch (const shpp::error& e) {
    const std::string what = e.what();
    CHECK(what.find("true && sh -c") != std::string::npos);
    CHECK(what.find("in it: sh -c 'echo boom >&2; exit 3': exited with code 3") != std::string::npos);
    CHECK(e.stderr_tail() == "boom\n");
    CHECK(e.exit_code() == 3);
  }
}

TEST_CASE("a list's cwd and env reach every member", "[list]") {
  test::temp_dir dir;
  std::filesystem::create_directory(dir.path / "sub");
  auto both = (cmd("pwd") && cmd("sh", "-c", "echo $X")).cwd(dir.path).env("X", "42");
  CHECK(both.read() == std::filesystem::canonical(dir.path).string() + "\n42");
  CHECK((cmd("pwd").cwd("sub") && cmd("pwd")).cwd(dir.path).read() ==
        std::filesystem::canonical(dir.path / "sub").string() + "\n" + std::filesystem::canonical(dir.path).string());
}

TEST_CASE("a timeout on a list stops the member running and the rest", "[list][timeout]") {
  test::temp_dir dir;
  const auto never = dir.path / "never";
  const auto start = std::chrono::steady_clock::now();
  auto r = group(cmd("sleep", "10"), cmd("touch", never.string())).timeout(200ms).unchecked().run();
  CHECK(r.timed_out());
  CHECK(r.code() == 124);
  CHECK(std::chrono::steady_clock::now() - start < 5s);
  CHECK(!std::filesystem::exists(never));
  CHECK(test::child_count() == 0);
}

TEST_CASE("a killed job with a list stops it and starts nothing more", "[list][job]") {
  test::temp_dir dir;
  const auto never = dir.path / "never";
  auto j = (cmd("sleep", "10") && cmd("touch", never.string())).spawn();
  j.kill();
  auto r = j.wait();
  CHECK(!std::filesystem::exists(never));
  CHECK(test::child_count() == 0);
  (void)r;
}

TEST_CASE("leaving lines() of a list early stops it", "[list][lines]") {
  const int fds = test::open_fd_count();
  for (const auto& line : (cmd("echo", "first") && cmd("yes")).lines()) {
    CHECK(line == "first");
    break;
  }
  CHECK(test::child_count() == 0);
  CHECK(test::open_fd_count() == fds);
}

TEST_CASE("lists print as Bash reads them", "[list][render]") {
  CHECK(fmt::format("{}", cmd("a") && cmd("b") || cmd("c")) == "a && b || c");
  CHECK(fmt::format("{}", cmd("a") && (cmd("b") || cmd("c"))) == "a && { b || c; }");
  CHECK(fmt::format("{}", !(cmd("a") | cmd("b"))) == "! a | b");
  CHECK(fmt::format("{}", group(cmd("a"), cmd("b")) > "f") == "{ a; b; } > f");
  CHECK(fmt::format("{}", (cmd("a") && cmd("b")) | cmd("c")) == "{ a && b; } | c");
}
