#include "cache.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace shpp::runner {
namespace fs = std::filesystem;

namespace {

std::string errno_text() { return std::strerror(errno); }

std::string read_small_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return out;
}

bool parse_stamp(std::istringstream& in, file_stamp& s) {
  return static_cast<bool>(in >> s.size >> s.mtime_ns >> s.inode);
}

std::string rest_of_line(std::istringstream& in) {
  std::string rest;
  std::getline(in, rest);
  if (!rest.empty() && rest.front() == ' ') rest.erase(0, 1);
  return rest;
}

std::string format_stamp(const file_stamp& s) {
  return std::to_string(s.size) + " " + std::to_string(s.mtime_ns) + " " + std::to_string(s.inode);
}

}  // namespace

std::optional<file_stamp> stamp_of(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return file_stamp{static_cast<long long>(st.st_size),
                    static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec,
                    static_cast<unsigned long long>(st.st_ino)};
}

std::optional<entry_meta> read_meta(const std::string& path) {
  const std::string text = read_small_file(path);
  if (text.rfind("shpp-meta 1\n", 0) != 0) return std::nullopt;
  entry_meta m;
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);
  bool complete = false;
  while (std::getline(lines, line)) {
    std::istringstream in(line);
    std::string tag;
    in >> tag;
    if (tag == "script") {
      m.script = rest_of_line(in);
    } else if (tag == "binary") {
      if (!parse_stamp(in, m.binary)) return std::nullopt;
    } else if (tag == "compiler") {
      if (!parse_stamp(in, m.compiler_stamp)) return std::nullopt;
      m.compiler = rest_of_line(in);
    } else if (tag == "library") {
      if (!parse_stamp(in, m.library_stamp)) return std::nullopt;
      m.library = rest_of_line(in);
    } else if (tag == "dep") {
      file_stamp s;
      if (!parse_stamp(in, s)) return std::nullopt;
      m.deps.emplace_back(rest_of_line(in), s);
    } else if (tag == "end") {
      complete = true;
    }
  }
  if (!complete) return std::nullopt;  // a torn write never counts
  return m;
}

void write_meta(const std::string& path, const entry_meta& m) {
  std::string text = "shpp-meta 1\n";
  text += "script " + m.script + "\n";
  text += "binary " + format_stamp(m.binary) + "\n";
  text += "compiler " + format_stamp(m.compiler_stamp) + " " + m.compiler + "\n";
  text += "library " + format_stamp(m.library_stamp) + " " + m.library + "\n";
  for (const auto& [dep, stamp] : m.deps) text += "dep " + format_stamp(stamp) + " " + dep + "\n";
  text += "end\n";
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw runner_error("cannot write " + tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) throw runner_error("cannot write " + path + ": " + errno_text());
}

std::optional<std::string> stale_reason(const entry_meta& m, const std::string& entry) {
  if (stamp_of(entry + "/bin") != m.binary) return "the cached binary is missing or was modified";
  if (stamp_of(m.compiler) != m.compiler_stamp) return "the compiler changed: " + m.compiler;
  if (stamp_of(m.library) != m.library_stamp) return "the shpp library changed: " + m.library;
  for (const auto& [dep, stamp] : m.deps)
    if (stamp_of(dep) != stamp) return "an included file changed: " + dep;
  return std::nullopt;
}

void make_private_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
    throw runner_error("cannot create the cache directory " + path + ": " + errno_text() +
                       " (set XDG_CACHE_HOME to a writable directory)");
}

std::string cache_root() {
  std::string base;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    base = std::string(home) + "/.cache";
  } else {
    throw runner_error("neither XDG_CACHE_HOME nor HOME is set: nowhere to keep compiled scripts");
  }
  const std::string root = base + "/shpp";
  struct stat st;
  if (::stat(root.c_str(), &st) != 0) {  // first use: create it (the hot path skips this)
    std::error_code ec;
    fs::create_directories(base, ec);
    if (ec)
      throw runner_error("cannot create the cache directory " + base + ": " + ec.message() +
                         " (set XDG_CACHE_HOME to a writable directory)");
    make_private_dir(root);
    if (::stat(root.c_str(), &st) != 0)
      throw runner_error("cannot use the cache directory " + root + ": " + errno_text());
  }
  if (!S_ISDIR(st.st_mode)) throw runner_error("the cache directory " + root + " is not a directory");
  // Binaries from a folder someone else controls are someone else's code.
  if (st.st_uid != ::getuid())
    throw runner_error("the cache directory " + root + " belongs to uid " + std::to_string(st.st_uid) +
                       ", not to you (uid " + std::to_string(::getuid()) +
                       "): refusing to run binaries from it; set XDG_CACHE_HOME");
  return root;
}

file_lock::file_lock(const std::string& path) : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
  if (fd_ < 0) throw runner_error("cannot create the lock " + path + ": " + errno_text());
  while (::flock(fd_, LOCK_EX) != 0)
    if (errno != EINTR) throw runner_error("cannot lock " + path + ": " + errno_text());
}

file_lock::~file_lock() { ::close(fd_); }

bool file_lock::still_linked() const {
  struct stat st;
  return ::fstat(fd_, &st) == 0 && st.st_nlink > 0;
}

namespace {

std::string age_text(fs::file_time_type t) {
  const auto age = fs::file_time_type::clock::now() - t;
  const auto hours = std::chrono::duration_cast<std::chrono::hours>(age).count();
  if (hours < 1) return "less than an hour ago";
  if (hours < 48) return std::to_string(hours) + " hours ago";
  return std::to_string(hours / 24) + " days ago";
}

std::uintmax_t tree_size(const fs::path& dir) {
  std::uintmax_t total = 0;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  return total;
}

}  // namespace

int cache_command(const std::vector<std::string>& args) {
  const std::string what = args.empty() ? "list" : args.front();
  const fs::path root = cache_root();
  const fs::path entries = root / "entries";
  std::error_code ec;
  if (what == "list") {
    std::uintmax_t total = 0;
    for (const auto& e : fs::directory_iterator(entries, ec)) {
      auto meta = read_meta((e.path() / "meta").string());
      const auto size = tree_size(e.path());
      total += size;
      const auto used = fs::last_write_time(e.path() / "meta", ec);
      std::printf("%s  %6.1f MiB  used %s  %s\n", e.path().filename().string().substr(0, 12).c_str(),
                  static_cast<double>(size) / (1 << 20), ec ? "never" : age_text(used).c_str(),
                  meta ? meta->script.c_str() : "(incomplete)");
    }
    for (const auto& e : fs::directory_iterator(root / "prelude", ec)) total += tree_size(e.path());
    std::printf("total %.1f MiB in %s\n", static_cast<double>(total) / (1 << 20), root.c_str());
    return 0;
  }
  if (what == "clean") {
    fs::remove_all(entries, ec);
    fs::remove_all(root / "prelude", ec);
    if (ec) throw runner_error("cannot clean " + root.string() + ": " + ec.message());
    std::printf("removed every cached script and prelude from %s\n", root.c_str());
    return 0;
  }
  if (what == "gc") {
    using namespace std::chrono_literals;
    const auto cutoff = fs::file_time_type::clock::now() - 24h * 30;
    int removed = 0;
    for (const auto& e : fs::directory_iterator(entries, ec)) {
      auto meta = read_meta((e.path() / "meta").string());
      std::error_code tec;
      // An entry without meta may be a build in progress: only its age condemns it.
      const auto used = fs::last_write_time(meta ? e.path() / "meta" : e.path(), tec);
      const bool script_gone = meta && meta->script != "-e" && !fs::exists(meta->script);
      const bool unused = tec || used < cutoff;
      if (script_gone || unused) {
        fs::remove_all(e.path(), tec);
        std::printf("removed %s (%s)\n", meta ? meta->script.c_str() : e.path().c_str(),
                    script_gone ? "script deleted" : !meta ? "incomplete" : "unused for 30 days");
        ++removed;
      }
    }
    for (const auto& e : fs::directory_iterator(root / "prelude", ec)) {
      std::error_code tec;
      const auto used = fs::last_write_time(e.path() / "used", tec);
      if (tec || used < cutoff) {
        fs::remove_all(e.path(), tec);
        ++removed;
      }
    }
    std::printf("%d cache entries removed\n", removed);
    return 0;
  }
  throw runner_error("unknown cache command '" + what + "' (use list, clean or gc)");
}

}  // namespace shpp::runner
