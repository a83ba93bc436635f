// bench/run, scenario include: the baseline, a program that prints with
// iostream and fmt's core API.
#include <fmt/core.h>

#include <iostream>

int main() {}
