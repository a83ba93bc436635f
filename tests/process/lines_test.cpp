#include <catch2/catch.hpp>

#include <chrono>
#include <iterator>
#include <thread>
#include <ranges>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/filter.hpp>
#include <range/v3/view/transform.hpp>

#include "../helper.hpp"

using namespace shpp;

static_assert(std::ranges::input_range<line_range>);
static_assert(std::input_iterator<line_range::iterator>);
static_assert(ranges::input_range<line_range>);

TEST_CASE("lines yields each line without its newline", "[lines]") {
  std::vector<std::string> lines;
  for (std::string_view line : cmd("printf", "a\\nb b\\n\\nlast").lines()) lines.emplace_back(line);
  CHECK(lines == std::vector<std::string>{"a", "b b", "", "last"});
}

TEST_CASE("lines of empty output is an empty range", "[lines]") {
  int n = 0;
  for (auto line : cmd("true").lines()) {
    (void)line;
    ++n;
  }
  CHECK(n == 0);
}

TEST_CASE("lines streams a million lines", "[lines]") {
  long long sum = 0, count = 0;
  for (std::string_view line : cmd("seq", 1000000).lines()) {
    sum += std::stoll(std::string(line));
    ++count;
  }
  CHECK(count == 1000000);
  CHECK(sum == 500000500000LL);
}

TEST_CASE("lines loses nothing when the process ends long before the reader", "[lines]") {
  // seq finishes into the pipe while the loop sleeps; every line must still come.
  long long count = 0;
  for (std::string_view line : cmd("seq", 200000).lines()) {
    if (count++ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a slow reader, on purpose
    (void)line;
  }
  CHECK(count == 200000);
}

TEST_CASE("lines loses nothing written by a grandchild after its parent exited", "[lines]") {
  long long count = 0;
  for (std::string_view line : cmd("sh", "-c", "seq 200000 &").lines()) {
    (void)line;
    ++count;
  }
  CHECK(count == 200000);
}

TEST_CASE("lines composes with range-v3 views", "[lines]") {
  auto even = cmd("seq", 10).lines() |
              ranges::views::filter([](std::string_view l) { return std::stoi(std::string(l)) % 2 == 0; }) |
              ranges::to<std::vector<std::string>>();
  CHECK(even == std::vector<std::string>{"2", "4", "6", "8", "10"});

  auto lines = cmd("printf", "x\\ny\\n").lines();
  auto upper = lines | ranges::views::transform([](std::string_view l) { return std::string(l) + "!"; }) |
               ranges::to<std::vector>();
  CHECK(upper == std::vector<std::string>{"x!", "y!"});
}

TEST_CASE("lines composes with std::views", "[lines]") {
  auto lines = cmd("seq", 5).lines();
  std::vector<std::string> got;
  for (auto l : lines | std::views::take(2)) got.emplace_back(l);
  CHECK(got == std::vector<std::string>{"1", "2"});
}

TEST_CASE("breaking out of lines early reaps everything and does not throw", "[lines]") {
  const int fds = test::open_fd_count();
  {
    int n = 0;
    // seq would run for minutes; yes | head would end by itself; both must stop now.
    for (std::string_view line : (cmd("seq", 1000000000) | cmd("cat")).lines()) {
      if (++n == 3) {
        CHECK(line == "3");
        break;
      }
    }
  }
  int grandchild = 0;
  {
    // The shell prints its background sleep's pid; the sleep must not outlive the loop.
    for (auto line : cmd("sh", "-c", "sleep 100 & echo $!; wait").lines()) {
      grandchild = std::stoi(std::string(line));
      break;
    }
  }
  CHECK(test::child_count() == 0);
  CHECK(test::gone(grandchild));
  CHECK(test::open_fd_count() == fds);
}

TEST_CASE("leaving lines early does not wait a grace for a stage with a child", "[lines]") {
  const auto before = std::chrono::steady_clock::now();
  for (auto line : cmd("sh", "-c", "sleep 100 & while :; do echo x; sleep 0.01; done").lines()) {
    CHECK(line == "x");
    break;
  }
  CHECK(std::chrono::steady_clock::now() - before < std::chrono::milliseconds(700));
}

TEST_CASE("lines throws at the end when a stage failed", "[lines]") {
  std::vector<std::string> seen;
  auto consume = [&] {
    for (std::string_view l : (cmd("sh", "-c", "echo one; echo two; exit 3") | cmd("cat")).lines()) seen.emplace_back(l);
  };
  CHECK_THROWS_AS(consume(), shpp::error);
  CHECK(seen == std::vector<std::string>{"one", "two"});
}

TEST_CASE("lines of an unchecked failure does not throw", "[lines]") {
  int n = 0;
  for (auto l : cmd("sh", "-c", "echo a; exit 1").unchecked().lines()) {
    (void)l;
    ++n;
  }
  CHECK(n == 1);
}

TEST_CASE("lines honours a timeout", "[lines]") {
  using namespace std::chrono_literals;
  std::vector<std::string> seen;
  try {
    for (auto l : cmd("sh", "-c", "echo a; sleep 100").timeout(300ms).lines()) seen.emplace_back(l);
    FAIL("no timeout");
  } catch (const shpp::error& e) {
    CHECK(e.timed_out());
  }
  CHECK(seen == std::vector<std::string>{"a"});
}

TEST_CASE("lines keeps very long lines whole", "[lines]") {
  std::vector<std::size_t> sizes;
  for (std::string_view l : (test::helper("write-out", 1 << 20) | cmd("fold", "-w", 300000)).lines()) sizes.push_back(l.size());
  CHECK(sizes == std::vector<std::size_t>{300000, 300000, 300000, (1u << 20) - 900000});
}
