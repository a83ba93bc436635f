// Shared bits of the runner's tests: the runner with the suite's cache, and script files.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "../helper.hpp"

namespace test::runner {

// One cache for the whole suite, so that the prelude is built once.
inline const std::filesystem::path cache_dir = std::filesystem::path(SHPP_TEST_BINARY_DIR) / "runner-test-cache";
inline const std::filesystem::path runner_dir = std::filesystem::path(SHPP_RUNNER).parent_path();

/// The runner on PATH for shebangs, with `cache` as XDG_CACHE_HOME.
template <class... Args>
shpp::command shpp_run_in(const std::filesystem::path& cache, const Args&... args) {
  const char* path = std::getenv("PATH");
  return shpp::cmd(SHPP_RUNNER, args...)
      .env("XDG_CACHE_HOME", cache.string())
      .env("PATH", runner_dir.string() + ":" + (path ? path : "/usr/bin:/bin"));
}

/// The runner with the suite's cache.
template <class... Args>
shpp::command shpp_run(const Args&... args) {
  return shpp_run_in(cache_dir, args...);
}

inline void write(const std::filesystem::path& p, std::string_view text) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

/// Script files get distinct contents per test so that tests never share an entry.
inline std::filesystem::path make_script(const temp_dir& dir, const std::string& name, const std::string& body) {
  const std::filesystem::path p = dir.path / name;
  write(p, "#!/usr/bin/env shpp\n" + body);
  std::filesystem::permissions(p, std::filesystem::perms::owner_all, std::filesystem::perm_options::add);
  return p;
}

inline int count(const std::string& text, std::string_view what) {
  int n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

/// The cache entry that `--verbose` output names ("... cache hit: <root>/entries/<key>").
inline std::string entry_key(const std::string& verbose_err) {
  const auto at = verbose_err.find("/entries/");
  if (at == std::string::npos) return {};
  const auto end = verbose_err.find_first_of("/ \n", at + 9);
  return verbose_err.substr(at + 9, end - at - 9);
}

}  // namespace test::runner
