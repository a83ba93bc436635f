// Uses the installed shpp package: one command, a two-stage pipeline and the
// fmt formatter. Exits 0 only if every result is exactly as expected.
#include <shpp/shpp.hpp>

#include <fmt/core.h>

#include <string>

namespace {

bool expect(const char* what, const std::string& got, const std::string& want) {
  const bool good = got == want;
  fmt::print("{}: \"{}\" {}\n", what, got, good ? "(ok)" : fmt::format("(FAIL: expected \"{}\")", want));
  return good;
}

}  // namespace

int main() {
  try {
    bool good = true;
    good &= expect("cmd", shpp::cmd("echo", "consumer", 42).read(), "consumer 42");

    const shpp::pipeline p = shpp::cmd("printf", "b\\na\\n") | shpp::cmd("sort");
    good &= expect("pipeline", p.read(), "a\nb");
    good &= expect("format", fmt::format("{}", p), "printf 'b\\na\\n' | sort");

    fmt::print("{}\n", good ? "consumer: PASS" : "consumer: FAIL");
    return good ? 0 : 1;
  } catch (const std::exception& e) {
    fmt::print("consumer: exception: {}\n", e.what());
    return 1;
  }
}
