// End-to-end tests of the `shpp` runner: real scripts, real compiler, real cache.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <csignal>
#include <thread>

#include "../helper.hpp"
#include "runner_helper.hpp"

using namespace shpp;
using namespace test::runner;
namespace fs = std::filesystem;


TEST_CASE("a shebang script runs with its arguments and exit code", "[runner]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "args.cpp", R"(
int main(int argc, char** argv) {
  for (int i = 0; i < argc; ++i) fmt::print("[{}]\n", argv[i]);
  return 42;
}
)");
  const char* path = std::getenv("PATH");
  auto r = cmd(script, "a b", "", "--", "-x")
               .env("XDG_CACHE_HOME", cache_dir.string())
               .env("PATH", runner_dir.string() + ":" + path)
               .out(capture)
               .unchecked()
               .run();
  CHECK(r.code() == 42);
  CHECK(r.out == "[" + script.string() + "]\n[a b]\n[]\n[--]\n[-x]\n");
}

TEST_CASE("a script killed by a signal kills the runner with it", "[runner]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "die.cpp", "int main() { std::raise(SIGKILL); }\n");
  auto r = shpp_run(script).unchecked().run();
  CHECK(r.stages[0].signal == SIGKILL);
}

TEST_CASE("the runner execs: the script's pid is the runner's", "[runner]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "pid.cpp", "#include <unistd.h>\nint main() { fmt::print(\"{}\", getppid()); }\n");
  // The shell's child is the runner; if the runner execs, the script's parent is the shell.
  auto r = cmd("sh", "-c", "\"$@\"; echo \" $$\"", "sh", SHPP_RUNNER, script)
               .env("XDG_CACHE_HOME", cache_dir.string())
               .read();
  const auto space = r.find(' ');
  REQUIRE(space != std::string::npos);
  CHECK(r.substr(0, space) == r.substr(space + 1));
}

TEST_CASE("a cache hit does not recompile", "[runner]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "hit.cpp", "int main() { fmt::print(\"hit\\n\"); }\n");
  auto first = shpp_run("--verbose", script).err(capture).out(capture).run();
  CHECK(first.out == "hit\n");
  CHECK_THAT(first.err, Catch::Contains("cache miss"));
  auto second = shpp_run("--verbose", script).err(capture).out(capture).run();
  CHECK(second.out == "hit\n");
  CHECK_THAT(second.err, Catch::Contains("cache hit"));
  CHECK_FALSE(Catch::Contains("g++").match(second.err));
}

TEST_CASE("editing the script, a local header, a directive or CXX rebuilds", "[runner]") {
  test::temp_dir dir;
  write(dir.path / "local.hpp", "inline const char* word = \"one\";\n");
  const auto script = make_script(dir, "edit.cpp", "#include \"local.hpp\"\nint main() { fmt::print(\"{}\\n\", word); }\n");
  auto run = [&](std::string cxx = "") {
    auto c = shpp_run("--verbose", script);
    if (!cxx.empty()) c = c.env("CXX", cxx);
    return c.err(capture).out(capture).run();
  };
  CHECK(run().out == "one\n");

  // The local header: same script bytes, new output.
  write(dir.path / "local.hpp", "inline const char* word = \"two, longer\";\n");
  auto after_header = run();
  CHECK(after_header.out == "two, longer\n");
  CHECK_THAT(after_header.err, Catch::Contains("cache miss") && Catch::Contains("local.hpp"));

  // The script itself.
  write(script, "#!/usr/bin/env shpp\n#include \"local.hpp\"\nint main() { fmt::print(\"<{}>\\n\", word); }\n");
  CHECK(run().out == "<two, longer>\n");

  // A directive.
  write(script, "#!/usr/bin/env shpp\n// shpp: -DGREETING=42\nint main() { fmt::print(\"{}\\n\", GREETING); }\n");
  auto with_directive = run();
  CHECK(with_directive.out == "42\n");
  CHECK_THAT(with_directive.err, Catch::Contains("cache miss"));
  CHECK_THAT(with_directive.err, Catch::Contains("-DGREETING"));

  // CXX.
  auto other_cxx = run("/usr/bin/g++");
  CHECK(other_cxx.out == "42\n");
  CHECK_THAT(other_cxx.err, Catch::Contains("cache miss"));
  CHECK_THAT(run("/usr/bin/g++").err, Catch::Contains("cache hit"));
}

TEST_CASE("a compile error points at the user's file and line", "[runner]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "broken.cpp", "int main() {\n  int x = ;\n}\n");
  auto r = shpp_run(script).err(capture).unchecked().run();
  CHECK(r.code() == 1);
  // Line 3 of the file: the shebang is line 1.
  CHECK_THAT(r.err, Catch::Contains(script.string() + ":3:"));
  CHECK_THAT(r.err, Catch::Contains("shpp: compilation of " + script.string() + " failed"));
  // No cache entry is left: the next run compiles (and fails) again.
  auto again = shpp_run("--verbose", script).err(capture).unchecked().run();
  CHECK_THAT(again.err, Catch::Contains("cache miss"));
}

TEST_CASE("compiler output is hidden on success", "[runner]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "warn.cpp", "// shpp: -Wall\nint main() { int unused = 1; }\n");
  auto r = shpp_run(script).err(capture).out(capture).run();
  CHECK(r.err.empty());
}

TEST_CASE("eight concurrent first runs compile once and all succeed", "[runner]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "together.cpp", "int main() { fmt::print(\"together\\n\"); }\n");
  std::vector<job> jobs;
  for (int i = 0; i < 8; ++i) jobs.push_back(shpp_run("--verbose", script).out(capture).err(capture).spawn());
  int compiles = 0;
  for (auto& j : jobs) {
    auto r = j.wait();
    CHECK(r.out == "together\n");
    compiles += count(r.err, "compiling");
  }
  CHECK(compiles == 1);
}

TEST_CASE("an unusable XDG_CACHE_HOME is a clear error", "[runner]") {
  test::temp_dir dir;
  write(dir.path / "file", "");
  const auto script = make_script(dir, "nocache.cpp", "int main() {}\n");
  auto r = cmd(SHPP_RUNNER, script).env("XDG_CACHE_HOME", (dir.path / "file").string()).err(capture).unchecked().run();
  CHECK(r.code() == 1);
  CHECK_THAT(r.err, Catch::Contains("shpp: cannot create the cache directory") && Catch::Contains("XDG_CACHE_HOME"));
}

TEST_CASE("a cache directory owned by another user is refused", "[runner]") {
  test::temp_dir dir;
  fs::create_directories(dir.path / "shpp");
  if (::chown((dir.path / "shpp").c_str(), 12345, 12345) != 0) return;  // not root: cannot set it up
  const auto script = make_script(dir, "owner.cpp", "int main() {}\n");
  auto r = cmd(SHPP_RUNNER, script).env("XDG_CACHE_HOME", dir.path.string()).err(capture).unchecked().run();
  CHECK(r.code() == 1);
  CHECK_THAT(r.err, Catch::Contains("belongs to uid 12345"));
}

TEST_CASE("a corrupt or truncated cached binary is rebuilt", "[runner]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "corrupt.cpp", "int main() { fmt::print(\"fine\\n\"); }\n");
  auto first = shpp_run("--verbose", script).err(capture).out(capture).run();
  CHECK(first.out == "fine\n");
  // The entry the verbose output named.
  const std::string key = entry_key(first.err);
  REQUIRE(!key.empty());
  const fs::path bin = cache_dir / "shpp" / "entries" / key / "bin";
  REQUIRE(fs::exists(bin));

  fs::resize_file(bin, fs::file_size(bin) / 2);
  auto truncated = shpp_run("--verbose", script).err(capture).out(capture).run();
  CHECK(truncated.out == "fine\n");
  CHECK_THAT(truncated.err, Catch::Contains("cache miss"));

  write(bin, std::string(fs::file_size(bin), 'x'));
  auto garbage = shpp_run(script).out(capture).run();
  CHECK(garbage.out == "fine\n");
}

TEST_CASE("inline code with -e runs statements with shpp in scope", "[runner]") {
  auto r = shpp_run("-e", "for (auto l : cmd(\"printf\", \"a\\\\nb\\\\n\").lines()) fmt::print(\"<{}>\", l);")
               .out(capture)
               .run();
  CHECK(r.out == "<a><b>");
  CHECK(shpp_run("-e", "return argc;", "x", "y").status() == 3);
}

TEST_CASE("scripts have glob() and which() without an include", "[runner]") {
  test::temp_dir dir;
  write(dir.path / "b.txt", "");
  write(dir.path / "a.txt", "");
  auto r = shpp_run("-e", "fmt::print(\"{}|{}\", cmd(\"echo\", glob(\"*.txt\")).read(), which(\"sh\").has_value());")
               .cwd(dir.path)
               .out(capture)
               .run();
  CHECK(r.out == "a.txt b.txt|true");
}

TEST_CASE("cache gc removes an entry whose script was deleted", "[runner]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "gone.cpp", "int main() { fmt::print(\"gone\\n\"); }\n");
  CHECK(shpp_run(script).read() == "gone");
  CHECK_THAT(shpp_run("cache", "list").read(), Catch::Contains(script.string()));
  fs::remove(script);
  auto gc = shpp_run("cache", "gc").read();
  CHECK_THAT(gc, Catch::Contains("removed " + script.string() + " (script deleted)"));
  CHECK_FALSE(Catch::Contains(script.string()).match(shpp_run("cache", "list").read()));
}

TEST_CASE("the ide option writes compile_commands.json beside the script", "[runner]") {
  test::temp_dir dir;
  const auto script = make_script(dir, "ide.cpp", "int main() {}\n");
  auto flags = shpp_run("--ide", script).read();
  CHECK_THAT(flags, Catch::Contains("-include"));
  const auto json = test::slurp(dir.path / "compile_commands.json");
  CHECK_THAT(json, Catch::Contains("\"file\": \"" + script.string() + "\""));
  CHECK_THAT(json, Catch::Contains("-isystem"));
}

TEST_CASE("help and version options", "[runner]") {
  CHECK_THAT(shpp_run("--help").read(), Catch::Contains("usage: shpp"));
  CHECK_THAT(shpp_run("--version").read(), Catch::StartsWith("shpp "));
  CHECK(shpp_run("--no-such-option").err(null).status() == 1);
  CHECK_THAT(shpp_run("/no/such/script.cpp").err(capture).unchecked().run().err,
             Catch::Contains("cannot read /no/such/script.cpp"));
}

TEST_CASE("a script reached through a symlink includes headers beside the real file", "[runner]") {
  test::temp_dir dir;
  fs::create_directories(dir.path / "src");
  fs::create_directories(dir.path / "bin");
  write(dir.path / "src" / "near.hpp", "inline int answer = 41;\n");
  const auto script = make_script(dir, "src/linked.cpp", "#include \"near.hpp\"\nint main() { fmt::print(\"{}\\n\", answer + 1); }\n");
  fs::create_symlink(script, dir.path / "bin" / "linked");
  CHECK(shpp_run(dir.path / "bin" / "linked").read() == "42");
}
