// libFuzzer: an argv quoted by shpp::quote and read back by sh comes back byte
// for byte. The input is the argv, NUL-separated (an argument cannot hold NUL).
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <shpp/quote.hpp>

extern char** environ;

namespace {

// sh -c 'printf "%s\0" <quoted words>': what sh made of the words, NUL-terminated each.
std::string through_sh(const std::string& line) {
  int fds[2];
  if (::pipe(fds) != 0) std::abort();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  const char* argv[] = {"/bin/sh", "-c", line.c_str(), nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, "/bin/sh", &actions, nullptr, const_cast<char**>(argv), environ) != 0) std::abort();
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  // libFuzzer's timeout alarm interrupts system calls: retry them.
  while ((n = ::read(fds[0], buf, sizeof buf)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) std::abort();
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "sh failed on: %s\n", line.c_str());
    std::abort();
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return -1;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> argv;
  for (std::size_t start = 0; start <= input.size() && argv.size() < 16;) {
    const std::size_t end = std::min(input.find('\0', start), input.size());
    argv.push_back(input.substr(start, end - start));
    start = end + 1;
  }
  std::string line = "printf '%s\\0'";
  std::string expected;
  for (auto word : argv) {
    line += ' ';
    line += shpp::quote(word);
    expected += word;
    expected += '\0';
  }
  if (through_sh(line) != expected) {
    std::fprintf(stderr, "quote round trip failed for: %s\n", line.c_str());
    std::abort();
  }
  return 0;
}
