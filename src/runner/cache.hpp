// The runner's cache: one folder per (script, compiler, flags, shpp version),
// holding the binary and a small meta file that the hot path checks with a
// few fstat calls.
//
// Other local users are the threat: the cache root is opened once, checked
// through its fd (ours, a real directory, writable by nobody else), and every
// file below it is reached relative to an open directory (openat and its
// family), never by a path resolved again later, which someone could redirect
// with a symlink swapped in between. The compiler gets paths relative to its
// working directory, which is the open cache root (see scoped_cwd).
#pragma once

#include <fcntl.h>     // O_RDONLY
#include <sys/stat.h>  // struct stat

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "posix/fd.hpp"
#include "runner/runner_error.hpp"

namespace shpp::runner {
using detail::unique_fd;

/// What a file looked like: any edit changes it. The ctime is there because
/// no one can set it: a binary rewritten in place with its size, mtime and
/// inode restored still shows a new ctime.
struct file_stamp {
  long long size = -1;
  long long mtime_ns = 0;
  long long ctime_ns = 0;
  unsigned long long inode = 0;
  bool operator==(const file_stamp&) const = default;
};
file_stamp stamp_of(const struct stat& st);
/// A file outside the cache (compiler, library, headers), through symlinks.
std::optional<file_stamp> stamp_of(const std::string& path);

/// An open folder of the cache. Only folders that are ours and writable by no
/// one else are ever opened; its path is for messages and --ide only.
class cache_dir {
 public:
  /// ${XDG_CACHE_HOME:-~/.cache}/shpp, created with mode 0700 on first use.
  static cache_dir open_root();
  /// The folder `name` inside this one, created (0700) if missing.
  cache_dir sub(const std::string& name) const;
  /// The same, or nothing if it does not exist.
  std::optional<cache_dir> find(const std::string& name) const;

  int fd() const { return fd_.get(); }
  const std::string& path() const { return path_; }
  /// `name` inside this folder, relative to the cache root: what the compiler gets.
  /// (This folder itself for an empty name.)
  std::string relative(const std::string& name) const {
    return name.empty() ? rel_ : rel_.empty() ? name : rel_ + "/" + name;
  }

  /// Opens the regular file `name` without following a symlink; nothing if it is
  /// missing, not a regular file, not ours or writable by group or others.
  std::optional<unique_fd> open_file(const std::string& name, int flags = O_RDONLY) const;
  /// The contents of the regular file `name`, checked as open_file() does.
  std::optional<std::string> read_file(const std::string& name) const;
  /// Writes `text` to `name` through a temporary file renamed into place.
  void write_file(const std::string& name, const std::string& text) const;
  std::optional<struct stat> stat_entry(const std::string& name) const;
  /// Removes `name` and everything below it (symlinks are removed, never followed).
  void remove_tree(const std::string& name) const;
  /// The names in this folder (not . and ..).
  std::vector<std::string> list() const;

 private:
  cache_dir(unique_fd fd, std::string path, std::string rel) : fd_(std::move(fd)), path_(std::move(path)), rel_(std::move(rel)) {}
  unique_fd fd_;
  std::string path_;
  std::string rel_;
};

/// Runs the rest of a scope with the working directory set to an open folder,
/// so relative paths given to child processes resolve through that fd. Goes
/// back to the previous working directory at the end.
class scoped_cwd {
 public:
  explicit scoped_cwd(const cache_dir& dir);
  ~scoped_cwd();
  scoped_cwd(const scoped_cwd&) = delete;
  scoped_cwd& operator=(const scoped_cwd&) = delete;

 private:
  unique_fd previous_;
};

struct entry_meta {
  std::string script;  // absolute path, or "-e"
  file_stamp binary;
  std::string compiler;
  file_stamp compiler_stamp;
  std::string library;  // libshpp.a: a rebuilt library rebuilds its scripts
  file_stamp library_stamp;
  std::vector<std::pair<std::string, file_stamp>> deps;  // local headers the script includes
};

std::optional<entry_meta> read_meta(const cache_dir& entry);
/// Writes to a temporary file and renames it into place.
void write_meta(const cache_dir& entry, const entry_meta& meta);

/// The entry's binary, opened for fexecve, if it is still the one `meta` describes.
std::optional<unique_fd> open_binary(const cache_dir& entry, const entry_meta& meta);
/// Why the binary `meta` describes would differ if built now (compiler,
/// library or a header changed), or nothing.
std::optional<std::string> stale_reason(const entry_meta& meta);

/// An exclusive flock on the file `name` in `dir` (created if missing),
/// released on destruction.
class file_lock {
 public:
  file_lock(const cache_dir& dir, const std::string& name);
  /// Nothing if someone else holds it.
  static std::optional<file_lock> try_lock(const cache_dir& dir, const std::string& name);
  file_lock(file_lock&&) = default;
  /// False once the lock file was removed (a failed build or `cache gc`
  /// removes its entry): whoever waited on it must lock the new one.
  bool still_linked() const;

 private:
  explicit file_lock(unique_fd fd) : fd_(std::move(fd)) {}
  unique_fd fd_;
};

/// `shpp cache list | clean | gc` (cache_command.cpp).
int cache_command(const std::vector<std::string>& args);

}  // namespace shpp::runner
