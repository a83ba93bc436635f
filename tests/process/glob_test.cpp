// shpp::glob through the public header, on real files, into real commands.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <shpp/glob.hpp>

#include "../helper.hpp"

using namespace shpp;
namespace fs = std::filesystem;
using paths = std::vector<fs::path>;

namespace {

// The test process's cwd moved into `dir` for one scope: glob() is relative to it.
struct cwd_in {
  fs::path saved = fs::current_path();
  explicit cwd_in(const fs::path& dir) { fs::current_path(dir); }
  ~cwd_in() { fs::current_path(saved); }
  cwd_in(const cwd_in&) = delete;
  cwd_in& operator=(const cwd_in&) = delete;
};

void touch(const fs::path& p) {
  fs::create_directories(p.parent_path());
  std::ofstream(p).put('x');
}

}  // namespace

TEST_CASE("glob results are arguments for cmd", "[glob]") {
  test::temp_dir dir;
  touch(dir.path / "b.txt");
  touch(dir.path / "a.txt");
  touch(dir.path / "c.log");
  cwd_in here(dir.path);
  CHECK(cmd("ls", "-1", glob("*.txt")).read() == "a.txt\nb.txt");
  CHECK(test::helper("echo-args", "-x", glob("*.log")).read() == "[-x]\n[c.log]");
}

TEST_CASE("glob is relative to the current directory and recursive with **", "[glob]") {
  test::temp_dir dir;
  touch(dir.path / "src/main.cpp");
  touch(dir.path / "src/net/http.cpp");
  touch(dir.path / "src/net/http.hpp");
  cwd_in here(dir.path);
  CHECK(glob("src/**/*.cpp") == paths{"src/main.cpp", "src/net/http.cpp"});
  CHECK(glob((dir.path / "src/*.cpp").string()) == paths{dir.path / "src/main.cpp"});
}

TEST_CASE("glob of nothing is empty, even for a name without wildcards", "[glob]") {
  test::temp_dir dir;
  touch(dir.path / "here.txt");
  cwd_in here(dir.path);
  CHECK(glob("*.cpp").empty());
  CHECK(glob("missing.txt").empty());
  CHECK(glob("here.txt") == paths{"here.txt"});
  CHECK(glob("here\\.txt") == paths{"here.txt"});
  CHECK(cmd("echo", "start", glob("*.none"), "end").read() == "start end");
}

TEST_CASE("glob skips directories it cannot read", "[glob]") {
  test::temp_dir dir;
  touch(dir.path / "open/f");
  touch(dir.path / "locked/f");
  fs::permissions(dir.path, fs::perms::all, fs::perm_options::add);
  fs::permissions(dir.path / "open", fs::perms::all, fs::perm_options::add);
  fs::permissions(dir.path / "locked", fs::perms::none, fs::perm_options::replace);
  const pid_t child = ::fork();
  if (child == 0) {  // as another user: root may read any folder
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) std::_Exit(10);
    if (glob((dir.path / "*/f").string()) != paths{dir.path / "open/f"}) std::_Exit(11);
    if (glob((dir.path / "**/f").string()) != paths{dir.path / "open/f"}) std::_Exit(12);
    std::_Exit(0);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  fs::permissions(dir.path / "locked", fs::perms::owner_all, fs::perm_options::replace);
}
