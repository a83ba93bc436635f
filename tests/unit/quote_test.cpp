#include <catch2/catch.hpp>

#include <fmt/format.h>  // fmt::format

#include <shpp/shpp.hpp>

using namespace shpp;

TEST_CASE("quote leaves safe words bare", "[quote]") {
  CHECK(quote("ls") == "ls");
  CHECK(quote("/usr/bin/g++") == "/usr/bin/g++");
  CHECK(quote("a=b") == "a=b");
}

TEST_CASE("quote single-quotes everything else", "[quote]") {
  CHECK(quote("") == "''");
  CHECK(quote("a b") == "'a b'");
  CHECK(quote("it's") == "'it'\\''s'");
  CHECK(quote("a b; rm -rf /") == "'a b; rm -rf /'");
  CHECK(quote("$HOME") == "'$HOME'");
  CHECK(quote("*.cpp") == "'*.cpp'");
  CHECK(quote("~") == "'~'");
  CHECK(quote("=x") == "'=x'");
}

TEST_CASE("fmt prints a pipeline ready to paste into bash", "[quote]") {
  auto p = cmd("ls", "-l") | cmd("grep", "my file") > "out.txt";
  CHECK(fmt::format("{}", p) == "ls -l | grep 'my file' > out.txt");
  CHECK((cmd("sort") >> "sorted.txt" < "in.txt").to_string() == "sort < in.txt >> sorted.txt");
  CHECK(cmd("make").cwd("build").env("CXX", "clang++").to_string() == "(export CXX=clang++; cd build && make)");
}
