// The OS calls on processes we started: adopting a child as a pidfd,
// signalling it or its process group, and reaping one we cannot watch.
#pragma once

#include <sys/types.h>  // pid_t

namespace shpp::detail {

/// pidfd_open(2): an fd that refers to `pid`, or -1 with errno set.
int open_pidfd(pid_t pid) noexcept;
/// waitpid(pid, WNOHANG): 1 and its wait status once our child `pid` was
/// reaped, 0 while it runs, -1 with errno on error.
int reap_if_exited(pid_t pid, int& status) noexcept;
/// SIGKILLs our child `pid` and reaps it, so that it stays no zombie.
void kill_and_reap(pid_t pid) noexcept;
/// kill(2); a failure is ignored (the process is gone, or not ours to signal).
void signal_process(pid_t pid, int sig) noexcept;
/// killpg(2); a failure is ignored (the group is empty).
void signal_group(pid_t pgid, int sig) noexcept;
/// A signal sent to stop something (TERM, KILL, INT, HUP, QUIT): what a stage
/// that is no process (a group between members, a wait for a FIFO) ends on.
bool ends_stage(int sig) noexcept;
/// True if some process of group `pgid` is alive (not a zombie). killpg(0)
/// alone cannot tell: an orphaned grandchild that died stays in the group as
/// a zombie until init reaps it, which some inits (containers, VMs) do late.
bool group_has_live_members(pid_t pgid) noexcept;
/// 0 if `path` is a directory we can use as a cwd, else an errno (ENOTDIR for a file).
int directory_error(const char* path) noexcept;
/// Names the calling thread (as ps and /proc/self/task/*/comm show it; at most 15 characters).
void name_this_thread(const char* name) noexcept;
/// Calls `handler` in the child after every fork() (pthread_atfork); false if it cannot be registered.
bool call_in_forked_child(void (*handler)()) noexcept;
/// True if SIGCHLD is ignored in this process: the kernel then reaps children
/// itself, and no exit status ever reaches us.
bool sigchld_ignored() noexcept;

}  // namespace shpp::detail
