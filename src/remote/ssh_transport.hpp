// The transport: how a host's remote command is started locally. For ssh it
// is a command prefix (`ssh -o BatchMode=yes ... -- destination`) with the
// remote command as one argument; the remote login shell reads it. Another
// transport (docker exec, kubectl exec, srun) is another prefix: the script,
// the quoting and the status decoding (side_channel.hpp) stay the same.
#pragma once

#include <string>
#include <vector>

#include "shpp/host.hpp"

namespace shpp::detail {

/// The argv that runs `remote_command` on `h`.
std::vector<std::string> ssh_command(const host& h, const std::string& remote_command);

/// `user@host:port` as ssh takes it (`ssh://user@host:port`); other forms as written.
std::string ssh_destination(const std::string& written);

/// The private directory (0700, ours) that holds the control sockets;
/// created at first use. Throws std::system_error if it cannot be made safe.
const std::string& control_directory();

}  // namespace shpp::detail
