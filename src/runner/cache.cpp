#include "cache.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

namespace shpp::runner {
namespace fs = std::filesystem;

namespace {

std::string errno_text(int e = errno) { return std::strerror(e); }

std::string mode_text(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// What makes a folder of the cache trustworthy: a real directory, ours, and
// writable by no one else. Anything else could hold a binary someone planted.
void check_dir(const struct stat& st, const std::string& path) {
  if (!S_ISDIR(st.st_mode)) throw runner_error("the cache directory " + path + " is not a directory");
  if (st.st_uid != ::geteuid())
    throw runner_error("the cache directory " + path + " belongs to uid " + std::to_string(st.st_uid) +
                       ", not to you (uid " + std::to_string(::geteuid()) +
                       "): refusing to run binaries from it; set XDG_CACHE_HOME");
  if (st.st_mode & (S_IWGRP | S_IWOTH))
    throw runner_error("the cache directory " + path + " is writable by group or others (mode " +
                       mode_text(st.st_mode) +
                       "): anyone could plant a binary in it, so shpp refuses to run binaries from it; "
                       "remove it (shpp recreates it with mode 0700) or set XDG_CACHE_HOME");
}

// The same for a file: here a failed check means "not usable", not an error,
// so that the caller rebuilds it.
bool trusted_file(const struct stat& st) {
  return S_ISREG(st.st_mode) && st.st_uid == ::geteuid() && !(st.st_mode & (S_IWGRP | S_IWOTH));
}

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) != 0) {
    if (n < 0) {
      if (errno == EINTR) continue;
      return {};
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

bool parse_stamp(std::istringstream& in, file_stamp& s) {
  return static_cast<bool>(in >> s.size >> s.mtime_ns >> s.ctime_ns >> s.inode);
}

// Paths in the meta file are one line each: a newline in one is written as
// \n and a backslash as \\.
std::string escape_line(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string rest_of_line(std::istringstream& in) {
  std::string rest;
  std::getline(in, rest);
  if (!rest.empty() && rest.front() == ' ') rest.erase(0, 1);
  std::string out;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '\\' && i + 1 < rest.size()) {
      out += rest[++i] == 'n' ? '\n' : rest[i];
      continue;
    }
    out += rest[i];
  }
  return out;
}

std::string format_stamp(const file_stamp& s) {
  return std::to_string(s.size) + " " + std::to_string(s.mtime_ns) + " " + std::to_string(s.ctime_ns) + " " +
         std::to_string(s.inode);
}

// The folder that holds the cache root. The XDG spec makes a relative
// XDG_CACHE_HOME invalid, to be ignored: it would depend on the current directory.
std::string cache_base() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && xdg[0] == '/') return xdg;
  const char* home = std::getenv("HOME");
  if (home && home[0] == '/') return std::string(home) + "/.cache";
  throw runner_error(
      "neither XDG_CACHE_HOME nor HOME is set to an absolute path: nowhere to keep compiled scripts");
}

int open_dir_nofollow(int at, const std::string& name) {
  return ::openat(at, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

}  // namespace

file_stamp stamp_of(const struct stat& st) {
  return file_stamp{static_cast<long long>(st.st_size),
                    static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec,
                    static_cast<long long>(st.st_ctim.tv_sec) * 1'000'000'000LL + st.st_ctim.tv_nsec,
                    static_cast<unsigned long long>(st.st_ino)};
}

std::optional<file_stamp> stamp_of(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return stamp_of(st);
}

// ---- cache_dir ----------------------------------------------------------------

cache_dir cache_dir::open_root() {
  const std::string base = cache_base();
  const std::string root = base + "/shpp";
  // O_NOFOLLOW: the root itself may not be a symlink, which someone who can
  // write its parent could swap between two opens. From here on, everything
  // is reached through this one fd.
  const auto is_symlink = [&] {
    struct stat st;
    return ::lstat(root.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
  };
  int fd = open_dir_nofollow(AT_FDCWD, root);
  if (fd < 0 && !is_symlink()) {  // first use: create it (the hot path skips this)
    std::error_code ec;
    fs::create_directories(base, ec);
    if (ec)
      throw runner_error("cannot create the cache directory " + base + ": " + ec.message() +
                         " (set XDG_CACHE_HOME to a writable directory)");
    if (::mkdir(root.c_str(), 0700) != 0 && errno != EEXIST)
      throw runner_error("cannot create the cache directory " + root + ": " + errno_text() +
                         " (set XDG_CACHE_HOME to a writable directory)");
    fd = open_dir_nofollow(AT_FDCWD, root);
  }
  if (fd < 0) {
    const int e = errno;
    if (is_symlink())
      throw runner_error("the cache directory " + root +
                         " is a symbolic link: refusing to follow it (it could be swapped for someone else's); "
                         "set XDG_CACHE_HOME to the real folder's parent");
    throw runner_error("cannot use the cache directory " + root + ": " + errno_text(e));
  }
  unique_fd owned(fd);
  struct stat st;
  if (::fstat(fd, &st) != 0) throw runner_error("cannot use the cache directory " + root + ": " + errno_text());
  check_dir(st, root);
  return cache_dir(std::move(owned), root, "");
}

cache_dir cache_dir::sub(const std::string& name) const {
  if (::mkdirat(fd(), name.c_str(), 0700) != 0 && errno != EEXIST)
    throw runner_error("cannot create the cache directory " + path_ + "/" + name + ": " + errno_text());
  if (auto d = find(name)) return std::move(*d);
  throw runner_error("the cache directory " + path_ + "/" + name + " disappeared while in use");
}

std::optional<cache_dir> cache_dir::find(const std::string& name) const {
  const std::string full = path_ + "/" + name;
  const int fd = open_dir_nofollow(this->fd(), name);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw runner_error("cannot use the cache directory " + full + ": " +
                       (errno == ELOOP || errno == ENOTDIR ? std::string("not a directory (remove it)") : errno_text()));
  }
  unique_fd owned(fd);
  struct stat st;
  if (::fstat(fd, &st) != 0) throw runner_error("cannot use the cache directory " + full + ": " + errno_text());
  check_dir(st, full);
  return cache_dir(std::move(owned), full, relative(name));
}

std::optional<unique_fd> cache_dir::open_file(const std::string& name, int flags) const {
  // O_NONBLOCK: a FIFO where a file should be must not hang us.
  const int fd = ::openat(this->fd(), name.c_str(), flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  unique_fd owned(fd);
  struct stat st;
  if (::fstat(fd, &st) != 0 || !trusted_file(st)) return std::nullopt;
  return owned;
}

std::optional<std::string> cache_dir::read_file(const std::string& name) const {
  auto fd = open_file(name);
  if (!fd) return std::nullopt;
  return read_all(fd->get());
}

void cache_dir::write_file(const std::string& name, const std::string& text) const {
  const std::string tmp = name + ".tmp." + std::to_string(::getpid());
  const auto fail = [&](const std::string& what) {
    const int e = errno;
    ::unlinkat(fd(), tmp.c_str(), 0);
    throw runner_error("cannot " + what + " " + path_ + "/" + name + ": " + errno_text(e));
  };
  {
    unique_fd out(::openat(fd(), tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!out) fail("write");
    for (std::size_t done = 0; done < text.size();) {
      const ssize_t n = ::write(out.get(), text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail("write");
      done += static_cast<std::size_t>(n);
    }
  }
  if (::renameat(fd(), tmp.c_str(), fd(), name.c_str()) != 0) fail("write");
}

std::optional<struct stat> cache_dir::stat_entry(const std::string& name) const {
  struct stat st;
  if (::fstatat(fd(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return std::nullopt;
  return st;
}

void cache_dir::remove_tree(const std::string& name) const {
  scoped_cwd here(*this);
  std::error_code ec;
  fs::remove_all(name, ec);  // relative to this folder's fd; symlinks are removed, not followed
  if (ec) throw runner_error("cannot remove " + path_ + "/" + name + ": " + ec.message());
}

std::vector<std::string> cache_dir::list() const {
  std::vector<std::string> names;
  const int fd = ::openat(this->fd(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR* d = fd < 0 ? nullptr : ::fdopendir(fd);
  if (!d) {
    if (fd >= 0) ::close(fd);
    throw runner_error("cannot list " + path_ + ": " + errno_text());
  }
  while (const dirent* e = ::readdir(d)) {
    const std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  ::closedir(d);
  return names;
}

// ---- scoped_cwd -----------------------------------------------------------------

scoped_cwd::scoped_cwd(const cache_dir& dir) : previous_(::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC)) {
  if (!previous_) throw runner_error("cannot open the current directory: " + errno_text());
  if (::fchdir(dir.fd()) != 0) throw runner_error("cannot enter " + dir.path() + ": " + errno_text());
}

scoped_cwd::~scoped_cwd() {
  if (::fchdir(previous_.get()) != 0) {
    std::fprintf(stderr, "shpp: cannot return to the working directory: %s\n", std::strerror(errno));
    std::abort();  // a script must never start in the cache
  }
}

// ---- meta and binary --------------------------------------------------------------

std::optional<entry_meta> read_meta(const cache_dir& entry) {
  const std::string text = entry.read_file("meta").value_or("");
  if (text.rfind("shpp-meta 2\n", 0) != 0) return std::nullopt;
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

void write_meta(const cache_dir& entry, const entry_meta& m) {
  std::string text = "shpp-meta 2\n";
  text += "script " + escape_line(m.script) + "\n";
  text += "binary " + format_stamp(m.binary) + "\n";
  text += "compiler " + format_stamp(m.compiler_stamp) + " " + escape_line(m.compiler) + "\n";
  text += "library " + format_stamp(m.library_stamp) + " " + escape_line(m.library) + "\n";
  for (const auto& [dep, stamp] : m.deps) text += "dep " + format_stamp(stamp) + " " + escape_line(dep) + "\n";
  text += "end\n";
  entry.write_file("meta", text);
}

std::optional<unique_fd> open_binary(const cache_dir& entry, const entry_meta& meta) {
  auto fd = entry.open_file("bin");
  if (!fd) return std::nullopt;
  struct stat st;
  if (::fstat(fd->get(), &st) != 0 || !(st.st_mode & S_IXUSR) || stamp_of(st) != meta.binary) return std::nullopt;
  return fd;
}

std::optional<std::string> stale_reason(const entry_meta& m) {
  if (stamp_of(m.compiler) != m.compiler_stamp) return "the compiler changed: " + m.compiler;
  if (stamp_of(m.library) != m.library_stamp) return "the shpp library changed: " + m.library;
  for (const auto& [dep, stamp] : m.deps)
    if (stamp_of(dep) != stamp) return "an included file changed: " + dep;
  return std::nullopt;
}

// ---- file_lock ----------------------------------------------------------------------

namespace {

unique_fd open_lock_file(const cache_dir& dir, const std::string& name) {
  unique_fd fd(::openat(dir.fd(), name.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd) throw runner_error("cannot create the lock " + dir.path() + "/" + name + ": " + errno_text());
  return fd;
}

}  // namespace

file_lock::file_lock(const cache_dir& dir, const std::string& name) : fd_(open_lock_file(dir, name)) {
  while (::flock(fd_.get(), LOCK_EX) != 0)
    if (errno != EINTR) throw runner_error("cannot lock " + dir.path() + "/" + name + ": " + errno_text());
}

std::optional<file_lock> file_lock::try_lock(const cache_dir& dir, const std::string& name) {
  unique_fd fd = open_lock_file(dir, name);
  while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) return std::nullopt;
    if (errno != EINTR) throw runner_error("cannot lock " + dir.path() + "/" + name + ": " + errno_text());
  }
  return file_lock(std::move(fd));
}

bool file_lock::still_linked() const {
  struct stat st;
  return ::fstat(fd_.get(), &st) == 0 && st.st_nlink > 0;
}

}  // namespace shpp::runner
