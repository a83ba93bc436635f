// Shared bits of the test suite: the helper program and fd/child counting.
#pragma once

#include <dirent.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <shpp/shpp.hpp>

namespace test {

/// cmd(helper, mode, args...): the tests' own child program (tests/helpers/shpp_helper.cpp).
template <class... Args>
shpp::command helper(const Args&... args) {
  return shpp::cmd(SHPP_HELPER, args...);
}

/// Number of fds open in this process.
inline int open_fd_count() {
  int n = 0;
  DIR* d = ::opendir("/proc/self/fd");
  while (dirent* e = ::readdir(d))
    if (e->d_name[0] != '.') ++n;
  ::closedir(d);
  return n - 1;  // the directory's own fd
}

/// Number of live children (zombies included) of this process.
inline int child_count() {
  int n = 0;
  const std::string self = std::to_string(::getpid());
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream in(task.path() / "children");
    std::string pid;
    while (in >> pid) ++n;
  }
  return n;
}

/// True once `done()` holds; polls it every 10 ms for up to 3 s. For events a test
/// cannot be told about (a file appearing, a process forking), instead of a fixed sleep.
template <class Pred>
bool eventually(Pred done) {
  for (int i = 0; i < 300; ++i) {
    if (done()) return true;
    ::usleep(10000);
  }
  return done();
}

/// True once `pid` has a child of its own (it forked); waits up to 3 s.
inline bool has_child(int pid) {
  const std::string children = "/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children";
  return eventually([&] {
    std::ifstream in(children);
    std::string first;
    return static_cast<bool>(in >> first);
  });
}

/// True once `pid` no longer exists (or is a zombie awaiting its reaper); waits up to 3 s.
inline bool gone(int pid) {
  for (int i = 0; i < 300; ++i) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), {});
    if (text.empty() || text.find(") Z") != std::string::npos) return true;
    ::usleep(10000);
  }
  return false;
}

/// A fresh temporary directory, removed at scope exit.
struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "shpp-test-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~temp_dir() { std::filesystem::remove_all(path); }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace test
