// Two real sshd instances on loopback ports, as two hosts ("h1", "h2"), with
// host keys, a user key and an ssh config generated in a temporary
// directory. Hosts get the config with `-F` (OpenSSH reads ~/.ssh/config from
// the passwd home, which a test must never touch). Started once per test
// program, stopped at its exit, with every connection they accepted.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <shpp/host.hpp>
#include <shpp/shpp.hpp>

#include "../helper.hpp"

extern char** environ;

namespace test {

/// A /proc file's text, or "" once its process is gone: reading a file of a
/// process that exits meanwhile fails with ESRCH, which std::filebuf throws.
inline std::string proc_text(const std::filesystem::path& p) {
  std::string out;
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  char buf[4096];
  ssize_t n = 0;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return n < 0 ? std::string() : out;
}

class sshd_fixture {
 public:
  static sshd_fixture& get() {
    static sshd_fixture f;
    return f;
  }

  /// "h1" or "h2" (index 0 or 1), through the generated config.
  shpp::host host(int i) const { return shpp::ssh(name(i), {"-F", config_.string()}); }
  std::string name(int i) const { return "h" + std::to_string(i + 1); }
  const std::filesystem::path& dir() const { return dir_.path; }
  const std::filesystem::path& config() const { return config_; }
  int port(int i) const { return servers_[static_cast<std::size_t>(i)].port; }
  /// Connections sshd `i` accepted so far (its log says "Accepted publickey").
  int accepted(int i) const {
    std::ifstream in(log(i));
    std::string line;
    int n = 0;
    while (std::getline(in, line)) n += line.find("Accepted publickey") != std::string::npos;
    return n;
  }
  /// Kills the processes sshd `i` forked for its connections: every
  /// connection to it drops, the listener stays.
  void drop_connections(int i) const {
    for (int pid : connections(servers_[static_cast<std::size_t>(i)].pid)) ::kill(pid, SIGKILL);
  }

  ~sshd_fixture() {
    for (auto& s : servers_) {
      for (int pid : connections(s.pid)) ::kill(pid, SIGKILL);
      ::kill(s.pid, SIGTERM);
      int status = 0;
      ::waitpid(s.pid, &status, 0);
    }
  }

 private:
  struct server {
    int port = 0;
    pid_t pid = -1;
  };

  sshd_fixture() {
    if (::geteuid() == 0) ::mkdir("/run/sshd", 0755);  // sshd's privilege separation needs it as root
    const auto d = dir_.path;
    shpp::cmd("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", d / "host_key").run();
    shpp::cmd("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", d / "user_key").run();
    shpp::cmd("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", d / "other_key").run();
    std::filesystem::copy_file(d / "user_key.pub", d / "authorized_keys");
    const std::string host_pub = first_two_words(test::slurp(d / "host_key.pub"));
    const std::string user = shpp::cmd("id", "-un").read();
    std::ofstream known(d / "known_hosts");
    std::ofstream cfg(d / "ssh_config");
    for (int i = 0; i < 2; ++i) {
      server s;
      s.port = free_port();
      const auto sshd_config = d / ("sshd_config" + std::to_string(i));
      std::ofstream(sshd_config) << "Port " << s.port << "\nListenAddress 127.0.0.1\nHostKey " << (d / "host_key").string()
                                 << "\nAuthorizedKeysFile " << (d / "authorized_keys").string()
                                 << "\nUsePAM no\nStrictModes no\nPidFile none\nPermitRootLogin yes\n"
                                    "PasswordAuthentication no\nKbdInteractiveAuthentication no\nMaxSessions 100\n"
                                    "MaxStartups 100\n";
      known << "[127.0.0.1]:" << s.port << " " << host_pub << "\n";
      cfg << "Host " << name(i) << "\n  HostName 127.0.0.1\n  Port " << s.port << "\n  User " << user
          << "\n  IdentityFile " << (d / "user_key").string() << "\n  IdentitiesOnly yes\n  UserKnownHostsFile "
          << (d / "known_hosts").string() << "\n  StrictHostKeyChecking yes\n  LogLevel ERROR\n";
      s.pid = spawn({"/usr/sbin/sshd", "-D", "-e", "-f", sshd_config.string()}, log(i));
      servers_.push_back(s);
    }
    known.close();
    cfg.close();
    config_ = d / "ssh_config";
    for (const auto& s : servers_)
      if (!test::eventually([&] { return listening(s.port); })) throw std::runtime_error("sshd did not start");
  }

  std::filesystem::path log(int i) const { return dir_.path / ("sshd" + std::to_string(i) + ".log"); }

  static std::string first_two_words(const std::string& line) {
    const auto second = line.find(' ', line.find(' ') + 1);
    return line.substr(0, second);
  }

  static int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
  }

  static bool listening(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
  }

  static pid_t spawn(const std::vector<std::string>& argv, const std::filesystem::path& log) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    if (::posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ) != 0) throw std::runtime_error("no sshd");
    posix_spawn_file_actions_destroy(&fa);
    return pid;
  }

  /// The sshd processes serving the connections of listener `pid`: its
  /// children and, for a login other than root, the unprivileged child each
  /// forks after authentication, which holds the socket ("sshd: user@notty"),
  /// never the commands they run.
  static std::vector<int> connections(pid_t pid) {
    std::vector<int> out = children(pid);
    for (std::size_t i = 0, n = out.size(); i < n; ++i)
      for (int c : children(out[i]))
        if (proc_text("/proc/" + std::to_string(c) + "/comm") == "sshd\n") out.push_back(c);
    return out;
  }

  static std::vector<int> children(pid_t pid) {
    std::vector<int> out;
    std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
    int c = 0;
    while (in >> c) out.push_back(c);
    return out;
  }

  test::temp_dir dir_;
  std::filesystem::path config_;
  std::vector<server> servers_;
};

/// A word for a marker argv (`sleep` takes it as seconds) that no other run of
/// these tests uses: ctest runs them beside remote_as_user (the same tests as
/// another user), and another checkout's run may share the machine.
inline std::string unique_word(int n) { return std::to_string(n) + "." + std::to_string(::getpid()); }

/// Pids of live processes whose argv, joined by spaces, is `argv` (the "remote"
/// side is this machine; a local ssh carrying the same words in its script
/// never matches). Make `argv` unique with unique_word().
inline std::vector<int> processes_with(const std::string& argv) {
  std::vector<int> out;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    const std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = proc_text(e.path() / "cmdline");
    const std::string stat = proc_text(e.path() / "stat");
    if (stat.empty() || stat.find(") Z") != std::string::npos) continue;  // gone, or a zombie
    if (!cmdline.empty() && cmdline.back() == '\0') cmdline.pop_back();
    for (char& c : cmdline)
      if (c == '\0') c = ' ';
    if (cmdline == argv) out.push_back(std::stoi(name));
  }
  return out;
}

}  // namespace test
