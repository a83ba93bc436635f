// bench/run, scenario runner_build: the plain C++ hello whose `g++ -O0` build
// (compile and link) a script's cold build is compared with.
#include <iostream>

int main() { std::cout << "hello\n"; }
