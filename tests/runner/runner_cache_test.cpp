// The runner's cache against other local users and damage: a symlink swapped
// under it, folders others can write, entries replaced or edited, and
// `cache gc` racing a build.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "../helper.hpp"
#include "runner_helper.hpp"

using namespace shpp;
using namespace test::runner;
namespace fs = std::filesystem;

namespace {

constexpr uid_t other_uid = 12345;

// Gives `p` and everything below it to `other_uid`; false if we may not (not root).
bool give_away(const fs::path& p) {
  if (::lchown(p.c_str(), other_uid, other_uid) != 0) return false;
  if (fs::is_directory(fs::symlink_status(p)))
    for (const auto& e : fs::recursive_directory_iterator(p))
      if (::lchown(e.path().c_str(), other_uid, other_uid) != 0) return false;
  return true;
}

// Repoints the symlink `link` at `target` atomically (rename over it).
void repoint(const fs::path& link, const fs::path& target) {
  const fs::path tmp = link.string() + ".new";
  std::error_code ec;
  fs::remove(tmp, ec);
  fs::create_directory_symlink(target, tmp, ec);
  fs::rename(tmp, link, ec);
}

}  // namespace

TEST_CASE("a planted binary never runs while a symlink above the cache is swapped", "[runner]") {
  if (::geteuid() != 0) {
    WARN("needs root to make a folder owned by another user");
    return;
  }
  test::temp_dir dir;
  const auto script = make_script(dir, "victim.cpp", "int main() { fmt::print(\"real\\n\"); }\n");
  const auto planted_src = make_script(dir, "planted.cpp", "int main() { fmt::print(\"PLANTED\\n\"); }\n");

  // The victim's own cache, with the script built.
  const fs::path victim = dir.path / "victim";
  auto built = shpp_run_in(victim, "--verbose", script).out(capture).err(capture).run();
  REQUIRE(built.out == "real\n");
  const std::string key = entry_key(built.err);
  REQUIRE(!key.empty());

  // The attacker's copy of that entry (same key: anyone who can read the
  // script computes it) holding another binary and a meta file that matches it.
  const fs::path scratch = dir.path / "scratch";
  auto planted_build = shpp_run_in(scratch, "--verbose", planted_src).out(capture).err(capture).run();
  REQUIRE(planted_build.out == "PLANTED\n");
  const fs::path planted_entry = scratch / "shpp" / "entries" / entry_key(planted_build.err);
  const fs::path attacker = dir.path / "attacker";
  const fs::path entry = attacker / "shpp" / "entries" / key;
  fs::create_directories(entry);
  fs::copy_file(planted_entry / "bin", entry / "bin");
  fs::permissions(attacker, fs::perms::all);
  for (const auto& e : fs::recursive_directory_iterator(attacker))
    fs::permissions(e.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
  REQUIRE(give_away(attacker / "shpp"));
  // The victim's meta with the planted binary's stamp (size, mtime, ctime, inode).
  struct stat st;
  REQUIRE(::stat((entry / "bin").c_str(), &st) == 0);
  std::string meta = test::slurp(victim / "shpp" / "entries" / key / "meta");
  const auto at = meta.find("\nbinary ");
  REQUIRE(at != std::string::npos);
  const auto ns = [](const timespec& t) { return std::to_string(t.tv_sec * 1'000'000'000LL + t.tv_nsec); };
  meta.replace(at, meta.find('\n', at + 1) - at,
               "\nbinary " + std::to_string(st.st_size) + " " + ns(st.st_mtim) + " " + ns(st.st_ctim) + " " +
                   std::to_string(st.st_ino));
  write(entry / "meta", meta);
  REQUIRE(give_away(entry / "meta"));

  // XDG_CACHE_HOME leads through a symlink the attacker flips all the time.
  const fs::path link = dir.path / "link";
  fs::create_directory_symlink(victim, link);
  std::atomic<bool> stop{false};
  std::thread flipper([&] {
    for (bool to_attacker = true; !stop; to_attacker = !to_attacker) repoint(link, to_attacker ? attacker : victim);
  });
  int real = 0, refused = 0, planted = 0;
  for (int i = 0; i < 300; ++i) {
    auto r = shpp_run_in(link, script).out(capture).err(capture).unchecked().run();
    if (r.out.find("PLANTED") != std::string::npos) ++planted;
    if (r.out == "real\n") ++real;
    if (r.err.find("belongs to uid 12345") != std::string::npos) ++refused;
  }
  stop = true;
  flipper.join();
  CHECK(planted == 0);
  CHECK(real > 0);     // the race was run both ways
  CHECK(refused > 0);
}

TEST_CASE("a cache root that is a symlink is refused", "[runner]") {
  test::temp_dir dir;
  fs::create_directories(dir.path / "real");
  fs::permissions(dir.path / "real", fs::perms::owner_all, fs::perm_options::replace);
  fs::create_directory_symlink(dir.path / "real", dir.path / "shpp");
  const auto script = make_script(dir, "link.cpp", "int main() {}\n");
  auto r = shpp_run_in(dir.path, script).err(capture).unchecked().run();
  CHECK(r.code() == 1);
  CHECK_THAT(r.err, Catch::Contains("is a symbolic link"));
}

TEST_CASE("a cache root writable by others is refused", "[runner]") {
  test::temp_dir dir;
  fs::create_directories(dir.path / "shpp");
  fs::permissions(dir.path / "shpp", fs::perms::all, fs::perm_options::replace);
  const auto script = make_script(dir, "open.cpp", "int main() {}\n");
  auto r = shpp_run_in(dir.path, script).err(capture).unchecked().run();
  CHECK(r.code() == 1);
  CHECK_THAT(r.err, Catch::Contains("writable by group or others (mode 0777)"));
  CHECK_FALSE(fs::exists(dir.path / "shpp" / "entries"));  // nothing was read or made in it
}

TEST_CASE("a cache entry writable by the group is refused", "[runner]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "group.cpp", "int main() { fmt::print(\"ok\\n\"); }\n");
  auto first = shpp_run_in(dir.path, "--verbose", script).out(capture).err(capture).run();
  REQUIRE(first.out == "ok\n");
  const fs::path entry = dir.path / "shpp" / "entries" / entry_key(first.err);
  fs::permissions(entry, fs::perms::group_write, fs::perm_options::add);
  auto r = shpp_run_in(dir.path, script).out(capture).err(capture).unchecked().run();
  CHECK(r.code() == 1);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains(entry.string()) && Catch::Contains("writable by group or others"));
}

TEST_CASE("a cached binary replaced by a folder is rebuilt and leaves no temporary file", "[runner]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "folder.cpp", "int main() { fmt::print(\"built\\n\"); }\n");
  auto first = shpp_run_in(dir.path, "--verbose", script).out(capture).err(capture).run();
  const fs::path entry = dir.path / "shpp" / "entries" / entry_key(first.err);
  fs::remove(entry / "bin");
  fs::create_directories(entry / "bin" / "inside");
  for (int i = 0; i < 2; ++i) CHECK(shpp_run_in(dir.path, script).read() == "built");
  CHECK(fs::is_regular_file(entry / "bin"));
  for (const auto& e : fs::directory_iterator(entry))
    CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);
}

TEST_CASE("a binary edited in place with its size, mtime and inode restored is rebuilt", "[runner]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "inplace.cpp", "int main() { fmt::print(\"genuine\\n\"); }\n");
  auto first = shpp_run_in(dir.path, "--verbose", script).out(capture).err(capture).run();
  const fs::path bin = dir.path / "shpp" / "entries" / entry_key(first.err) / "bin";
  struct stat before;
  REQUIRE(::stat(bin.c_str(), &before) == 0);
  {
    // Same size, same inode: overwrite the bytes of "genuine" in place.
    std::string bytes = test::slurp(bin);
    const auto at = bytes.find("genuine");
    REQUIRE(at != std::string::npos);
    bytes.replace(at, 7, "tampere");
    std::fstream f(bin, std::ios::in | std::ios::out | std::ios::binary);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  const timespec times[2] = {before.st_atim, before.st_mtim};
  REQUIRE(::utimensat(AT_FDCWD, bin.c_str(), times, 0) == 0);
  struct stat after;
  REQUIRE(::stat(bin.c_str(), &after) == 0);
  REQUIRE(after.st_size == before.st_size);
  REQUIRE(after.st_ino == before.st_ino);
  REQUIRE(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
  auto r = shpp_run_in(dir.path, "--verbose", script).out(capture).err(capture).run();
  CHECK(r.out == "genuine\n");
  CHECK_THAT(r.err, Catch::Contains("cache miss"));
}

TEST_CASE("a header edit is seen when the script's folder name holds $, # and a space", "[runner]") {
  test::temp_dir dir;
  const fs::path odd = dir.path / "a $b #c";
  fs::create_directories(odd);
  write(odd / "word.hpp", "inline const char* word = \"first\";\n");
  const fs::path script = odd / "odd.cpp";
  write(script, "#include \"word.hpp\"\nint main() { fmt::print(\"{}\\n\", word); }\n");
  CHECK(shpp_run_in(dir.path / "cache", script).read() == "first");
  write(odd / "word.hpp", "inline const char* word = \"second\";\n");
  CHECK(shpp_run_in(dir.path / "cache", script).read() == "second");
}

TEST_CASE("a script whose path holds a newline compiles, runs and reports errors at its lines", "[runner]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "new\nline.cpp", "int main() { fmt::print(\"fine\\n\"); }\n");
  CHECK(shpp_run_in(dir.path / "cache", script).read() == "fine");
  const auto broken = make_script(dir, "bro\nken.cpp", "int main() {\n  int x = ;\n}\n");
  auto r = shpp_run_in(dir.path / "cache", broken).err(capture).unchecked().run();
  CHECK(r.code() == 1);
  CHECK_THAT(r.err, Catch::Contains("ken.cpp:3:"));
  // gc still knows the first script exists.
  CHECK_FALSE(Catch::Contains("script deleted").match(shpp_run_in(dir.path / "cache", "cache", "gc").read()));
}

TEST_CASE("cache gc leaves a prelude and an entry that are being built", "[runner]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "busy.cpp", "int main() { fmt::print(\"busy\\n\"); }\n");
  auto first = shpp_run_in(dir.path, "--verbose", script).out(capture).err(capture).run();
  const fs::path entry = dir.path / "shpp" / "entries" / entry_key(first.err);
  fs::path prelude;
  for (const auto& e : fs::directory_iterator(dir.path / "shpp" / "prelude")) prelude = e.path();
  REQUIRE(!prelude.empty());
  // As a build in progress looks: the prelude not used yet, the entry without meta and its script gone.
  fs::remove(prelude / "used");
  fs::remove(entry / "meta");
  const timespec old[2] = {{0, UTIME_OMIT}, {1'000'000, 0}};
  REQUIRE(::utimensat(AT_FDCWD, prelude.c_str(), old, 0) == 0);
  REQUIRE(::utimensat(AT_FDCWD, entry.c_str(), old, 0) == 0);
  {
    const int p = ::open((prelude / "lock").c_str(), O_RDWR | O_CLOEXEC);
    const int e = ::open((entry / "lock").c_str(), O_RDWR | O_CLOEXEC);
    REQUIRE(::flock(p, LOCK_EX) == 0);
    REQUIRE(::flock(e, LOCK_EX) == 0);
    CHECK_THAT(shpp_run_in(dir.path, "cache", "gc").read(), Catch::Contains("0 cache entries removed"));
    CHECK(fs::exists(prelude / "prelude.hpp.gch"));
    CHECK(fs::exists(entry / "bin"));
    ::close(p);
    ::close(e);
  }
  // Unlocked and old, both go.
  CHECK_THAT(shpp_run_in(dir.path, "cache", "gc").read(), Catch::Contains("2 cache entries removed"));
  CHECK_FALSE(fs::exists(prelude));
  CHECK_FALSE(fs::exists(entry));
  CHECK(shpp_run_in(dir.path, script).read() == "busy");
}

TEST_CASE("a relative XDG_CACHE_HOME is ignored, as the XDG spec says", "[runner]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "relative.cpp", "int main() { fmt::print(\"home\\n\"); }\n");
  auto r = cmd(SHPP_RUNNER, script)
               .env("XDG_CACHE_HOME", "rel")
               .env("HOME", (dir.path / "home").string())
               .cwd(dir.path)
               .out(capture)
               .run();
  CHECK(r.out == "home\n");
  CHECK_FALSE(fs::exists(dir.path / "rel"));
  CHECK(fs::is_directory(dir.path / "home" / ".cache" / "shpp" / "entries"));
}

TEST_CASE("a missing cache folder is made; a corrupted meta file or binary is rebuilt", "[runner]") {
  test::temp_dir dir;
  const fs::path cache = dir.path / "not" / "yet";
  const auto script = make_script(dir, "damaged.cpp", "int main() { fmt::print(\"fine\\n\"); }\n");
  auto first = shpp_run_in(cache, "--verbose", script).out(capture).err(capture).run();
  REQUIRE(first.out == "fine\n");
  CHECK((fs::status(cache / "shpp").permissions() & fs::perms::all) == fs::perms::owner_all);
  const fs::path entry = cache / "shpp" / "entries" / entry_key(first.err);
  write(entry / "meta", "shpp-meta 2\n\x01garbage that is no meta file\n");
  CHECK(shpp_run_in(cache, script).read() == "fine");
  ::truncate((entry / "bin").c_str(), 100);
  CHECK(shpp_run_in(cache, script).read() == "fine");
  write(entry / "meta", "");
  CHECK(shpp_run_in(cache, script).read() == "fine");
}

TEST_CASE("a read-only cache is a clear error, and the next run with it writable works", "[runner]") {
  test::temp_dir dir;
  const fs::path cache = dir.path / "cache";
  fs::create_directories(cache / "shpp");
  const auto script = make_script(dir, "readonly.cpp", "int main() { fmt::print(\"written\\n\"); }\n");
  fs::permissions(cache / "shpp", fs::perms::owner_read | fs::perms::owner_exec, fs::perm_options::replace);
  // Root writes anywhere: the runner then runs as nobody, who owns the folder.
  std::vector<std::string> as;
  if (::geteuid() == 0) {
    REQUIRE(::chown(dir.path.c_str(), 65534, 65534) == 0);
    for (const auto& e : fs::recursive_directory_iterator(dir.path)) REQUIRE(::lchown(e.path().c_str(), 65534, 65534) == 0);
    as = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
  }
  auto runner = [&] {
    std::vector<std::string> argv = as;
    argv.insert(argv.end(), {SHPP_RUNNER, script.string()});
    return command::from_argv(argv).env("XDG_CACHE_HOME", cache.string()).env("HOME", dir.path.string());
  };

  auto r = runner().out(capture).err(capture).unchecked().run();
  CHECK(r.code() == 1);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::StartsWith("shpp: ") && Catch::Contains("Permission denied"));
  CHECK(count(r.err, "\n") <= 3);  // a message, not a trace
  fs::permissions(cache / "shpp", fs::perms::owner_all, fs::perm_options::replace);
  CHECK(runner().read() == "written");
}
