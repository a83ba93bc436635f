// A machine that commands can run on: `cmd("uptime").on(ssh("web1"))`.
// The transport is OpenSSH as the user has it (~/.ssh/config, agent, keys,
// known_hosts); shpp adds no daemon, no agent and no crypto of its own.
#pragma once

#include <string>
#include <vector>

#include "shpp/arg.hpp"

namespace shpp {

/// Where remote stages run. A cheap value: two hosts with equal destinations
/// and equal options are the same host (their stages share one connection).
class host {
 public:
  /// As written: a Host alias, user@host or user@host:port.
  const std::string& destination() const noexcept { return destination_; }
  /// Extra ssh arguments, in order (`-F file`, `-i key`, `-J jump`, `-o ...`).
  const std::vector<std::string>& options() const noexcept { return options_; }

  /// Copies a local file to the host over the host's connection; throws shpp::error on failure.
  void upload(const path_arg& local, const path_arg& remote) const;
  /// Copies a remote file to a local path over the host's connection; throws shpp::error on failure.
  void download(const path_arg& remote, const path_arg& local) const;

  friend bool operator==(const host&, const host&) = default;

 private:
  friend host ssh(std::string destination, std::vector<std::string> options);
  host(std::string destination, std::vector<std::string> options)
      : destination_(std::move(destination)), options_(std::move(options)) {}

  std::string destination_;
  std::vector<std::string> options_;
};

/// An OpenSSH host: `ssh("web1")`, `ssh("deploy@10.0.0.5:2222", {"-i", key})`.
/// Always BatchMode (a script never waits on a password prompt); host keys are
/// checked as the user's config says; connections are multiplexed (a private
/// 0700 directory holds the control sockets), so the 2nd..Nth command to a
/// host pays no handshake.
[[nodiscard]] host ssh(std::string destination, std::vector<std::string> options = {});

}  // namespace shpp
