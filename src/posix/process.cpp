#include "posix/process.hpp"

#include <dirent.h>
#include <pthread.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>  // SYS_pidfd_open: glibc wraps pidfd_open only since 2.36
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace shpp::detail {

int open_pidfd(pid_t pid) noexcept { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

int reap_if_exited(pid_t pid, int& status) noexcept {
  while (true) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return 1;
    if (r == 0) return 0;
    if (errno != EINTR) return -1;
  }
}

void kill_and_reap(pid_t pid) noexcept {
  ::kill(pid, SIGKILL);
  int ignored = 0;
  while (::waitpid(pid, &ignored, 0) < 0 && errno == EINTR) {
  }
}

void signal_process(pid_t pid, int sig) noexcept { ::kill(pid, sig); }

bool ends_stage(int sig) noexcept {
  return sig == SIGTERM || sig == SIGKILL || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT;
}

void signal_group(pid_t pgid, int sig) noexcept { ::killpg(pgid, sig); }

namespace {

// From /proc/<pid>/stat: "pid (comm) state ppid pgrp ...". The comm may hold
// spaces and parentheses, so the fields are counted after the last ')'.
bool live_member(int proc_fd, const char* pid, pid_t pgid) {
  char path[64];
  std::snprintf(path, sizeof path, "%s/stat", pid);
  const int fd = ::openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[512];
  const ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n <= 0) return false;
  buf[n] = '\0';
  const char* close_paren = std::strrchr(buf, ')');
  if (!close_paren) return false;
  char state = 0;
  long ppid = 0, pgrp = 0;
  if (std::sscanf(close_paren + 1, " %c %ld %ld", &state, &ppid, &pgrp) != 3) return false;
  return pgrp == pgid && state != 'Z' && state != 'X';
}

}  // namespace

bool group_has_live_members(pid_t pgid) noexcept {
  if (::killpg(pgid, 0) != 0) return errno == EPERM;  // ESRCH: nobody; EPERM: someone we cannot see into
  const int proc_fd = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR* dir = proc_fd < 0 ? nullptr : ::fdopendir(proc_fd);
  if (!dir) {
    if (proc_fd >= 0) ::close(proc_fd);
    return true;  // no /proc: trust killpg
  }
  bool live = false;
  while (const dirent* e = ::readdir(dir)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    if (live_member(proc_fd, e->d_name, pgid)) {
      live = true;
      break;
    }
  }
  ::closedir(dir);
  return live;
}


int directory_error(const char* path) noexcept {
  struct stat st;
  if (::stat(path, &st) != 0) return errno;
  if (!S_ISDIR(st.st_mode)) return ENOTDIR;
  // Without search permission the child's chdir fails: say so, not "cannot execute".
  return ::access(path, X_OK) == 0 ? 0 : errno;
}

void name_this_thread(const char* name) noexcept { ::pthread_setname_np(::pthread_self(), name); }

bool call_in_forked_child(void (*handler)()) noexcept { return ::pthread_atfork(nullptr, nullptr, handler) == 0; }

bool sigchld_ignored() noexcept {
  struct sigaction chld;
  return ::sigaction(SIGCHLD, nullptr, &chld) == 0 && (chld.sa_handler == SIG_IGN || (chld.sa_flags & SA_NOCLDWAIT));
}

}  // namespace shpp::detail
