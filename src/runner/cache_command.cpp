// `shpp cache list | clean | gc`: the cache seen as a whole, through the same
// open folders as the runner (cache.hpp).
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "cache.hpp"

namespace shpp::runner {
namespace fs = std::filesystem;

namespace {

using file_clock = std::chrono::system_clock;

file_clock::time_point mtime_of(const struct stat& st) {
  return file_clock::time_point(std::chrono::duration_cast<file_clock::duration>(
      std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
}

std::string age_text(file_clock::time_point t) {
  const auto hours = std::chrono::duration_cast<std::chrono::hours>(file_clock::now() - t).count();
  if (hours < 1) return "less than an hour ago";
  if (hours < 48) return std::to_string(hours) + " hours ago";
  return std::to_string(hours / 24) + " days ago";
}

// Called with the working directory in the cache root: `dir` is relative.
std::uintmax_t tree_size(const std::string& dir) {
  std::uintmax_t total = 0;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  return total;
}

int list_entries(const cache_dir& root) {
  scoped_cwd here(root);
  std::uintmax_t total = 0;
  if (auto entries = root.find("entries")) {
    for (const auto& name : entries->list()) {
      std::optional<entry_meta> meta;
      try {
        if (auto e = entries->find(name)) meta = read_meta(*e);
      } catch (const runner_error&) {
      }
      const auto size = tree_size("entries/" + name);
      total += size;
      const auto st = entries->stat_entry(name + "/meta");
      std::printf("%s  %6.1f MiB  used %s  %s\n", name.substr(0, 12).c_str(), static_cast<double>(size) / (1 << 20),
                  st ? age_text(mtime_of(*st)).c_str() : "never", meta ? meta->script.c_str() : "(incomplete)");
    }
  }
  total += tree_size("prelude");
  std::printf("total %.1f MiB in %s\n", static_cast<double>(total) / (1 << 20), root.path().c_str());
  return 0;
}

// Removes entries unused for 30 days or whose script is gone, and preludes
// unused for 30 days. A folder whose lock someone holds is being built or
// run-checked right now: it stays, as does an incomplete entry younger than
// an hour (its builder may not have locked it yet).
int collect_garbage(const cache_dir& root) {
  using namespace std::chrono_literals;
  const auto now = file_clock::now();
  const auto cutoff = now - 24h * 30;
  int removed = 0;
  if (auto entries = root.find("entries")) {
    for (const auto& name : entries->list()) {
      std::optional<cache_dir> e;
      try {
        e = entries->find(name);
      } catch (const runner_error& err) {
        std::printf("skipped %s: %s\n", name.c_str(), err.what());
        continue;
      }
      if (!e) continue;
      const auto lock = file_lock::try_lock(*e, "lock");
      if (!lock) continue;  // a build in progress
      const auto meta = read_meta(*e);
      const auto st = meta ? e->stat_entry("meta") : entries->stat_entry(name);
      const bool script_gone = meta && meta->script != "-e" && !fs::exists(meta->script);
      const bool unused = !st || mtime_of(*st) < (meta ? cutoff : now - 1h);
      if (!script_gone && !unused) continue;
      entries->remove_tree(name);
      std::printf("removed %s (%s)\n", meta ? meta->script.c_str() : (entries->path() + "/" + name).c_str(),
                  script_gone ? "script deleted" : !meta ? "incomplete" : "unused for 30 days");
      ++removed;
    }
  }
  if (auto preludes = root.find("prelude")) {
    for (const auto& name : preludes->list()) {
      std::optional<cache_dir> p;
      try {
        p = preludes->find(name);
      } catch (const runner_error&) {
        continue;
      }
      if (!p) continue;
      const auto lock = file_lock::try_lock(*p, "lock");
      if (!lock) continue;  // being built
      const auto used = p->stat_entry("used");
      const auto made = preludes->stat_entry(name);
      const bool unused = used ? mtime_of(*used) < cutoff : !made || mtime_of(*made) < now - 1h;
      if (!unused) continue;
      preludes->remove_tree(name);
      ++removed;
    }
  }
  std::printf("%d cache entries removed\n", removed);
  return 0;
}

}  // namespace

int cache_command(const std::vector<std::string>& args) {
  const std::string what = args.empty() ? "list" : args.front();
  if (what != "list" && what != "clean" && what != "gc")
    throw runner_error("unknown cache command '" + what + "' (use list, clean or gc)");
  const cache_dir root = cache_dir::open_root();
  if (what == "list") return list_entries(root);
  if (what == "gc") return collect_garbage(root);
  root.remove_tree("entries");
  root.remove_tree("prelude");
  std::printf("removed every cached script and prelude from %s\n", root.path().c_str());
  return 0;
}

}  // namespace shpp::runner
