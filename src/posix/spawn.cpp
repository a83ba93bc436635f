#include "posix/spawn.hpp"

#include <fcntl.h>

#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "posix/fd.hpp"

namespace shpp::detail {
namespace {

// RAII for the two posix_spawn attribute objects.
struct spawn_setup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  spawn_setup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~spawn_setup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  spawn_setup(const spawn_setup&) = delete;
  spawn_setup& operator=(const spawn_setup&) = delete;
};

}  // namespace

pid_t spawn_process(const spawn_request& r) {
  spawn_setup s;
  int rc = 0;
  const auto act = [&](int result) {
    if (rc == 0) rc = result;
  };

  // 1) stdin. 2) The stream that the other one may copy: fd 2 first for 1>&2,
  // fd 1 first otherwise. 3) The copy. Our fds are all >= 3, so no dup2 here
  // overwrites an fd that a later action still reads.
  if (r.stdin_fd >= 0) act(posix_spawn_file_actions_adddup2(&s.actions, r.stdin_fd, 0));
  if (r.stdout_to_stderr) {
    if (r.stderr_fd >= 0) act(posix_spawn_file_actions_adddup2(&s.actions, r.stderr_fd, 2));
    act(posix_spawn_file_actions_adddup2(&s.actions, 2, 1));
  } else {
    if (r.stdout_fd >= 0) act(posix_spawn_file_actions_adddup2(&s.actions, r.stdout_fd, 1));
    if (r.stderr_to_stdout)
      act(posix_spawn_file_actions_adddup2(&s.actions, 1, 2));
    else if (r.stderr_fd >= 0)
      act(posix_spawn_file_actions_adddup2(&s.actions, r.stderr_fd, 2));
  }
  // 4) Fds 3, 4, ...: no source may sit in that range, or a dup2 would
  // overwrite it before it is read; those move above it first.
  const int first_free = 3 + static_cast<int>(r.extra_fds.size());
  std::vector<unique_fd> moved;
  for (std::size_t i = 0; i < r.extra_fds.size(); ++i) {
    int fd = r.extra_fds[i];
    if (fd < first_free) {
      const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, first_free);
      if (copy < 0) return -errno;
      moved.emplace_back(copy);
      fd = copy;
    }
    act(posix_spawn_file_actions_adddup2(&s.actions, fd, 3 + static_cast<int>(i)));
  }
  // Whatever the caller opened without O_CLOEXEC stays out of the child too.
  act(posix_spawn_file_actions_addclosefrom_np(&s.actions, first_free));
  if (*r.cwd) act(posix_spawn_file_actions_addchdir_np(&s.actions, (*r.cwd)->c_str()));

  // Default dispositions and an empty mask, with one rule from Bash (POSIX):
  // a signal the caller ignores stays ignored in the child, so that `nohup`
  // still protects the commands of a program started under it. Except
  // SIGPIPE: a caller that ignores it must not make `yes | head` run forever.
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  for (int sig = 1; sig < SIGRTMAX; ++sig) {
    struct sigaction current;
    if (sig != SIGPIPE && ::sigaction(sig, nullptr, &current) == 0 && current.sa_handler == SIG_IGN) sigdelset(&all, sig);
  }
  short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
  act(posix_spawnattr_setsigdefault(&s.attr, &all));
  act(posix_spawnattr_setsigmask(&s.attr, &none));
  if (r.new_process_group) {
    flags |= POSIX_SPAWN_SETPGROUP;
    act(posix_spawnattr_setpgroup(&s.attr, 0));
  }
  act(posix_spawnattr_setflags(&s.attr, flags));
  if (rc != 0) return -rc;

  std::vector<char*> argv;
  argv.reserve(r.argv->size() + 1);
  for (const auto& a : *r.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  pid_t pid = -1;
  rc = posix_spawn(&pid, r.program.c_str(), &s.actions, &s.attr, argv.data(), r.envp);
  if (rc != 0) return -rc;
  return pid;
}

namespace {

// Bash's `hash`: where a name was found in a given PATH. An entry is trusted
// only while the file is still executable, so the common case costs one
// access() instead of a stat per PATH directory.
class lookup_cache {
 public:
  std::string find(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    return it == entries_.end() ? std::string() : it->second;
  }
  void store(std::string key, std::string path) {
    std::lock_guard lock(mutex_);
    if (entries_.size() > 4096) entries_.clear();  // bounded: PATHs built on the fly must not grow it forever
    entries_.insert_or_assign(std::move(key), std::move(path));
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::string> entries_;
};

lookup_cache& cache() {
  static lookup_cache c;
  return c;
}

std::string search_path(const std::string& name, std::string_view dirs, const std::filesystem::path* cwd, int& error);

// 0 for a regular file we may execute, EACCES for one we may not, ENOENT otherwise.
int program_file_error(const char* path) {
  struct stat st;
  if (::stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return ENOENT;
  return ::access(path, X_OK) == 0 ? 0 : EACCES;
}

}  // namespace

bool is_executable_file(const char* path) { return program_file_error(path) == 0; }

std::string find_program(const std::string& name, const char* path_var, const std::filesystem::path* cwd,
                         int& error) {
  if (name.find('/') != std::string::npos) return name;
  // Bash's default when PATH is unset.
  const std::string_view dirs = path_var ? path_var : "/usr/local/bin:/usr/bin:/bin";
  std::string key(dirs);
  key += '\0';
  key += name;
  if (std::string hit = cache().find(key); !hit.empty() && ::access(hit.c_str(), X_OK) == 0) return hit;
  std::string found = search_path(name, dirs, cwd, error);
  // A hit in a relative entry ("" is ".") depends on the cwd: never remembered.
  if (!found.empty() && found.front() == '/') cache().store(std::move(key), found);
  return found;
}

namespace {

std::string search_path(const std::string& name, std::string_view dirs, const std::filesystem::path* cwd, int& error) {
  error = ENOENT;
  while (true) {
    const auto colon = dirs.find(':');
    std::string_view dir = dirs.substr(0, colon);
    std::string candidate = dir.empty() ? std::string(".") : std::string(dir);
    candidate += '/';
    candidate += name;
    // A relative entry is relative to the directory the program starts in,
    // as in Bash after `cd`: the stage's cwd, not ours. The path returned
    // stays relative, and exec resolves it there.
    const std::string checked = cwd && candidate.front() != '/' ? (*cwd / candidate).string() : candidate;
    const int found = program_file_error(checked.c_str());
    if (found == 0) return candidate;
    if (found == EACCES) error = EACCES;  // keep looking; report "permission denied" only if nothing runs
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return {};
}

}  // namespace

}  // namespace shpp::detail
