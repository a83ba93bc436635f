#include <catch2/catch.hpp>

#include <sys/stat.h>

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

namespace {
std::string make_fifo(const test::temp_dir& dir) {
  const auto path = (dir.path / "fifo").string();
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  return path;
}
}  // namespace

TEST_CASE("a timeout bounds the wait for a FIFO's reader", "[redirect][fifo][timeout]") {
  test::temp_dir dir;
  const auto fifo = make_fifo(dir);
  const auto start = std::chrono::steady_clock::now();
  auto r = (cmd("echo", "x") > fifo).timeout(std::chrono::milliseconds(300)).unchecked().run();
  CHECK(r.timed_out());
  CHECK(r.code() == 124);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
}

TEST_CASE("spawn() does not block on a FIFO, and the stage starts once a writer comes", "[redirect][fifo][job]") {
  test::temp_dir dir;
  const auto fifo = make_fifo(dir);
  auto j = (cmd("cat") < fifo).out(capture).spawn();  // returns at once: nobody writes yet
  (cmd("echo", "through the fifo") > fifo).run();
  CHECK(j.wait().out == "through the fifo\n");
}

TEST_CASE("a FIFO's writer waits for its reader on the loop", "[redirect][fifo][job]") {
  test::temp_dir dir;
  const auto fifo = make_fifo(dir);
  auto j = (cmd("echo", "hi") >> fifo).spawn();
  CHECK(cmd("cat", fifo).read() == "hi");
  CHECK(j.wait().ok());
}

TEST_CASE("a FIFO whose writer leaves without writing is an empty input", "[redirect][fifo][job]") {
  test::temp_dir dir;
  const auto fifo = make_fifo(dir);
  auto j = (cmd("wc", "-c") < fifo).out(capture).spawn();
  (cmd("true") > fifo).run();
  CHECK(j.wait().out == "0\n");
}

TEST_CASE("a FIFO stage stopped before it started leaves nothing behind", "[redirect][fifo][job]") {
  test::temp_dir dir;
  const auto fifo = make_fifo(dir);
  const int fds = test::open_fd_count();
  {
    auto j = (cmd("cat") < fifo).spawn();
    j.kill();
    (void)j.wait();
  }
  CHECK(test::child_count() == 0);
  CHECK(test::eventually([&] { return test::open_fd_count() == fds; }));
}
