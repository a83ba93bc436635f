// The runner's cache: one folder per (script, compiler, flags, shpp version),
// holding the binary and a small meta file that the hot path checks with a
// few stat calls.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace shpp::runner {

/// A user-facing failure: main prints "shpp: <what>" and exits 1.
struct runner_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// What a file looked like: any edit changes it.
struct file_stamp {
  long long size = -1;
  long long mtime_ns = 0;
  unsigned long long inode = 0;
  bool operator==(const file_stamp&) const = default;
};
std::optional<file_stamp> stamp_of(const std::string& path);

struct entry_meta {
  std::string script;  // absolute path, or "-e"
  file_stamp binary;
  std::string compiler;
  file_stamp compiler_stamp;
  std::string library;  // libshpp.a: a rebuilt library rebuilds its scripts
  file_stamp library_stamp;
  std::vector<std::pair<std::string, file_stamp>> deps;  // local headers the script includes
};

std::optional<entry_meta> read_meta(const std::string& path);
/// Writes to a temporary file and renames it into place.
void write_meta(const std::string& path, const entry_meta& meta);

/// Why `meta` no longer describes a runnable binary in `entry`, or nothing if it does.
std::optional<std::string> stale_reason(const entry_meta& meta, const std::string& entry);

/// ${XDG_CACHE_HOME:-~/.cache}/shpp, created with mode 0700; refuses a folder
/// owned by someone else.
std::string cache_root();
/// Creates `path` (mode 0700) if missing.
void make_private_dir(const std::string& path);

/// An exclusive flock on `path` (created if missing), released on destruction.
class file_lock {
 public:
  explicit file_lock(const std::string& path);
  ~file_lock();
  /// False once the lock file was removed (a failed build removes its entry):
  /// whoever waited on it must lock the new one.
  bool still_linked() const;
  file_lock(const file_lock&) = delete;
  file_lock& operator=(const file_lock&) = delete;

 private:
  int fd_;
};

/// `shpp cache list | clean | gc`.
int cache_command(const std::vector<std::string>& args);

}  // namespace shpp::runner
