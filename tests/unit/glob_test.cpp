// expand_glob on real directories made for each test (no process starts).
#include "posix/glob.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../helper.hpp"

using shpp::detail::expand_glob;
using strings = std::vector<std::string>;
namespace fs = std::filesystem;

namespace {

// Makes each path below `root`; a trailing '/' makes a directory.
void make(const fs::path& root, std::initializer_list<std::string> paths) {
  for (const std::string& p : paths) {
    if (p.ends_with('/')) {
      fs::create_directories(root / p);
    } else {
      fs::create_directories((root / p).parent_path());
      std::ofstream(root / p).put('x');
    }
  }
}

}  // namespace

TEST_CASE("results are sorted byte-wise: uppercase first, a10 before a2", "[glob]") {
  test::temp_dir dir;
  make(dir.path, {"b", "a2", "a10", "B", "A", "_x", "\xc3\xa9t\xc3\xa9"});
  CHECK(expand_glob("*", dir.path) == strings{"A", "B", "_x", "a10", "a2", "b", "\xc3\xa9t\xc3\xa9"});
}

TEST_CASE("relative patterns give paths relative to cwd, absolute ones absolute", "[glob]") {
  test::temp_dir dir;
  make(dir.path, {"notes/a", "notes/b", "notes/sub/c"});
  CHECK(expand_glob("notes/*", dir.path) == strings{"notes/a", "notes/b", "notes/sub"});
  CHECK(expand_glob("*/s*/?", dir.path) == strings{"notes/sub/c"});
  const std::string abs = dir.path.string();
  CHECK(expand_glob(abs + "/notes/?", "/nonexistent") == strings{abs + "/notes/a", abs + "/notes/b"});
}

TEST_CASE("dot files need a literal leading dot", "[glob]") {
  test::temp_dir dir;
  make(dir.path, {".hidden", ".config/x", "shown"});
  CHECK(expand_glob("*", dir.path) == strings{"shown"});
  CHECK(expand_glob(".*", dir.path) == strings{".config", ".hidden"});
  CHECK(expand_glob("\\.h*", dir.path) == strings{".hidden"});
  CHECK(expand_glob(".config/*", dir.path) == strings{".config/x"});
  CHECK(expand_glob("**/x", dir.path).empty());  // ** stays out of hidden folders
}

TEST_CASE("** matches zero and more directories", "[glob]") {
  test::temp_dir dir;
  make(dir.path, {"top.cpp", "src/a.cpp", "src/a.hpp", "src/x/b.cpp", "src/x/y/c.cpp", "src/.git/d.cpp"});
  CHECK(expand_glob("**/*.cpp", dir.path) == strings{"src/a.cpp", "src/x/b.cpp", "src/x/y/c.cpp", "top.cpp"});
  CHECK(expand_glob("src/**/*.cpp", dir.path) == strings{"src/a.cpp", "src/x/b.cpp", "src/x/y/c.cpp"});
  CHECK(expand_glob("src/**/y/*", dir.path) == strings{"src/x/y/c.cpp"});
  CHECK(expand_glob("src/**", dir.path) ==
        strings{"src/", "src/a.cpp", "src/a.hpp", "src/x", "src/x/b.cpp", "src/x/y", "src/x/y/c.cpp"});
  CHECK(expand_glob("**/", dir.path) == strings{"src/", "src/x/", "src/x/y/"});
  CHECK(expand_glob("**/**/*.hpp", dir.path) == strings{"src/a.hpp"});  // no duplicates
}

TEST_CASE("** does not follow symlinks to directories, so a loop ends", "[glob]") {
  test::temp_dir dir;
  make(dir.path, {"a/b/f.txt"});
  fs::create_directory_symlink("..", dir.path / "a" / "b" / "up");
  fs::create_directory_symlink("a", dir.path / "alias");
  CHECK(expand_glob("**/*.txt", dir.path) == strings{"a/b/f.txt"});
  CHECK(expand_glob("**/up", dir.path) == strings{"a/b/up"});                 // named, just not entered
  CHECK(expand_glob("alias/*/*.txt", dir.path) == strings{"alias/b/f.txt"});  // a plain * does follow
}

TEST_CASE("a trailing slash keeps directories only", "[glob]") {
  test::temp_dir dir;
  make(dir.path, {"d1/", "d2/", "file"});
  fs::create_directory_symlink("d1", dir.path / "link");
  CHECK(expand_glob("*/", dir.path) == strings{"d1/", "d2/", "link/"});
}

TEST_CASE("bracket expressions and escapes pick files", "[glob]") {
  test::temp_dir dir;
  make(dir.path, {"a*b", "axb", "a1", "a2", "b1", "[x]"});
  CHECK(expand_glob("a\\*b", dir.path) == strings{"a*b"});
  CHECK(expand_glob("a*b", dir.path) == strings{"a*b", "axb"});
  CHECK(expand_glob("[ab][0-9]", dir.path) == strings{"a1", "a2", "b1"});
  CHECK(expand_glob("[!a]*", dir.path) == strings{"[x]", "b1"});
  CHECK(expand_glob("\\[*", dir.path) == strings{"[x]"});
}

TEST_CASE("no match is empty; a pattern without wildcards comes back as it is", "[glob]") {
  test::temp_dir dir;
  make(dir.path, {"present"});
  CHECK(expand_glob("*.nothing", dir.path).empty());
  CHECK(expand_glob("missing/*", dir.path).empty());
  CHECK(expand_glob("present/*", dir.path).empty());  // a file is no directory
  CHECK(expand_glob("missing.txt", dir.path) == strings{"missing.txt"});
  CHECK(expand_glob("a\\*b", dir.path) == strings{"a*b"});
  CHECK(expand_glob("*/present", dir.path).empty());
}

TEST_CASE("a literal component after a wildcard must exist", "[glob]") {
  test::temp_dir dir;
  make(dir.path, {"p1/Makefile", "p2/README", "p3/Makefile"});
  CHECK(expand_glob("*/Makefile", dir.path) == strings{"p1/Makefile", "p3/Makefile"});
}

TEST_CASE("a leading ~ is $HOME", "[glob]") {
  test::temp_dir dir;
  make(dir.path, {"one", "two", ".dot"});
  const char* old = std::getenv("HOME");
  const std::string saved = old ? old : "";
  ::setenv("HOME", (dir.path.string() + "/").c_str(), 1);
  const std::string home = dir.path.string();
  CHECK(expand_glob("~/*", "/") == strings{home + "/one", home + "/two"});
  CHECK(expand_glob("~", "/") == strings{home});
  CHECK(expand_glob("~/none", "/") == strings{home + "/none"});
  CHECK(expand_glob("\\~/*", dir.path).empty());  // an escaped ~ is a name
  if (old)
    ::setenv("HOME", saved.c_str(), 1);
  else
    ::unsetenv("HOME");
}
