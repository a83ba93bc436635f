// Starting one process with posix_spawn: glibc uses clone(CLONE_VM|CLONE_VFORK),
// so the cost does not grow with the caller's memory, and it reports a failed
// exec as an errno instead of a child that exits 127.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace shpp::detail {

struct spawn_request {
  std::string program;                    // what to exec: a path, relative ones resolve in `cwd`
  const std::vector<std::string>* argv;   // argv[0] included
  const std::optional<std::filesystem::path>* cwd;
  char* const* envp;
  int stdin_fd = -1;  // -1: inherit the caller's
  int stdout_fd = -1;
  int stderr_fd = -1;
  bool stdout_to_stderr = false;  // 1>&2, after fd 2 is set up
  bool stderr_to_stdout = false;  // 2>&1, after fd 1 is set up
  bool new_process_group = false;
  std::vector<int> extra_fds;  // become fds 3, 4, ... in the child (process substitution's /dev/fd/N)
};

/// Returns the pid, or -errno if the program could not be started.
pid_t spawn_process(const spawn_request& request);

/// Finds `name` as Bash does: names with a '/' are taken as they are, others
/// are searched in `path_var`, whose relative entries ("" is ".") are relative
/// to `cwd` (the program's future working directory; nullptr: ours). Returns
/// the path, or an empty string and sets `error` (ENOENT: not found, EACCES:
/// found but not executable). The one PATH lookup: the runner uses it too.
std::string find_program(const std::string& name, const char* path_var, const std::filesystem::path* cwd,
                         int& error);

/// A regular file we may execute: what find_program looks for in each PATH entry.
bool is_executable_file(const char* path);

}  // namespace shpp::detail
