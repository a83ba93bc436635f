// bench/run, scenarios runner_start and runner_build: a hello script, run by
// `shpp hello.cpp` (no includes: fmt comes with the runner's prelude).
int main() { fmt::print("hello\n"); }
