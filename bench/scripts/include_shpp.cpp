// bench/run, scenario include: what including shpp costs a translation unit.
#include <shpp/shpp.hpp>

int main() {}
