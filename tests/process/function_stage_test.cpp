// Function stages (shpp/function_stage.hpp): real processes on both sides,
// real pipes between them, threads that must always be joined.
#include <catch2/catch.hpp>

#include <dirent.h>

#include <chrono>
#include <fstream>
#include <istream>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "../helper.hpp"

using namespace shpp;
using namespace std::chrono_literals;

namespace {

// Function stage threads of this process (named "shpp-stage"): none may outlive its run.
// (Counting every thread would count a sanitizer's own too.)
int thread_count() {
  int n = 0;
  DIR* d = ::opendir("/proc/self/task");
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream comm(std::string("/proc/self/task/") + e->d_name + "/comm");
    std::string name;
    std::getline(comm, name);
    if (name == "shpp-stage") ++n;
  }
  ::closedir(d);
  return n;
}

}  // namespace

TEST_CASE("filter keeps the lines its predicate accepts", "[function][thread]") {
  auto out = (cmd("printf", "a.cpp\\nb.h\\nc.cpp\\n") | filter([](std::string_view l) { return l.ends_with(".cpp"); }) |
              cmd("wc", "-l"))
                 .read();
  CHECK(out == "2");
}

TEST_CASE("map rewrites each line", "[function][thread]") {
  CHECK((cmd("seq", 3) | map([](std::string_view l) { return fmt::format("<{}>", l); })).read() == "<1>\n<2>\n<3>");
}

TEST_CASE("a last line without a newline reaches the function too", "[function][thread]") {
  CHECK((cmd("printf", "x\\ny") | map([](std::string_view l) { return std::string(l) + "!"; })).read() == "x!\ny!");
}

TEST_CASE("stage transforms the stream", "[function][thread]") {
  auto upper = stage([](std::istream& in, std::ostream& out) {
    char c;
    while (in.get(c)) out.put(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  });
  CHECK((cmd("echo", "hello") | upper).read() == "HELLO");
}

TEST_CASE("lines_of starts a pipeline from a range", "[function][thread]") {
  std::vector<std::string> names{"pear", "apple", "fig"};
  CHECK((lines_of(names) | cmd("sort")).read() == "apple\nfig\npear");
  CHECK((lines_of(std::vector<int>{3, 1, 2}) | cmd("sort", "-n")).read() == "1\n2\n3");
}

TEST_CASE("function stages chain and keep a large stream flowing", "[function][thread]") {
  // 16 MiB through two threads and two processes: backpressure on every pipe.
  auto out = (test::helper("write-out", 16 << 20) | cmd("fold", "-w", 99) | map([](std::string_view l) { return l; }) |
              filter([](std::string_view l) { return !l.empty(); }) | cmd("wc", "-c"))
                 .read();
  CHECK(std::stoull(out) == (16u << 20) + ((16u << 20) + 98) / 99);
}

TEST_CASE("a throwing stage fails like a command, named and numbered", "[function][thread]") {
  auto boom = map([](std::string_view l) -> std::string {
    if (l == "2") throw std::runtime_error("bad line 2");
    return std::string(l);
  });
  try {
    (cmd("seq", 3) | boom | cmd("cat")).run();
    FAIL("no error");
  } catch (const shpp::error& e) {
    CHECK(e.stage() == 2);
    CHECK(e.stage_count() == 3);
    const std::string what = e.what();
    CHECK_THAT(what, Catch::Contains("stage 2 of 3 (map(...))"));
    CHECK_THAT(what, Catch::Contains("bad line 2"));
  }
  try {
    (cmd("seq", 3) | filter([](std::string_view) -> bool { throw std::runtime_error("no"); }).named("picky")).run();
    FAIL("no error");
  } catch (const shpp::error& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("(picky)"));
    CHECK(e.command_line() == "seq 3 | picky");
  }
}

TEST_CASE("yes | map | head succeeds: a stage whose reader left ends quietly", "[function][thread][SIGPIPE]") {
  const int threads = thread_count();
  auto r = (cmd("yes") | map([](std::string_view l) { return l; }) | cmd("head", "-n", 1)).out(capture).run();
  CHECK(r.out == "y\n");
  CHECK(r.ok());
  CHECK(thread_count() == threads);
  CHECK(test::child_count() == 0);
}

TEST_CASE("lines_of stops when its reader leaves", "[function][thread][SIGPIPE]") {
  std::vector<int> many(1000000, 7);
  CHECK((lines_of(many) | cmd("head", "-n", 2)).read() == "7\n7");
}

TEST_CASE("a timeout stops function stages too", "[function][thread][timeout]") {
  const int threads = thread_count();
  const auto start = std::chrono::steady_clock::now();
  // The function waits for input that never comes: only the stop wakes it.
  auto r = (cmd("sleep", 30) | filter([](std::string_view) { return true; })).timeout(200ms).status();
  CHECK(r == 124);
  CHECK(std::chrono::steady_clock::now() - start < 5s);
  CHECK(thread_count() == threads);
  CHECK(test::child_count() == 0);
}

TEST_CASE("a timeout stops a stage blocked writing to a reader that does not read", "[function][thread][timeout]") {
  const int threads = thread_count();
  try {
    (lines_of(std::vector<int>(10000000, 1)) | cmd("sleep", 30)).timeout(200ms).run();
    FAIL("no error");
  } catch (const shpp::error& e) {
    CHECK(e.timed_out());
  }
  CHECK(thread_count() == threads);
  CHECK(test::child_count() == 0);
}

TEST_CASE("leaving a lines() loop early stops function stages", "[function][thread][lines]") {
  const int threads = thread_count();
  int seen = 0;
  for (auto line : (cmd("yes") | map([](std::string_view l) { return std::string(l) + "!"; })).lines()) {
    CHECK(line == "y!");
    CHECK(thread_count() == threads + 1);  // the map's thread, named, while it runs
    if (++seen == 3) break;
  }
  CHECK(seen == 3);
  CHECK(thread_count() == threads);
  CHECK(test::child_count() == 0);
}

TEST_CASE("kill stops a job's function stages", "[function][thread][job]") {
  const int threads = thread_count();
  job j = (cmd("sleep", 30) | filter([](std::string_view) { return true; }) | cmd("cat")).spawn();
  j.kill();
  j.wait();
  CHECK(thread_count() == threads);
  CHECK(test::child_count() == 0);
}

TEST_CASE("a function stage writes where its redirection says",
          "[function][thread]") {
  test::temp_dir dir;
  const auto file = dir.path / "out.txt";
  (cmd("printf", "1\\n2\\n") | map([](std::string_view l) { return std::string(l) + "0"; })).out(file.string()).run();
  std::ifstream in(file);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  CHECK(text == "10\n20\n");
}

TEST_CASE("a function stage in a group leaves the group's pipes blocking for the next member",
          "[function][thread][group]") {
  // map writes the group's stdout first; the helper then writes 4 MiB into
  // the same pipe, which would fail with EAGAIN had it stayed non-blocking.
  auto both = group(map([](std::string_view l) { return l; }), test::helper("write-out", 4 << 20));
  auto out = (cmd("echo", "x") | both | cmd("wc", "-c")).read();
  CHECK(std::stoull(out) == 2 + (4u << 20));
}

TEST_CASE("function stages read the caller's stdin and write the caller's stdout", "[function][thread]") {
  // The test program's own stdin is whatever ctest gave it: run a child whose stdin is known.
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  auto out = cmd(self, "[.function_stdin_child]").input("a\nb\n").out(capture).run().out;
  CHECK_THAT(out, Catch::Contains("<<a>>\n<<b>>\n"));
}

TEST_CASE("function stdin child", "[.function_stdin_child]") {
  auto angle = map([](std::string_view l) { return fmt::format("<{}>", l); });
  (angle | cmd("cat") | angle).run();
}
