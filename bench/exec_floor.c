/* The floor of any exec-based script runner (bench/run drives it): a static
 * binary that does nothing but execv its first argument. Starting it costs one
 * execve of a small static image (no dynamic loader, no stdio) and glibc's
 * start-up, so the time from starting it to the end of PROGRAM is the least a
 * runner linked with glibc that execs a cached binary can take.
 *
 *   exec_floor PROGRAM [ARGS...]    runs PROGRAM with argv = PROGRAM ARGS...
 *
 * PROGRAM is a path (no PATH lookup), as a runner execs its cached binary. */
#define _POSIX_C_SOURCE 200809L
#include <string.h>
#include <unistd.h>

static void say(const char* text) {
  ssize_t ignored = write(2, text, strlen(text));
  (void)ignored;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    say("usage: exec_floor PROGRAM [ARGS...]\n");
    return 2;
  }
  execv(argv[1], argv + 1);
  say("exec_floor: cannot run ");
  say(argv[1]);
  say("\n");
  return 127;
}
