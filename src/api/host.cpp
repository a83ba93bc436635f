#include "shpp/host.hpp"

#include "shpp/command.hpp"

namespace shpp {

host ssh(std::string destination, std::vector<std::string> options) {
  return host(std::move(destination), std::move(options));
}

// Plain `cat` on both ends, over the host's (multiplexed) connection: the
// remote side needs nothing but a POSIX shell, and a failure throws as any
// command's does.
void host::upload(const path_arg& local, const path_arg& remote) const {
  cmd("cat").out(remote.str()).on(*this).in(local).run();
}

void host::download(const path_arg& remote, const path_arg& local) const {
  cmd("cat", remote.str()).on(*this).out(local.str()).run();
}

}  // namespace shpp
