// shpp: run a C++ file like a shell script.
//
//   shpp [--verbose] [--force] [-x] script.cpp [args...]
//   shpp [--verbose] [--force] [-x] -e 'code' [args...]
//   shpp --ide script.cpp
//   shpp cache list | clean | gc
//
// The hot path (a cached, up-to-date script) reads the script, hashes it,
// checks a few stamps and execs the binary: no compiler, no preprocessor, and
// no process of ours stays around.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "api/trace.hpp"
#include "build.hpp"
#include "cache.hpp"
#include "command_line.hpp"
#include "hash.hpp"
#include "script.hpp"

namespace {
using namespace shpp::runner;

constexpr const char* usage_text =
    "usage: shpp [--verbose] [--force] [-x] SCRIPT.cpp [ARGS...]\n"
    "       shpp [--verbose] [--force] [-x] -e 'CODE' [ARGS...]\n"
    "       shpp --ide SCRIPT.cpp\n"
    "       shpp cache list | clean | gc\n"
    "       shpp --help | --version\n"
    "\n"
    "Compiles a C++ script once (against a precompiled prelude with <shpp/shpp.hpp>,\n"
    "fmt, range-v3 and the common std headers), caches the binary, and runs it.\n"
    "Make a script executable with `#!/usr/bin/env shpp` as its first line.\n"
    "\n"
    "  --verbose   print the compile command and whether the cache hit\n"
    "  --force     rebuild even if the cached binary is up to date\n"
    "  -x          print each command to stderr before it runs, as `set -x`\n"
    "              (sets SHPP_TRACE=1 for the script)\n"
    "  -e CODE     run statements in a main(argc, argv)\n"
    "  --ide       write compile_commands.json beside the script for clangd\n"
    "\n"
    "Directives in comment lines at the top of a script:\n"
    "  // shpp: -O2 -DNDEBUG      compile flags\n"
    "  // shpp: -lsqlite3         link flags\n"
    "  // shpp: pkg-config libcurl\n"
    "  // shpp: no-using           no `using namespace shpp;` nor std::chrono_literals\n"
    "An uncaught shpp::error ends a script as `set -e` ends Bash: its message on\n"
    "stderr, the failing command's status as the exit status.\n"
    "CXX picks the compiler. The cache is ${XDG_CACHE_HOME:-~/.cache}/shpp.\n";

// fexecve: the binary that was checked is the one that runs, whatever
// happens to its path meanwhile.
[[noreturn]] void run_binary(const unique_fd& bin, const std::string& path, const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::fexecve(bin.get(), argv.data(), environ);
  throw runner_error("cannot run " + path + ": " + std::strerror(errno));
}

int run(const command_line& o) {
  const script s = o.inline_code ? inline_script(o.target) : load_script(o.target);
  const cache_dir root = cache_dir::open_root();
  if (o.ide) return write_ide_files(root, s);

  // The key: everything that can change the binary and is known without
  // running anything. The compiler's identity and the headers the script
  // includes are checked through the stamps in the meta file.
  const char* cxx = std::getenv("CXX");
  hasher key;
  key.add(SHPP_VERSION).add(cxx ? cxx : "").add(s.path).add(translation_unit(s));
  const std::string name = key.hex().substr(0, 32);

  const std::vector<std::string>& argv = o.script_argv;
  std::string reason = "forced with --force";
  const cache_dir entries = root.sub("entries");
  if (!o.force) {
    reason = "not compiled yet";
    if (auto entry = entries.find(name)) {
      if (auto meta = read_meta(*entry)) {
        auto bin = open_binary(*entry, *meta);
        auto stale = bin ? stale_reason(*meta) : std::optional<std::string>("the cached binary is missing or was modified");
        if (!stale) {
          if (o.verbose) std::fprintf(stderr, "shpp: cache hit: %s\n", entry->path().c_str());
          ::utimensat(entry->fd(), "meta", nullptr, AT_SYMLINK_NOFOLLOW);  // last use, for `shpp cache gc`
          run_binary(*bin, entry->path() + "/bin", argv);
        }
        reason = *stale;
      }
    }
  }

  // Cold path: one builder at a time per entry; the others wait and reuse its work.
  while (true) {
    const cache_dir entry = entries.sub(name);
    file_lock lock(entry, "lock");
    if (!lock.still_linked()) continue;  // the entry was removed while we waited
    std::optional<unique_fd> bin;
    if (auto meta = read_meta(entry); meta && !o.force && !stale_reason(*meta)) bin = open_binary(entry, *meta);
    if (bin) {
      if (o.verbose) std::fprintf(stderr, "shpp: cache hit (built by another run): %s\n", entry.path().c_str());
    } else {
      if (o.verbose)
        std::fprintf(stderr, "shpp: cache miss (%s): compiling %s into %s\n", reason.c_str(), s.path.c_str(),
                     entry.path().c_str());
      const compile_setup setup = prepare(root, s, o.verbose);
      bin = build_entry(root, entry, s, setup, o.verbose);
    }
    run_binary(*bin, entry.path() + "/bin", argv);
  }
}

}  // namespace

int main(int argc, char** argv) {
  // The runner's own commands (the compiler, pkg-config) are not the script's: never traced.
  shpp::detail::set_trace(false);
  command_line o;
  try {
    o = parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
    switch (o.what) {
      case command_line::action::help: std::fputs(usage_text, stdout); return 0;
      case command_line::action::version: std::printf("shpp %s\n", SHPP_VERSION); return 0;
      case command_line::action::cache: return cache_command(o.cache_args);
      case command_line::action::usage: std::fputs(usage_text, stderr); return 2;
      case command_line::action::run: break;
    }
    if (o.trace && ::setenv("SHPP_TRACE", "1", 1) != 0)
      throw runner_error(std::string("cannot set SHPP_TRACE: ") + std::strerror(errno));
    return run(o);
  } catch (const compile_failed&) {
    std::fprintf(stderr, "shpp: compilation of %s failed\n", o.inline_code ? "-e code" : o.target.c_str());
    return 1;
  } catch (const runner_error& e) {
    std::fprintf(stderr, "shpp: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "shpp: %s\n", e.what());
    return 1;
  }
}
