// Printed commands run in Bash as they ran in shpp: what input() feeds is what the printed text feeds.
#include <catch2/catch.hpp>

#include "../helper.hpp"

using namespace shpp;

TEST_CASE("a printed input() feeds bash exactly the same bytes", "[render]") {
  const std::string inputs[] = {
      "2 3", "2 3\n", "", "\n", "a\nb", "a\nb\n", "x\n\n", "it's\n", "%s \\n", std::string("a\0b\n", 4), "-n"};
  for (const std::string& data : inputs) {
    const command c = cmd("cat").input(data);
    INFO(c.to_string());
    CHECK(cmd("cat").input(data).out(capture).run().out == data);
    CHECK(cmd("bash", "-c", c.to_string()).out(capture).run().out == data);
  }
}
