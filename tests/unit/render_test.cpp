// render/render_argv: commands printed as Bash would read them, without running anything.
#include <catch2/catch.hpp>

#include <shpp/shpp.hpp>

#include "model/command_access.hpp"
#include "model/render.hpp"

using namespace shpp;
using namespace std::chrono_literals;
using detail::render;
using detail::render_argv;

namespace {

std::string shown(const command& c) { return render(*detail::command_access::node(c)); }

}  // namespace

TEST_CASE("render_argv quotes only the words that need it", "[render]") {
  CHECK(render_argv({"g++", "my file.cpp", "-o", "x"}) == "g++ 'my file.cpp' -o x");
  CHECK(render_argv({"echo", "", "it's", "$HOME"}) == "echo '' 'it'\\''s' '$HOME'");
  CHECK(render_argv({}).empty());
}

TEST_CASE("render joins pipeline stages with |", "[render]") {
  CHECK(shown(cmd("a") | cmd("b", "x y") | cmd("c")) == "a | b 'x y' | c");
  CHECK(shown((cmd("a") | cmd("b")) | (cmd("c") | cmd("d"))) == "a | b | c | d");
}

TEST_CASE("render shows every redirection in Bash syntax", "[render]") {
  CHECK(shown(cmd("a") > "out file") == "a > 'out file'");
  CHECK(shown(cmd("a") >> "log") == "a >> log");
  CHECK(shown(cmd("a") < "in") == "a < in");
  CHECK(shown(cmd("a").in(null)) == "a < /dev/null");
  CHECK(shown(cmd("a").out(null)) == "a > /dev/null");
  CHECK(shown(cmd("a").err(null)) == "a 2> /dev/null");
  CHECK(shown(cmd("a").err("e.txt")) == "a 2> e.txt");
  CHECK(shown(cmd("a").err(append("e.txt"))) == "a 2>> e.txt");
  CHECK(shown(cmd("a").err(to_stdout)) == "a 2>&1");
  CHECK(shown(cmd("a").out(to_stderr)) == "a 1>&2");
}

TEST_CASE("render leaves out what Bash would not show", "[render]") {
  CHECK(shown(cmd("a").out(capture).err(capture)) == "a");
  CHECK(shown(cmd("a").timeout(1s).unchecked().ok_codes({0, 1})) == "a");
}

TEST_CASE("render groups a redirected pipeline in parentheses", "[render]") {
  CHECK(shown((cmd("a") | cmd("b")).out("f")) == "{ a | b; } > f");
  CHECK(shown(cmd("a") | (cmd("b") > "f")) == "a | b > f");
}

TEST_CASE("render shows one line of input from memory as a here-string without its newline", "[render]") {
  // `<<<` adds the '\n': the here-string holds the line without it.
  CHECK(shown(cmd("cat").input("a b\n")) == "cat <<< 'a b'");
  CHECK(shown(cmd("cat").input("\n")) == "cat <<< ''");
}

TEST_CASE("render shows other input from memory in a form that feeds it exactly", "[render]") {
  CHECK(shown(cmd("cat").input("a b")) == "cat < <(printf %s 'a b')");
  CHECK(shown(cmd("cat").input("a\nb\n")) == "cat < <(printf %s 'a\nb\n')");
  CHECK(shown(cmd("cat").input("")) == "cat < /dev/null");
  CHECK(shown(cmd("cat").input(std::string("a\0%\\", 4))) == "cat < <(printf 'a\\000%%\\\\')");
}

TEST_CASE("render cuts long input from memory", "[render]") {
  const std::string long_input(100, 'x');
  CHECK(shown(cmd("cat").input(long_input)) == "cat <<< " + std::string(64, 'x') + "...  # 100 bytes from memory");
}

TEST_CASE("render shows cwd as cd && and env as env or export", "[render]") {
  CHECK(shown(cmd("make").cwd("my dir")) == "cd 'my dir' && make");
  CHECK(shown(cmd("make").env("CXX", "clang++")) == "env CXX=clang++ make");
  CHECK(shown(cmd("make").env_remove("CXX")) == "env -u CXX make");
  CHECK(shown(cmd("make").env_clear()) == "env -i make");
  CHECK(shown((cmd("a") | cmd("b")).env("K", "v")) == "(export K=v; a | b)");
  CHECK(shown((cmd("a") | cmd("b")).env_remove("K")) == "(unset K; a | b)");
  CHECK(shown((cmd("a") | cmd("b")).env_clear()) == "env -i bash -c 'a | b'");
  CHECK(shown((cmd("a") | cmd("b")).cwd("d") | cmd("c")) == "{ cd d && a | b; } | c");
}

TEST_CASE("to_string is render of the command's tree", "[render]") {
  const auto c = (cmd("ls", "-l") | cmd("grep", "my file")).cwd("/tmp");
  CHECK(c.to_string() == shown(c));
}
