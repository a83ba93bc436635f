// shpp::which: the PATH search that cmd() itself makes.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <shpp/which.hpp>

#include "../helper.hpp"

using namespace shpp;
namespace fs = std::filesystem;

namespace {

// $PATH replaced for one scope (which() and cmd() read the process's own).
struct path_set_to {
  std::string saved = std::getenv("PATH") ? std::getenv("PATH") : "";
  explicit path_set_to(const std::string& path) { ::setenv("PATH", path.c_str(), 1); }
  ~path_set_to() { ::setenv("PATH", saved.c_str(), 1); }
  path_set_to(const path_set_to&) = delete;
  path_set_to& operator=(const path_set_to&) = delete;
};

void script(const fs::path& p, const std::string& text, fs::perms mode) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << "#!/bin/sh\n" << text << '\n';
  fs::permissions(p, mode, fs::perm_options::replace);
}

}  // namespace

TEST_CASE("which finds what sh's command -v finds", "[which]") {
  const auto sh = which("sh");
  REQUIRE(sh);
  CHECK(sh->is_absolute());
  CHECK(::access(sh->c_str(), X_OK) == 0);
  CHECK(cmd("sh", "-c", "command -v sh").read() == sh->native());
}

TEST_CASE("which is nullopt for a program that is not there", "[which]") {
  CHECK_FALSE(which("shpp-no-such-program"));
  CHECK_FALSE(which(""));
  CHECK_FALSE(which("/nonexistent/bin/tool"));
}

TEST_CASE("which takes a name with a slash as it is, if it may run", "[which]") {
  CHECK(which(SHPP_HELPER) == fs::path(SHPP_HELPER));
  CHECK_FALSE(which("/etc/passwd"));  // there, but not executable
  CHECK_FALSE(which("/"));            // a directory
}

TEST_CASE("which skips a PATH entry whose file may not run, as cmd does", "[which]") {
  test::temp_dir dir;
  script(dir.path / "first/tool", "echo first", fs::perms::owner_read | fs::perms::owner_write);
  script(dir.path / "second/tool", "echo second", fs::perms::owner_all);
  path_set_to path((dir.path / "first").string() + ":" + (dir.path / "second").string() + ":/usr/bin:/bin");
  CHECK(which("tool") == dir.path / "second/tool");
  CHECK(cmd("tool").read() == "second");
}
