// Output keeps its order: text printed before a run comes before the run's own
// output, also when stdout is a file or a pipe (fully buffered).
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "../helper.hpp"

using namespace shpp;

namespace {

// Runs print_and_run() in a forked child whose stdout is `fd`, fully
// buffered as C stdio makes it for a file or a pipe; returns its exit status.
int child_printing_to(int fd) {
  std::cout.flush();
  std::fflush(nullptr);  // nothing of ours buffered goes to the child
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fd, 1);
    std::setvbuf(stdout, nullptr, _IOFBF, BUFSIZ);
    try {
      std::printf("1\n");
      cmd("echo", "2").run();
      std::cout << "3\n";
      cmd("sh", "-c", "echo 4 >&2").err(to_stdout).run();
      std::printf("5\n");
    } catch (...) {
      ::_exit(2);
    }
    std::fflush(stdout);
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

}  // namespace

TEST_CASE("output printed before a run comes first when stdout is a file", "[output-order]") {
  test::temp_dir dir;
  const auto path = dir.path / "out";
  std::FILE* f = std::fopen(path.c_str(), "w");
  REQUIRE(f);
  CHECK(child_printing_to(::fileno(f)) == 0);
  std::fclose(f);
  CHECK(test::slurp(path) == "1\n2\n3\n4\n5\n");
}

TEST_CASE("output printed before a run comes first when stdout is a pipe", "[output-order]") {
  int p[2];
  REQUIRE(::pipe(p) == 0);
  const int status = child_printing_to(p[1]);
  ::close(p[1]);
  std::string text;
  char buf[256];
  for (ssize_t n; (n = ::read(p[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  ::close(p[0]);
  CHECK(status == 0);
  CHECK(text == "1\n2\n3\n4\n5\n");
}
