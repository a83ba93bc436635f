/* The floor for starting processes (bench/run drives it): N x `true`, one
 * after another, with nothing but posix_spawnp + waitpid; or, with --fork,
 * with fork + execvp + waitpid, to show what a fork-based launcher costs a
 * caller that holds a lot of memory.
 *
 *   spawn_floor N [--ballast MIB] [--fork]
 *
 * `true` is looked up in PATH on every spawn (posix_spawnp, execvp), as
 * shpp looks a program up once per run. With --ballast the program first
 * allocates and touches MIB MiB in 4 KiB pages; only the loop is timed.
 * Prints "BENCH ns=<nanoseconds of the loop>" on stdout. */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char** environ;

static void usage(void) {
  fputs("usage: spawn_floor N [--ballast MIB] [--fork]\n", stderr);
  exit(2);
}

static long long to_number(const char* text) {
  char* end = NULL;
  long long v = strtoll(text, &end, 10);
  if (!*text || *end || v < 0) usage();
  return v;
}

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void check_exit(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) {
    perror("spawn_floor: waitpid");
    exit(1);
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "spawn_floor: true failed (status %d)\n", status);
    exit(1);
  }
}

int main(int argc, char** argv) {
  if (argc < 2) usage();
  long long n = to_number(argv[1]);
  long long mib = 0;
  int use_fork = 0;
  for (int i = 2; i < argc; ++i) {
    if (strcmp(argv[i], "--fork") == 0) {
      use_fork = 1;
    } else if (strcmp(argv[i], "--ballast") == 0 && i + 1 < argc) {
      mib = to_number(argv[++i]);
    } else {
      usage();
    }
  }

  volatile char* ballast = NULL;
  if (mib > 0) {
    size_t size = (size_t)mib << 20;
    void* p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      perror("spawn_floor: mmap");
      return 1;
    }
    madvise(p, size, MADV_NOHUGEPAGE);
    ballast = p;
    for (size_t i = 0; i < size; i += 4096) ballast[i] = (char)(i >> 12);
  }

  char* child_argv[] = {"true", NULL};
  long long t0 = now_ns();
  for (long long i = 0; i < n; ++i) {
    pid_t pid;
    if (use_fork) {
      pid = fork();
      if (pid < 0) {
        perror("spawn_floor: fork");
        return 1;
      }
      if (pid == 0) {
        execvp(child_argv[0], child_argv);
        _exit(127);
      }
    } else {
      int rc = posix_spawnp(&pid, child_argv[0], NULL, NULL, child_argv, environ);
      if (rc != 0) {
        fprintf(stderr, "spawn_floor: posix_spawnp: %s\n", strerror(rc));
        return 1;
      }
    }
    check_exit(pid);
  }
  long long t1 = now_ns();
  if (ballast) (void)ballast[0];
  printf("BENCH ns=%lld\n", t1 - t0);
  return 0;
}
