// The remote session's reports taken out of its stderr, and what is left for the user.
#include <catch2/catch.hpp>

#include "remote/side_channel.hpp"
#include "remote/ssh_transport.hpp"

using shpp::detail::side_channel;

TEST_CASE("side_channel_takes_reports_and_leaves_user_bytes") {
  side_channel c("NONCE", 2);
  std::string user = c.feed("warn\nNONCE b 42\nerr1NONCE h\n partial");
  user += c.feed("NONCE 0 3\n");
  user += c.finish();
  CHECK(user == "warn\nerr1 partial");
  CHECK(c.begun());
  CHECK(c.group() == 42);
  REQUIRE(c.statuses()[0].has_value());
  CHECK(*c.statuses()[0] == 3);
  CHECK_FALSE(c.statuses()[1].has_value());
}

TEST_CASE("side_channel_reports_cut_anywhere_by_chunks") {
  const std::string stream = "abNONCE b 7\ncdNONCE 1 141\nNONCE 0 0\nefNON";
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    side_channel c("NONCE", 2);
    std::string user = c.feed(stream.substr(0, cut));
    user += c.feed(stream.substr(cut));
    user += c.finish();
    CHECK(user == "abcdefNON");
    CHECK(c.group() == 7);
    CHECK(c.statuses()[1] == 141);
    CHECK(c.statuses()[0] == 0);
  }
}

TEST_CASE("remote_shell_status_above_128_is_a_signal") {
  CHECK(shpp::detail::wait_status_of(141) == 13);
  CHECK(shpp::detail::wait_status_of(3) == 3 << 8);
  CHECK(shpp::detail::wait_status_of(255) == 255 << 8);
}

TEST_CASE("ssh_destination_with_port_becomes_an_ssh_uri") {
  CHECK(shpp::detail::ssh_destination("deploy@10.0.0.5:2222") == "ssh://deploy@10.0.0.5:2222");
  CHECK(shpp::detail::ssh_destination("web1") == "web1");
  CHECK(shpp::detail::ssh_destination("fe80::1") == "fe80::1");
}
