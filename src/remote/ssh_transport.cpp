#include "remote/ssh_transport.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <mutex>
#include <system_error>

namespace shpp::detail {

std::string ssh_destination(const std::string& written) {
  const auto colon = written.rfind(':');
  if (colon == std::string::npos || colon + 1 == written.size() || written.find(':') != colon) return written;
  for (std::size_t i = colon + 1; i < written.size(); ++i)
    if (written[i] < '0' || written[i] > '9') return written;
  return "ssh://" + written;
}

namespace {

// A directory only we can enter, or none: anyone who could reach a control
// socket could run commands as us on every host we are connected to.
std::string make_control_directory() {
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  std::string base = runtime && *runtime ? runtime : "/tmp";
  const std::string dir = base + "/shpp-ssh-" + std::to_string(::getuid());
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    throw std::system_error(errno, std::generic_category(), "shpp: cannot create " + dir);
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) throw std::system_error(errno, std::generic_category(), "shpp: " + dir);
  if (!S_ISDIR(st.st_mode) || st.st_uid != ::getuid() || (st.st_mode & 077) != 0)
    throw std::system_error(EPERM, std::generic_category(),
                            "shpp: " + dir + " must be a directory of ours with mode 0700 (it holds ssh control sockets)");
  return dir;
}

}  // namespace

const std::string& control_directory() {
  static std::once_flag once;
  static std::string dir;
  std::call_once(once, [] { dir = make_control_directory(); });
  return dir;
}

// 1) BatchMode first: ssh keeps the first value it reads, so no option of the
//    user's can bring back a password prompt. 2) Then the user's options, so
//    they win over 3) our multiplexing defaults. 4) `--` ends the options: a
//    destination is never read as one.
std::vector<std::string> ssh_command(const host& h, const std::string& remote_command) {
  std::vector<std::string> argv{"ssh", "-o", "BatchMode=yes"};
  argv.insert(argv.end(), h.options().begin(), h.options().end());
  argv.insert(argv.end(), {"-o", "ControlMaster=auto", "-o", "ControlPath=" + control_directory() + "/%C", "-o",
                           "ControlPersist=60", "-T", "--", ssh_destination(h.destination()), remote_command});
  return argv;
}

}  // namespace shpp::detail
