// A small multi-tool the tests run as a child, so that they depend on
// behaviour we control rather than on the quirks of system tools.
//   echo-args A B...       one "[arg]" line per argument
//   exit N                 exit with code N
//   raise SIG              kill itself with signal number SIG
//   write-out N            write N bytes to stdout (a repeating a..z pattern)
//   write-err N            the same to stderr
//   write-both N           N bytes to each of stdout and stderr, interleaved in 4 KiB pieces
//   cat                    copy stdin to stdout
//   count-stdin            read stdin to EOF, print the byte count
//   consume-and-write N    read stdin to EOF while writing N bytes to stdout; print nothing else
//   sleep MS               sleep MS milliseconds
//   fds                    print the open fd numbers (not counting the one listing them)
//   env NAME               print $NAME or "<unset>"
//   pwd                    print the working directory
//   signals                print "SIGPIPE ignored|default" and "mask empty|nonempty"
//   fail-with TEXT N       write TEXT to stderr, exit N
#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

bool write_all(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

std::vector<char> pattern(std::size_t n) {
  std::vector<char> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<char>('a' + i % 26);
  return p;
}

int write_bytes(int fd, std::size_t total) {
  const auto chunk = pattern(64 * 1024 - 64 * 1024 % 26);
  while (total > 0) {
    const std::size_t n = std::min(total, chunk.size());
    if (!write_all(fd, chunk.data(), n)) return 1;
    total -= n;
  }
  return 0;
}

// Reads stdin to EOF, copying it to stdout if `echo`; returns the byte count,
// or -1 if the copy failed.
long long drain_stdin(bool echo) {
  std::vector<char> buf(64 * 1024);
  long long count = 0;
  while (true) {
    const ssize_t r = ::read(0, buf.data(), buf.size());
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    count += r;
    if (echo && !write_all(1, buf.data(), static_cast<std::size_t>(r))) return -1;
  }
  return count;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: shpp_helper MODE ARGS...\n");
    return 2;
  }
  const std::string_view mode = argv[1];
  if (mode == "echo-args") {
    for (int i = 2; i < argc; ++i) std::printf("[%s]\n", argv[i]);
    return 0;
  }
  if (mode == "exit") return std::atoi(argv[2]);
  if (mode == "raise") {
    const int sig = std::atoi(argv[2]);
    ::signal(sig, SIG_DFL);
    ::raise(sig);
    return 99;
  }
  if (mode == "write-out") return write_bytes(1, std::strtoull(argv[2], nullptr, 10));
  if (mode == "write-err") return write_bytes(2, std::strtoull(argv[2], nullptr, 10));
  if (mode == "write-both") {
    std::size_t total = std::strtoull(argv[2], nullptr, 10);
    const auto chunk = pattern(4096);
    while (total > 0) {
      const std::size_t n = std::min(total, chunk.size());
      if (!write_all(1, chunk.data(), n) || !write_all(2, chunk.data(), n)) return 1;
      total -= n;
    }
    return 0;
  }
  if (mode == "cat") return drain_stdin(true) < 0 ? 1 : 0;
  if (mode == "count-stdin") {
    std::printf("%lld\n", drain_stdin(false));
    return 0;
  }
  if (mode == "consume-and-write") {
    // Writes from a second thread so that neither direction waits for the other.
    const std::size_t total = std::strtoull(argv[2], nullptr, 10);
    int rc = 0;
    std::thread writer([&] { rc = write_bytes(1, total); });
    const long long count = drain_stdin(false);
    writer.join();
    std::fprintf(stderr, "%lld\n", count);
    return rc;
  }
  if (mode == "sleep") {
    ::usleep(static_cast<useconds_t>(std::atoi(argv[2])) * 1000);
    return 0;
  }
  if (mode == "fds") {
    DIR* d = ::opendir("/proc/self/fd");
    const int own = ::dirfd(d);
    while (dirent* e = ::readdir(d)) {
      if (e->d_name[0] == '.') continue;
      if (std::atoi(e->d_name) == own) continue;
      std::printf("%s\n", e->d_name);
    }
    ::closedir(d);
    return 0;
  }
  if (mode == "env") {
    const char* v = std::getenv(argv[2]);
    std::printf("%s\n", v ? v : "<unset>");
    return 0;
  }
  if (mode == "pwd") {
    char buf[4096];
    if (!::getcwd(buf, sizeof buf)) return 1;
    std::printf("%s\n", buf);
    return 0;
  }
  if (mode == "signals") {
    struct sigaction sa;
    ::sigaction(SIGPIPE, nullptr, &sa);
    sigset_t mask;
    ::sigprocmask(SIG_SETMASK, nullptr, &mask);
    bool empty = true;
    for (int s = 1; s < 32; ++s)
      if (sigismember(&mask, s)) empty = false;
    std::printf("SIGPIPE %s\nmask %s\n", sa.sa_handler == SIG_IGN ? "ignored" : "default", empty ? "empty" : "nonempty");
    return 0;
  }
  if (mode == "fail-with") {
    std::fprintf(stderr, "%s\n", argv[2]);
    return std::atoi(argv[3]);
  }
  std::fprintf(stderr, "shpp_helper: unknown mode %s\n", argv[1]);
  return 2;
}
