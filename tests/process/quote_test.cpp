#include <catch2/catch.hpp>

#include "../helper.hpp"

using namespace shpp;

TEST_CASE("quoted words survive a round trip through bash", "[quote]") {
  for (std::string word : {"", "a b", "it's", "$(echo pwned)", "`x`", "a\nb", "\\", "!x", "*", "-n"}) {
    CHECK(cmd("bash", "-c", "printf '%s' " + quote(word)).read() == word);
  }
}
