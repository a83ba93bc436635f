#include <catch2/catch.hpp>

#include "../helper.hpp"

using namespace shpp;

TEST_CASE("> truncates and >> appends", "[redirect]") {
  test::temp_dir dir;
  const auto f = dir.path / "out.txt";
  (cmd("echo", "first line that is long") > f).run();
  (cmd("echo", "short") > f).run();
  CHECK(test::slurp(f) == "short\n");
  (cmd("echo", "more") >> f).run();
  CHECK(test::slurp(f) == "short\nmore\n");
  cmd("echo", "again").out(append(f)).run();
  CHECK(test::slurp(f) == "short\nmore\nagain\n");
}

TEST_CASE("< reads a file and >> binds before <", "[redirect]") {
  test::temp_dir dir;
  std::ofstream(dir.path / "in.txt") << "b\na\n";
  (cmd("sort") >> dir.path / "sorted.txt" < dir.path / "in.txt").run();
  CHECK(test::slurp(dir.path / "sorted.txt") == "a\nb\n");
  (cmd("sort") < dir.path / "in.txt" > dir.path / "s2.txt").run();
  CHECK(test::slurp(dir.path / "s2.txt") == "a\nb\n");
}

TEST_CASE("a redirect binds to the last command of a pipeline", "[redirect]") {
  test::temp_dir dir;
  const auto f = dir.path / "out.txt";
  (cmd("printf", "x.cpp\\ny.h\\n") | cmd("grep", "cpp") > f).run();
  CHECK(test::slurp(f) == "x.cpp\n");
}

TEST_CASE("null discards output and gives empty input", "[redirect]") {
  CHECK(cmd("echo", "x").out(null).out(capture).run().out == "");
  CHECK(cmd("wc", "-c").in(null).read() == "0");
}

TEST_CASE("err(capture) captures stderr separately", "[redirect]") {
  auto r = test::helper("fail-with", "bad thing", 0).err(capture).out(capture).run();
  CHECK(r.err == "bad thing\n");
  CHECK(r.out.empty());
}

TEST_CASE("err(to_stdout) is 2>&1", "[redirect]") {
  auto r = cmd("sh", "-c", "echo out; echo err >&2").err(to_stdout).out(capture).run();
  CHECK(r.out == "out\nerr\n");
  CHECK((cmd("sh", "-c", "echo e >&2").err(to_stdout) | cmd("tr", "e", "E")).read() == "E");
}

TEST_CASE("out(to_stderr) is 1>&2", "[redirect]") {
  auto r = cmd("echo", "x").out(to_stderr).err(capture).run();
  CHECK(r.err == "x\n");
  CHECK(r.out.empty());
}

TEST_CASE("2>&1 together with 1>&2 is a usage error", "[redirect]") {
  CHECK_THROWS_AS(cmd("true").out(to_stderr).err(to_stdout).run(), shpp::usage_error);
}

TEST_CASE("the innermost redirect wins", "[redirect]") {
  test::temp_dir dir;
  const auto f = dir.path / "f";
  CHECK((cmd("echo", "x") > f).read() == "");
  CHECK(test::slurp(f) == "x\n");
}

TEST_CASE("a redirect inside cwd is relative to it, outside it to the caller", "[redirect]") {
  test::temp_dir dir;
  (cmd("echo", "in") > "f.txt").cwd(dir.path).run();
  CHECK(test::slurp(dir.path / "f.txt") == "in\n");
}

TEST_CASE("an earlier stage redirected away leaves the next one an empty input", "[redirect]") {
  test::temp_dir dir;
  CHECK(((cmd("echo", "x") > dir.path / "f") | cmd("wc", "-c")).read() == "0");
  CHECK(test::slurp(dir.path / "f") == "x\n");
}
