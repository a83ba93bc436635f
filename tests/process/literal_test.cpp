// Command literals: sh("...") reads as Bash, runs without a shell.
#include <catch2/catch.hpp>

#include <fstream>
#include <vector>

#include "../helper.hpp"

using namespace shpp;
using namespace std::chrono_literals;

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write(const std::filesystem::path& p, const std::string& text) { std::ofstream(p) << text; }

// Bash's own answer for the same line, in the same folder.
std::string bash(const std::string& line, const std::filesystem::path& dir) {
  return cmd("bash", "-c", "set -o pipefail; " + line).cwd(dir).read();
}

}  // namespace

TEST_CASE("a literal is a pipeline of words", "[literal]") {
  CHECK(sh("echo hello world | tr a-z A-Z").read() == "HELLO WORLD");
  CHECK(sh("printf '%s\\n' b a c | sort | head -n 2").read() == "a\nb");
  CHECK(sh("  echo   spaced   out  ").read() == "spaced out");
}

TEST_CASE("quotes and escapes follow Bash", "[literal]") {
  CHECK(sh("printf '[%s]' 'a b' \"c d\" e\\ f").read() == "[a b][c d][e f]");
  CHECK(sh("printf '[%s]' 'it''s' \"say \\\"hi\\\"\" '$HOME' \"\\\\\"").read() == "[its][say \"hi\"][$HOME][\\]");
  CHECK(sh("awk 'BEGIN { print \"{x}\" }'").read() == "{x}");  // single quotes: braces and $ are text
  CHECK(sh("printf '[%s]' '' \"\"").read() == "[][]");
  CHECK(sh("echo a\\\n b").read() == "a b");  // a line continuation
}

TEST_CASE("a placeholder is exactly one argument", "[literal][placeholder]") {
  CHECK(sh("printf '[%s]' {}", "a b; rm -rf /").read() == "[a b; rm -rf /]");
  CHECK(sh("printf '[%s]' {} {}", 1, 2.5).read() == "[1][2.5]");
  CHECK(sh("printf '[%s]' {}.bak \"x{}y\"", "f", "*").read() == "[f.bak][x*y]");
  CHECK(sh("printf '[%s]' {{}} '{}'").read() == "[{}][{}]");
}

TEST_CASE("a range placeholder splats, and is never globbed", "[literal][placeholder]") {
  std::vector<std::string> files{"a b", "*", "c"};
  CHECK(sh("printf '[%s]' {}", files).read() == "[a b][*][c]");
  CHECK(sh("printf '[%s]' x {} y", std::vector<std::string>{}).read() == "[x][y]");
}

TEST_CASE("globs expand against the command's cwd, sorted byte-wise", "[literal][glob]") {
  test::temp_dir dir;
  for (const char* f : {"b.txt", "a.txt", "B.txt", "a10.txt", "a2.txt", ".hidden.txt", "c.md"}) write(dir.path / f, "");
  std::filesystem::create_directories(dir.path / "sub/deep");
  write(dir.path / "sub/deep/x.txt", "");
  CHECK(sh("echo *.txt").cwd(dir.path).read() == "B.txt a.txt a10.txt a2.txt b.txt");
  CHECK(sh("echo *.txt").cwd(dir.path).read() == bash("echo *.txt", dir.path));
  CHECK(sh("echo .*.txt").cwd(dir.path).read() == ".hidden.txt");
  CHECK(sh("echo ?.md [ab].txt").cwd(dir.path).read() == "c.md a.txt b.txt");
  CHECK(sh("echo **/*.txt").cwd(dir.path).read() ==
        "B.txt a.txt a10.txt a2.txt b.txt sub/deep/x.txt");
  CHECK(sh("echo '*.txt' \"*.md\" \\*").cwd(dir.path).read() == "*.txt *.md *");  // quoted: no expansion
}

TEST_CASE("a glob that matches nothing is an error and nothing runs", "[literal][glob]") {
  test::temp_dir dir;
  const auto marker = dir.path / "ran";
  auto c = (sh("touch ran") && sh("echo *.nothing")).cwd(dir.path);
  CHECK(c.status() == 1);
  CHECK(std::filesystem::exists(marker));  // the list's first member ran; the failing one did not start
  std::filesystem::remove(marker);
  try {
    sh("touch {} *.nothing", marker.string()).cwd(dir.path).run();
    FAIL("no throw");
  } catch (const shpp::error& e) {
    CHECK(std::string(e.what()).find("no match: *.nothing") != std::string::npos);
  }
  CHECK(!std::filesystem::exists(marker));
}

TEST_CASE("~ is the caller's $HOME", "[literal]") {
  const std::string home = std::getenv("HOME");
  CHECK(sh("echo ~ ~/x '~' a~").read() == home + " " + home + "/x ~ a~");
}

TEST_CASE("~ expands when the command runs, and prints as written", "[literal]") {
  const std::string home = std::getenv("HOME");
  const command c = sh("echo ~/'a b' ~");
  CHECK(c.to_string() == "echo ~/'a b' ~");
  test::temp_dir other;
  ::setenv("HOME", other.path.c_str(), 1);
  const std::string got = c.read();
  const std::string again = sh("echo ~/'a b' ~").read();  // the cached literal does not keep the old $HOME
  ::setenv("HOME", home.c_str(), 1);
  CHECK(got == other.path.string() + "/a b " + other.path.string());
  CHECK(again == got);
}

TEST_CASE("redirections apply left to right, as in Bash", "[literal][redirect]") {
  test::temp_dir dir;
  const auto both = "sh -c 'echo out; echo err >&2'";
  // > f 2>&1: both into f. 2>&1 > f: stderr to the old stdout (the capture), stdout to f.
  sh("sh -c 'echo out; echo err >&2' > f 2>&1").cwd(dir.path).run();
  CHECK(slurp(dir.path / "f") == "out\nerr\n");
  CHECK(sh("sh -c 'echo out; echo err >&2' 2>&1 > g").cwd(dir.path).read() == "err");
  CHECK(slurp(dir.path / "g") == "out\n");
  CHECK(sh("sh -c 'echo out; echo err >&2' 2>&1 > g").cwd(dir.path).read() ==
        bash(std::string(both) + " 2>&1 > g", dir.path));
  sh("echo one > h; echo two >> h; sh -c 'echo e >&2' 2>> h").cwd(dir.path).run();
  CHECK(slurp(dir.path / "h") == "one\ntwo\ne\n");
  sh("sh -c 'echo o; echo e >&2' &> i").cwd(dir.path).run();
  CHECK(slurp(dir.path / "i") == "o\ne\n");
  CHECK(sh("echo to-err >&2 2>/dev/null").err(capture).run().err == "to-err\n");  // fd 2 as it was then
  CHECK(sh("echo to-err 2>/dev/null >&2").err(capture).run().err.empty());
  CHECK(sh("sort < h").cwd(dir.path).read() == "e\none\ntwo");
}

TEST_CASE("<<< feeds the word and a newline", "[literal][redirect]") {
  CHECK(sh("od -c <<< {}", "2 3").read() == cmd("bash", "-c", "od -c <<< '2 3'").read());
  CHECK(sh("wc -c <<< ''").read() == "1");
}

TEST_CASE("NAME=value before a program sets its environment", "[literal]") {
  CHECK(sh("X=1 Y='a b' sh -c 'echo $X-$Y'").read() == "1-a b");
  CHECK(sh("env X={} sh -c 'echo $X'", "v").read() == "v");
  CHECK(sh("printf '[%s]' CC=gcc").read() == "[CC=gcc]");  // after the program: an argument
}

TEST_CASE("; && || ! follow Bash under set -e", "[literal][list]") {
  CHECK(sh("false && echo x || echo failed").read() == "failed");
  CHECK(sh("true && echo x || echo failed").read() == "x");
  CHECK(sh("echo a; echo b").read() == "a\nb");
  CHECK(sh("echo a; false; echo never").out(capture).status() == 1);
  CHECK(sh("false && true; echo after").read() == "after");  // left of && does not end a sequence
  CHECK(sh("! false").status() == 0);
  CHECK(sh("! true").status() == 1);
  CHECK_THROWS_AS(sh("echo a && false").out(null).run(), shpp::error);
  CHECK(sh("make-not-here 2>/dev/null && ./test || echo failed").read() == "failed");
}

TEST_CASE("groups share one stdin and one stdout", "[literal][group]") {
  test::temp_dir dir;
  write(dir.path / "scores.csv", "name,score\nc,3\na,1\nb,2\n");
  CHECK(sh("( sed -u 1q ; sort ) < scores.csv").cwd(dir.path).read() == "name,score\na,1\nb,2\nc,3");
  CHECK(sh("{ sed -u 1q; sort; } < scores.csv | wc -l").cwd(dir.path).read() == "4");
  sh("{ echo 1; echo 2; } > out").cwd(dir.path).run();
  CHECK(slurp(dir.path / "out") == "1\n2\n");
}

TEST_CASE("$(...) runs first: one argument per line, never split or globbed", "[literal][substitution]") {
  test::temp_dir dir;
  std::filesystem::create_directory(dir.path / "notes");
  write(dir.path / "notes/a", "bar baz\n");
  write(dir.path / "notes/b b", "bar\n");
  write(dir.path / "notes/c", "baz\n");
  CHECK(sh("grep -l baz $(grep -l bar notes/*)").cwd(dir.path).read() == "notes/a");
  CHECK(sh("printf '[%s]' $(printf 'a b\\n*\\n\\nc\\n')").read() == "[a b][*][c]");
  CHECK(sh("printf '[%s]' \"x$(printf 'y\\n\\n')z\" \"$(echo a; echo b)\"").read() == "[xyz][a\nb]");
}

TEST_CASE("a failing $(...) fails the command, which never starts", "[literal][substitution]") {
  test::temp_dir dir;
  CHECK(sh("touch made $(false)").cwd(dir.path).status() == 1);
  CHECK(!std::filesystem::exists(dir.path / "made"));
  try {
    sh("echo $(sh -c 'exit 3')").run();
    FAIL("no throw");
  } catch (const shpp::error& e) {
    CHECK(std::string(e.what()).find("$(sh -c 'exit 3')") != std::string::npos);
    CHECK(e.exit_code() == 3);
  }
}

TEST_CASE("<(...) and >(...) are /dev/fd paths to stages of the run", "[literal][process-substitution]") {
  test::temp_dir dir;
  write(dir.path / "installed.txt", "b\na\nc\n");
  write(dir.path / "required.txt", "d\na\nc\n");
  CHECK(sh("comm -13 <(sort installed.txt) <(sort required.txt)").cwd(dir.path).read() == "d");
  CHECK(sh("echo <(true)").read() == "/dev/fd/3");
  write(dir.path / "x.fq", "1\n2\n3\n4\n5\n6\n7\n8\n");
  sh("paste - - - - < x.fq | tee >(cut -f 1-2 > a.fq) | cut -f 3-4 > b.fq").cwd(dir.path).run();
  CHECK(slurp(dir.path / "b.fq") == "3\t4\n7\t8\n");
  CHECK(test::eventually([&] { return slurp(dir.path / "a.fq") == "1\t2\n5\t6\n"; }));
}

TEST_CASE("a failing process substitution is checked like any stage", "[literal][process-substitution]") {
  auto r = sh("cat <(sh -c 'echo partial; exit 4')").out(capture).unchecked().run();
  CHECK(r.out == "partial\n");
  CHECK(r.code() == 4);
  REQUIRE(r.stages.size() == 2);
  CHECK(r.stages[0].code == 4);
  CHECK_THROWS_AS(sh("cat <(false)").out(null).run(), shpp::error);
}

TEST_CASE("a literal is a command like any other", "[literal]") {
  test::temp_dir dir;
  CHECK((sh("printf 'b\\na\\n'") | cmd("sort")).read() == "a\nb");
  CHECK(sh("cat").input("x").read() == "x");
  std::vector<std::string> got;
  for (const auto& line : sh("printf '1\\n2\\n'").lines()) got.emplace_back(line);
  CHECK(got == std::vector<std::string>{"1", "2"});
  CHECK(sh("sleep 5").timeout(100ms).status() == 124);
  run("touch {}", (dir.path / "made").string());
  CHECK(std::filesystem::exists(dir.path / "made"));
}

TEST_CASE("a literal prints back as Bash reads it", "[literal][render]") {
  CHECK(fmt::format("{}", sh("tr -cs A-Za-z '\\n' < book.txt | tr A-Z a-z | sort | uniq -c | sort -rn | sed 10q")) ==
        "tr -cs A-Za-z '\\n' < book.txt | tr A-Z a-z | sort | uniq -c | sort -rn | sed 10q");
  CHECK(fmt::format("{}", sh("grep -l baz $(grep -l bar notes/*) '*.c'")) == "grep -l baz $(grep -l bar notes/*) '*.c'");
  CHECK(fmt::format("{}", sh("comm -13 <(sort a) <(sort b)")) == "comm -13 <(sort a) <(sort b)");
  CHECK(fmt::format("{}", sh("make && ./test || echo failed")) == "make && ./test || echo failed");
  CHECK(fmt::format("{}", sh("rm {}", "a b; rm -rf /")) == "rm 'a b; rm -rf /'");
  CHECK(fmt::format("{}", sh("x 2>&1 > f")) == "{ x > f; } 2>&1");
}

TEST_CASE("a literal and the fluent API build the same tree", "[literal][render]") {
  CHECK(sh("ls -l | grep cpp > out.txt").to_string() == (cmd("ls", "-l") | (cmd("grep", "cpp") > "out.txt")).to_string());
  CHECK(sh("a && b || c").to_string() == (cmd("a") && cmd("b") || cmd("c")).to_string());
}

TEST_CASE("the same literal with other arguments builds another command", "[literal][placeholder]") {
  test::temp_dir dir;
  for (int i = 0; i < 3; ++i) {
    const std::vector<std::string> range(static_cast<std::size_t>(i), "r");
    const auto file = dir.path / ("out" + std::to_string(i));
    auto c = sh("printf '[%s]' {} x{}y \"{}.bak\" {} > {}; X={} sh -c 'printf \"[$X]\"' >> {}; cat <<< {} >> {}", i,
                i, i, range, file.string(), i, file.string(), i, file.string());
    c.run();
    std::string expected = "[" + std::to_string(i) + "][x" + std::to_string(i) + "y][" + std::to_string(i) + ".bak]";
    for (int j = 0; j < i; ++j) expected += "[r]";
    expected += "[" + std::to_string(i) + "]" + std::to_string(i) + "\n";
    CHECK(slurp(file) == expected);
  }
  // A placeholder in a glob pattern is literal text, whatever it holds.
  write(dir.path / "a*b.txt", "");
  write(dir.path / "axb.txt", "");
  CHECK(sh("echo {}*.txt", "a*").cwd(dir.path).read() == "a*b.txt");
  CHECK(sh("echo {}*.txt", "ax").cwd(dir.path).read() == "axb.txt");
}

TEST_CASE("a placeholder takes a lines() range, one argument per line", "[literal][placeholder]") {
  CHECK(sh("printf '[%s]' {}", cmd("printf", "a b\\nc\\n").lines()).read() == "[a b][c]");
  CHECK(cmd("printf", "[%s]", cmd("printf", "x\\ny\\n").lines()).read() == "[x][y]");
}

TEST_CASE("a group's redirections apply left to right", "[literal][redirect]") {
  test::temp_dir dir;
  sh("{ echo a; } > x > y").cwd(dir.path).run();
  CHECK(slurp(dir.path / "y") == "a\n");
  CHECK(fmt::format("{}", sh("{ echo a; } > x > y")) == "{ echo a; } > x > y");
}
