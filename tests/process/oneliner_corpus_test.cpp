// A corpus of real one-liners from public collections (McIlroy's word count,
// the-art-of-command-line, Bash-Oneliner, stephenturner/oneliners, tldr
// pages, learnbyexample), each beside its shpp port. Each pair runs in a
// fresh copy of the same folder: stdout and every file must come out the
// same. The ports' lengths are reported against the Bash lines: in total at
// most 1.3 times as long, and at least 20 of every 24 ports at most 1.5 times.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <map>

#include <fmt/format.h>
#include <shpp/glob.hpp>

#include "../helper.hpp"

using namespace shpp;

namespace {

struct port {
  std::string_view bash;
  std::string_view cpp;  // the port as written in a script
  std::function<void()> body;
};

// The port is the statement itself: its text is measured, its code is run.
#define PORT(bash_line, ...) port{bash_line, #__VA_ARGS__, [] { __VA_ARGS__; }}

const port corpus[] = {
    // McIlroy's word frequencies (Programming Pearls, 1986)
    PORT("tr -cs A-Za-z '\\n' < book.txt | tr A-Z a-z | sort | uniq -c | sort -rn | sed 10q",
         run("tr -cs A-Za-z '\\n' < book.txt | tr A-Z a-z | sort | uniq -c | sort -rn | sed 10q")),
    // the-art-of-command-line: set operations on sorted lines
    PORT("sort a b | uniq > c", run("sort a b | uniq > c")),
    PORT("sort a b | uniq -d > c", run("sort a b | uniq -d > c")),
    PORT("sort a b b | uniq -u > c", run("sort a b b | uniq -u > c")),
    PORT("awk '{ x += $3 } END { print x }' myfile", run("awk '{ x += $3 } END { print x }' myfile")),
    PORT("comm -13 <(sort installed.txt) <(sort required.txt)",
         run("comm -13 <(sort installed.txt) <(sort required.txt)")),
    PORT("( sed -u 1q ; sort ) < scores.csv", run("( sed -u 1q ; sort ) < scores.csv")),
    // stephenturner/oneliners
    PORT("paste - - - - < x.fq | tee >(cut -f 1-4 > a.fq) | cut -f 5-8 > b.fq",
         run("paste - - - - < x.fq | tee >(cut -f 1-4 > a.fq) | cut -f 5-8 > b.fq")),
    PORT("awk 'NR % 4 == 2' x.fq | sort | uniq -c | sort -rn", run("awk 'NR % 4 == 2' x.fq | sort | uniq -c | sort -rn")),
    PORT("cut -d, -f1 data.csv | sort | uniq -c | sort -rn", run("cut -d, -f1 data.csv | sort | uniq -c | sort -rn")),
    PORT("awk -F, '{print $2}' scores.csv | sort -n | tail -1", run("awk -F, '{print $2}' scores.csv | sort -n | tail -1")),
    // Bash-Oneliner
    PORT("grep -c ERROR app.log", run("grep -c ERROR app.log")),
    PORT("grep -v '^#' config.txt | grep -v '^$'", run("grep -v '^#' config.txt | grep -v '^$'")),
    PORT("cut -d' ' -f1 access.log | sort | uniq -c | sort -rn | head -n 2",
         run("cut -d' ' -f1 access.log | sort | uniq -c | sort -rn | head -n 2")),
    PORT("sed -n '2,3p' book.txt", run("sed -n '2,3p' book.txt")),
    PORT("nl -ba book.txt | tail -n 2", run("nl -ba book.txt | tail -n 2")),
    // learnbyexample
    PORT("grep -o '[0-9]\\+' nums.txt | sort -n | tail -n 1", run("grep -o '[0-9]\\+' nums.txt | sort -n | tail -n 1")),
    PORT("seq 10 | awk '{ s += $1 } END { print s }'", run("seq 10 | awk '{ s += $1 } END { print s }'")),
    PORT("tr '[:lower:]' '[:upper:]' < book.txt | head -c 20", run("tr '[:lower:]' '[:upper:]' < book.txt | head -c 20")),
    // tldr pages
    PORT("wc -l *.txt | sort -n", run("wc -l *.txt | sort -n")),
    PORT("grep -l baz $(grep -l bar notes/*)", run("grep -l baz $(grep -l bar notes/*)")),
    PORT("diff <(sort a) <(sort b) > d || true", run("diff <(sort a) <(sort b) > d || true")),
    PORT("head -n 1 scores.csv; tail -n +2 scores.csv | sort -t, -k2 -rn",
         run("head -n 1 scores.csv; tail -n +2 scores.csv | sort -t, -k2 -rn")),
    // Bash's own control flow becomes C++: longer, and allowed to be
    PORT("for f in notes/*; do wc -c < \"$f\"; done", for (auto& f : glob("notes/*")) run("wc -c < {}", f)),
};

void write(const std::filesystem::path& p, const std::string& text) { std::ofstream(p) << text; }

void make_fixture(const std::filesystem::path& d) {
  write(d / "book.txt",
        "The quick brown fox jumps over the lazy dog.\nThe dog sleeps; the fox runs.\n"
        "A fox, a dog, and THE END.\nthe the the fox\n");
  write(d / "a", "apple\nbanana\ncherry\n");
  write(d / "b", "banana\ndate\napple\n");
  write(d / "myfile", "a 1 10\nb 2 20\nc 3 12\n");
  write(d / "installed.txt", "vim\ngit\ncurl\n");
  write(d / "required.txt", "git\nmake\ncurl\ng++\n");
  write(d / "scores.csv", "name,score\ncarol,72\nalice,91\nbob,85\n");
  write(d / "x.fq", "@r1\nACGT\n+\nIIII\n@r2\nTTGA\n+\nIIII\n@r3\nACGT\n+\nIIII\n");
  write(d / "data.csv", "fr,1\nde,2\nfr,3\nit,4\nfr,5\nde,6\n");
  write(d / "app.log", "INFO up\nERROR disk\nINFO ok\nERROR net\n");
  write(d / "config.txt", "# comment\nkey=1\n\n# more\nother=2\n");
  write(d / "access.log", "10.0.0.1 GET /\n10.0.0.2 GET /a\n10.0.0.1 GET /b\n10.0.0.3 GET /\n10.0.0.1 GET /c\n");
  write(d / "nums.txt", "a 12 b 7\nc 140 d\n9\n");
  std::filesystem::create_directory(d / "notes");
  write(d / "notes/one", "bar baz\n");
  write(d / "notes/two", "bar\n");
  write(d / "notes/three", "baz\n");
}

std::map<std::string, std::string> files_of(const std::filesystem::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file()) {
      std::ifstream in(e.path());
      files[std::filesystem::relative(e.path(), dir).string()] = {std::istreambuf_iterator<char>(in), {}};
    }
  return files;
}

// stdout and every file of `dir`, after `body` ran there in a child process.
std::map<std::string, std::string> outcome(const std::filesystem::path& dir, const std::function<void()>& body) {
  const auto out_file = dir.parent_path() / (dir.filename().string() + ".stdout");
  std::fflush(nullptr);  // nothing of ours may be flushed again by the child
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    if (::chdir(dir.c_str()) != 0) ::_exit(2);
    try {
      body();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s\n", e.what());
      std::fflush(stdout);
      ::_exit(1);
    }
    std::fflush(stdout);
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  auto files = files_of(dir);
  std::ifstream in(out_file);
  files["<stdout>"] = {std::istreambuf_iterator<char>(in), {}};
  files["<status>"] = std::to_string(status);
  return files;
}

}  // namespace

TEST_CASE("every port gives Bash's output, and is about as short", "[literal][corpus]") {
  test::temp_dir root;
  std::size_t bash_total = 0, cpp_total = 0, short_enough = 0;
  std::string report = "  ratio  bash  c++  line\n";
  for (const auto& p : corpus) {
    const auto bash_dir = root.path / "bash";
    const auto port_dir = root.path / "port";
    std::filesystem::remove_all(bash_dir);
    std::filesystem::remove_all(port_dir);
    std::filesystem::create_directory(bash_dir);
    std::filesystem::create_directory(port_dir);
    make_fixture(bash_dir);
    make_fixture(port_dir);
    const std::string line(p.bash);
    auto expected =
        outcome(bash_dir, [&] { ::execlp("bash", "bash", "-o", "pipefail", "-c", line.c_str(), nullptr); });
    const auto got = outcome(port_dir, p.body);
    // Bash does not wait for a >(...) before it exits (shpp does): give its files a moment.
    test::eventually([&] {
      if (got == expected) return true;
      auto files = files_of(bash_dir);
      files["<stdout>"] = expected["<stdout>"];
      files["<status>"] = expected["<status>"];
      expected = files;
      return false;
    });
    INFO(line);
    for (const auto& [name, text] : expected) {
      INFO(name);
      CHECK(got.count(name) == 1);
      if (got.count(name)) CHECK(got.at(name) == text);
    }
    CHECK(got.size() == expected.size());
    const double ratio = double(p.cpp.size()) / double(p.bash.size());
    bash_total += p.bash.size();
    cpp_total += p.cpp.size();
    short_enough += ratio <= 1.5;
    report += fmt::format("  {:5.2f}  {:4}  {:3}  {}\n", ratio, p.bash.size(), p.cpp.size(), p.bash);
  }
  const double total = double(cpp_total) / double(bash_total);
  report += fmt::format("  total {:.2f} ({} of {} ports at most 1.5 x their line)\n", total, short_enough,
                        std::size(corpus));
  WARN(report);
  CHECK(std::size(corpus) >= 20);
  CHECK(total <= 1.3);
  CHECK(short_enough * 24 >= 20 * std::size(corpus));
}
