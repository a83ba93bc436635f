// The shpp side of the benchmarks (bench/run drives it). Each mode does one
// measured thing and prints, on stdout, the lines bench/run parses:
//
//   BENCH ns=<wall-clock nanoseconds of the measured part only>
//   BENCH hwm_kib=<peak RSS of this process (VmHWM), KiB>
//
// Modes:
//   spawn N [--ballast MIB]   N x cmd("true").run(), after allocating and touching MIB MiB
//   pipeline FILE             (cmd("cat", FILE) | cmd("cat") | cmd("cat") > "/dev/null").run()
//   capture FILE              cmd("cat", FILE).read()
//   lines PROGRAM ARGS...     for (auto l : cmd(PROGRAM, ARGS...).lines()) ++n;
//   idle                      nothing: the baseline for hwm_kib
//   remote_true N CONFIG HOST      N x cmd("true").on(h).run(), h = ssh(HOST, {"-F", CONFIG}), its master up
//   remote_cat CONFIG HOST FILE    (cmd("cat", FILE).on(h) | cmd("wc", "-c")).read()
//   remote_grep CONFIG HOST FILE   sh("cat {} | grep x | wc -l", FILE).on(h).read(): one session
//   remote_sleep N SECONDS CONFIG HOST1 HOST2
//                             parallel(N x cmd("sleep", SECONDS), {.jobs = 4, .hosts = {h1, h2}})
//
// The result of every run is checked (a count, a size), so that a broken run
// cannot pass for a fast one: a mismatch exits with status 1.
#include <sys/mman.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <shpp/shpp.hpp>

namespace {

using clock_type = std::chrono::steady_clock;

[[noreturn]] void usage() {
  std::fputs(
      "usage: shpp_bench spawn N [--ballast MIB] | pipeline FILE | capture FILE | lines PROGRAM ARGS... | idle\n"
      "       shpp_bench build literal|fluent N | parallel N JOBS PROGRAM | parallel_sleep N SECONDS\n"
      "       shpp_bench filter FILE | map FILE\n"
      "       shpp_bench remote_true N CONFIG HOST | remote_cat CONFIG HOST FILE | remote_grep CONFIG HOST FILE\n"
      "       shpp_bench remote_sleep N SECONDS CONFIG HOST1 HOST2\n",
      stderr);
  std::exit(2);
}

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "shpp_bench: %s\n", what.c_str());
  std::exit(1);
}

long long to_number(const char* text) {
  char* end = nullptr;
  const long long v = std::strtoll(text, &end, 10);
  if (!*text || *end || v < 0) usage();
  return v;
}

// Peak resident set of this process image, from /proc/self/status. Unlike
// getrusage's ru_maxrss it cannot include the memory of whoever spawned us
// (after a vfork/posix_spawn, the kernel folds the parent's high-water mark
// into the child's ru_maxrss at exec).
long long hwm_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::atoll(line.c_str() + 6);
  fail("no VmHWM in /proc/self/status");
}

long long file_size(const std::string& path) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) fail("cannot open " + path);
  return static_cast<long long>(f.tellg());
}

void report(clock_type::duration elapsed) {
  std::printf("BENCH ns=%lld\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()));
  std::printf("BENCH hwm_kib=%lld\n", hwm_kib());
}

// A caller that holds `mib` MiB of memory it has written to, in ordinary 4 KiB
// pages (no transparent huge pages), as a big application would.
char* ballast(long long mib) {
  if (mib == 0) return nullptr;
  const std::size_t size = static_cast<std::size_t>(mib) << 20;
  void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) fail("mmap of the ballast failed");
  ::madvise(p, size, MADV_NOHUGEPAGE);
  char* bytes = static_cast<char*>(p);
  for (std::size_t i = 0; i < size; i += 4096) bytes[i] = static_cast<char>(i >> 12);
  return bytes;
}

int spawn(int argc, char** argv) {
  if (argc != 1 && argc != 3) usage();
  const long long n = to_number(argv[0]);
  long long mib = 0;
  if (argc == 3) {
    if (std::string_view(argv[1]) != "--ballast") usage();
    mib = to_number(argv[2]);
  }
  volatile char* keep = ballast(mib);
  const auto t0 = clock_type::now();
  for (long long i = 0; i < n; ++i) (void)shpp::cmd("true").run();
  const auto t1 = clock_type::now();
  if (keep) (void)keep[0];
  report(t1 - t0);
  return 0;
}

int pipeline(int argc, char** argv) {
  if (argc != 1) usage();
  using shpp::cmd;
  const std::string file = argv[0];
  const auto t0 = clock_type::now();
  // `a | b | c > f` as README writes it; the inner parentheses change nothing
  // (C++ binds `>` first) but keep g++'s -Wparentheses quiet under -Werror.
  (cmd("cat", file) | cmd("cat") | (cmd("cat") > "/dev/null")).run();
  const auto t1 = clock_type::now();
  report(t1 - t0);
  return 0;
}

int capture(int argc, char** argv) {
  if (argc != 1) usage();
  const std::string file = argv[0];
  const long long expected = file_size(file);
  const auto t0 = clock_type::now();
  const std::string text = shpp::cmd("cat", file).read();
  const auto t1 = clock_type::now();
  // read() strips the trailing newline, as $(...) does.
  const auto got = static_cast<long long>(text.size());
  if (got != expected && got + 1 != expected)
    fail("captured " + std::to_string(got) + " bytes of " + std::to_string(expected));
  report(t1 - t0);
  return 0;
}

int lines(int argc, char** argv) {
  if (argc < 1) usage();
  const std::vector<std::string> args(argv + 1, argv + argc);
  const auto t0 = clock_type::now();
  long long n = 0;
  for (std::string_view line : shpp::cmd(argv[0], args).lines()) {
    (void)line;
    ++n;
  }
  const auto t1 = clock_type::now();
  std::printf("BENCH lines=%lld\n", n);
  report(t1 - t0);
  return 0;
}

// Building (not running) the McIlroy pipeline: as a literal, or with the
// fluent API. The commands are kept, so that nothing is optimized away.
int build(int argc, char** argv) {
  if (argc != 2) usage();
  const std::string_view kind = argv[0];
  const long long n = to_number(argv[1]);
  const std::string book = "book.txt";
  std::vector<shpp::command> kept;
  kept.reserve(static_cast<std::size_t>(n));
  const auto t0 = clock_type::now();
  if (kind == "literal") {
    for (long long i = 0; i < n; ++i)
      kept.push_back(shpp::sh("tr -cs A-Za-z '\\n' < {} | tr A-Z a-z | sort | uniq -c | sort -rn | sed 10q", book));
  } else {
    using shpp::cmd;
    for (long long i = 0; i < n; ++i)
      kept.push_back((cmd("tr", "-cs", "A-Za-z", "\\n") < book) | cmd("tr", "A-Z", "a-z") | cmd("sort") |
                     cmd("uniq", "-c") | cmd("sort", "-rn") | cmd("sed", "10q"));
  }
  const auto t1 = clock_type::now();
  if (kept.front().to_string() != "tr -cs A-Za-z '\\n' < book.txt | tr A-Z a-z | sort | uniq -c | sort -rn | sed 10q")
    fail("built " + kept.front().to_string());
  report(t1 - t0);
  return 0;
}

// N x `true`, `jobs` at a time, output captured per command (GNU parallel's --group).
int parallel_true(int argc, char** argv) {
  if (argc != 3) usage();
  const auto n = static_cast<std::size_t>(to_number(argv[0]));
  const std::vector<shpp::command> commands(n, shpp::cmd(argv[2]));
  const auto t0 = clock_type::now();
  const auto results = shpp::parallel(commands, {.jobs = static_cast<std::size_t>(to_number(argv[1]))});
  const auto t1 = clock_type::now();
  if (results.size() != n) fail("parallel returned " + std::to_string(results.size()) + " results");
  report(t1 - t0);
  return 0;
}

// N x `sleep S`, 8 at a time.
int parallel_sleep(int argc, char** argv) {
  if (argc != 2) usage();
  const std::vector<shpp::command> commands(static_cast<std::size_t>(to_number(argv[0])), shpp::cmd("sleep", argv[1]));
  const auto t0 = clock_type::now();
  (void)shpp::parallel(commands, {.jobs = 8});
  const auto t1 = clock_type::now();
  report(t1 - t0);
  return 0;
}

// `cat f | filter(contains "x") | wc -l` or `cat f | map(identity) | wc -l`.
int function_stage(int argc, char** argv, bool map) {
  if (argc != 1) usage();
  using shpp::cmd;
  const std::string file = argv[0];
  const auto t0 = clock_type::now();
  const auto middle = map ? shpp::command(shpp::map([](std::string_view l) { return l; }))
                          : shpp::command(shpp::filter([](std::string_view l) { return l.find('x') != l.npos; }));
  const std::string n = (cmd("cat", file) | middle | cmd("wc", "-l")).read();
  const auto t1 = clock_type::now();
  std::printf("BENCH lines=%s\n", n.c_str());
  report(t1 - t0);
  return 0;
}

// A host of the bench's own sshd, through the ssh config bench/run wrote.
shpp::host bench_host(const char* config, const char* name) { return shpp::ssh(name, {"-F", config}); }

// Connects once, untimed: the contenders measure commands with a control master
// up, as the 2nd..Nth command of a script runs.
shpp::host connected(const char* config, const char* name) {
  shpp::host h = bench_host(config, name);
  (void)shpp::cmd("true").on(h).run();
  return h;
}

// N x `true` on a host, one after another.
int remote_true(int argc, char** argv) {
  if (argc != 3) usage();
  const long long n = to_number(argv[0]);
  const shpp::host h = connected(argv[1], argv[2]);
  const auto t0 = clock_type::now();
  for (long long i = 0; i < n; ++i) (void)shpp::cmd("true").on(h).run();
  const auto t1 = clock_type::now();
  report(t1 - t0);
  return 0;
}

// A remote `cat FILE` into a local `wc -c`: every byte crosses the connection.
int remote_cat(int argc, char** argv) {
  if (argc != 3) usage();
  using shpp::cmd;
  const shpp::host h = connected(argv[0], argv[1]);
  const auto t0 = clock_type::now();
  const std::string n = (cmd("cat", argv[2]).on(h) | cmd("wc", "-c")).read();
  const auto t1 = clock_type::now();
  std::printf("BENCH bytes=%s\n", n.c_str());
  report(t1 - t0);
  return 0;
}

// `cat FILE | grep x | wc -l` on a host, in one session: only the count comes back.
int remote_grep(int argc, char** argv) {
  if (argc != 3) usage();
  const shpp::host h = connected(argv[0], argv[1]);
  const auto t0 = clock_type::now();
  const std::string n = shpp::sh("cat {} | grep x | wc -l", argv[2]).on(h).read();
  const auto t1 = clock_type::now();
  std::printf("BENCH lines=%s\n", n.c_str());
  report(t1 - t0);
  return 0;
}

// N x `sleep S` spread over two hosts, at most 4 at a time on each.
int remote_sleep(int argc, char** argv) {
  if (argc != 5) usage();
  const std::vector<shpp::command> commands(static_cast<std::size_t>(to_number(argv[0])), shpp::cmd("sleep", argv[1]));
  const std::vector<shpp::host> hosts{connected(argv[2], argv[3]), connected(argv[2], argv[4])};
  const auto t0 = clock_type::now();
  const auto results = shpp::parallel(commands, {.jobs = 4, .hosts = hosts});
  const auto t1 = clock_type::now();
  if (results.size() != commands.size()) fail("parallel returned " + std::to_string(results.size()) + " results");
  report(t1 - t0);
  return 0;
}

int idle(int argc, char**) {
  if (argc != 0) usage();
  std::printf("BENCH hwm_kib=%lld\n", hwm_kib());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) usage();
  const std::string_view mode = argv[1];
  try {
    if (mode == "spawn") return spawn(argc - 2, argv + 2);
    if (mode == "pipeline") return pipeline(argc - 2, argv + 2);
    if (mode == "capture") return capture(argc - 2, argv + 2);
    if (mode == "lines") return lines(argc - 2, argv + 2);
    if (mode == "idle") return idle(argc - 2, argv + 2);
    if (mode == "build") return build(argc - 2, argv + 2);
    if (mode == "parallel") return parallel_true(argc - 2, argv + 2);
    if (mode == "parallel_sleep") return parallel_sleep(argc - 2, argv + 2);
    if (mode == "filter") return function_stage(argc - 2, argv + 2, false);
    if (mode == "map") return function_stage(argc - 2, argv + 2, true);
    if (mode == "remote_true") return remote_true(argc - 2, argv + 2);
    if (mode == "remote_cat") return remote_cat(argc - 2, argv + 2);
    if (mode == "remote_grep") return remote_grep(argc - 2, argv + 2);
    if (mode == "remote_sleep") return remote_sleep(argc - 2, argv + 2);
  } catch (const std::exception& e) {
    fail(e.what());
  }
  usage();
}
