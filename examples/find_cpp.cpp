#!/usr/bin/env shpp
// `ls -l DIR | grep cpp > out.txt`, with every status checked:
//   ./find_cpp.cpp [DIR] [OUT]
int main(int argc, char** argv) {
  using namespace shpp;
  const std::string dir = argc > 1 ? argv[1] : ".";
  const std::string out = argc > 2 ? argv[2] : "out.txt";
  // grep exits 1 when nothing matches: that is an answer, not a failure.
  sh("ls -l {} | grep cpp > {}", dir, out).ok_codes({0, 1}).run();
  fmt::print("{} lines written to {}\n", sh("wc -l < {}", out).read(), out);
}
