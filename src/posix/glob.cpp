#include "posix/glob.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>  // std::getenv

namespace shpp::detail {

namespace {

struct component {
  enum class kind { literal, wildcard, globstar } what;
  name_pattern pattern;
};

struct dir_entry {
  std::string name;
  unsigned char type;  // d_type: DT_UNKNOWN on file systems that do not say
};
using listing = std::vector<dir_entry>;

class walk {
 public:
  walk(const std::filesystem::path& cwd, std::vector<component> components, bool dirs_only)
      : cwd_(cwd.empty() ? std::string(1, '.') : cwd.native()), components_(std::move(components)), dirs_only_(dirs_only) {
    if (cwd_.back() != '/') cwd_.push_back('/');
  }

  std::vector<std::string> run(std::string root) {
    expand(0, root, nullptr);
    std::sort(found_.begin(), found_.end());  // std::string compares as unsigned bytes, like strcmp
    found_.erase(std::unique(found_.begin(), found_.end()), found_.end());
    return std::move(found_);
  }

 private:
  // `shown` is how results start ("", "notes/", "/usr/"); this is where that is on disk.
  std::string on_disk(const std::string& shown) const {
    return !shown.empty() && shown[0] == '/' ? shown : cwd_ + shown;
  }

  listing read(const std::string& shown) const {
    listing entries;
    DIR* dir = ::opendir(on_disk(shown).c_str());  // glibc opens it O_CLOEXEC
    if (!dir) return entries;                      // unreadable or not a directory: nothing here, as in Bash
    while (const dirent* e = ::readdir(dir)) {
      const std::string_view name = e->d_name;
      if (name != "." && name != "..") entries.push_back({std::string(name), e->d_type});
    }
    ::closedir(dir);
    return entries;
  }

  // A directory itself, not a symlink to one: `**` descends only into these,
  // so that a link cannot make it loop or leave the tree (as Bash's globstar).
  bool is_real_dir(const std::string& path, unsigned char type) const {
    if (type != DT_UNKNOWN) return type == DT_DIR;
    struct stat st;
    return ::lstat(on_disk(path).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  }
  bool is_dir(const std::string& path, unsigned char type) const {
    if (type == DT_DIR) return true;
    if (type != DT_UNKNOWN && type != DT_LNK) return false;
    struct stat st;
    return ::stat(on_disk(path).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  }
  // A name a pattern ending in '/' keeps: directories only, shown with the '/'.
  void add(std::string path, unsigned char type) {
    if (dirs_only_) {
      if (!is_dir(path, type)) return;
      path += '/';
    }
    found_.push_back(std::move(path));
  }

  // Matches components_[i...] below `shown`; `entries`, when given, is the
  // listing of `shown` already read by a `**` before.
  void expand(std::size_t i, const std::string& shown, const listing* entries) {
    const component& c = components_[i];
    const bool last = i + 1 == components_.size();
    switch (c.what) {
      case component::kind::literal: {
        // Not listed: a literal name is only looked up (it may sit in a
        // directory we can search but not read, as Bash allows).
        std::string path = shown + c.pattern.literal();
        if (!last) return expand(i + 1, path + '/', nullptr);
        struct stat st;
        if (::lstat(on_disk(path).c_str(), &st) == 0) add(std::move(path), DT_UNKNOWN);
        return;
      }
      case component::kind::wildcard: {
        const listing own = entries ? listing() : read(shown);
        for (const dir_entry& e : entries ? *entries : own) {
          if (!c.pattern.matches(e.name)) continue;
          if (last) {
            add(shown + e.name, e.type);
          } else if (e.type == DT_DIR || e.type == DT_LNK || e.type == DT_UNKNOWN) {
            expand(i + 1, shown + e.name + '/', nullptr);
          }
        }
        return;
      }
      case component::kind::globstar: {
        const listing own = entries ? listing() : read(shown);
        const listing& here = entries ? *entries : own;
        if (last) {
          // A final `**` is the directory itself ("a/", as Bash) and every name below it.
          if (!shown.empty() && is_dir(shown, DT_UNKNOWN)) found_.push_back(shown);
          return add_tree(shown, here);
        }
        // 1) Zero directories: the rest of the pattern right here.
        expand(i + 1, shown, &here);
        // 2) One directory more, and `**` again below it.
        for (const dir_entry& e : here) {
          if (e.name[0] == '.') continue;  // hidden folders stay out, as with `*`
          std::string path = shown + e.name;
          if (is_real_dir(path, e.type)) expand(i, path + '/', nullptr);
        }
        return;
      }
    }
  }

  // Every name below `shown`, at any depth, but none hidden nor behind a symlink.
  void add_tree(const std::string& shown, const listing& here) {
    for (const dir_entry& e : here) {
      if (e.name[0] == '.') continue;
      std::string path = shown + e.name;
      const bool descend = is_real_dir(path, e.type);
      add(path, e.type);
      if (descend) {
        path = shown + e.name + '/';
        add_tree(path, read(path));
      }
    }
  }

  std::string cwd_;  // ends with '/'
  std::vector<component> components_;
  bool dirs_only_;
  std::vector<std::string> found_;
};

}  // namespace

const char* home_directory() noexcept {
  const char* home = std::getenv("HOME");
  return home && *home ? home : nullptr;
}

std::vector<std::string> expand_glob(std::string_view pattern, const std::filesystem::path& cwd) {
  // 1) A leading "~" or "~/" (unescaped) is the home directory.
  std::string root;
  // Without $HOME, "~" stays literal.
  if (!pattern.empty() && pattern[0] == '~' && (pattern.size() == 1 || pattern[1] == '/') && home_directory()) {
    root = home_directory();
    pattern.remove_prefix(1);
    while (root.size() > 1 && root.back() == '/') root.pop_back();
    if (pattern.empty()) return {root};
    if (root == "/") root.clear();  // "/" + "/rest"
  }
  // 2) Without a wildcard it is one name: no look-up at all.
  if (!has_glob(pattern)) return {root + unescape_glob(pattern)};
  // 3) Absolute: results start at "/" (after a home, the '/' that follows it).
  if (!pattern.empty() && pattern[0] == '/') {
    root += '/';
    while (!pattern.empty() && pattern[0] == '/') pattern.remove_prefix(1);
  }
  // 4) Split on '/': empty components ("a//b") drop out; a trailing '/' keeps
  // directories only. An escaped '/' stays inside its literal component.
  std::vector<component> components;
  const bool dirs_only = !pattern.empty() && pattern.back() == '/';
  while (!pattern.empty()) {
    std::size_t end = 0;
    while (end < pattern.size() && pattern[end] != '/') end += pattern[end] == '\\' && end + 1 < pattern.size() ? 2 : 1;
    const std::string_view text = pattern.substr(0, end);
    pattern.remove_prefix(std::min(end + 1, pattern.size()));
    if (text.empty()) continue;
    name_pattern compiled(text);
    const auto what = text == "**"              ? component::kind::globstar
                      : compiled.has_wildcard() ? component::kind::wildcard
                                                : component::kind::literal;
    components.push_back({what, std::move(compiled)});
  }
  if (components.empty()) return {};
  return walk(cwd, std::move(components), dirs_only).run(std::move(root));
}

}  // namespace shpp::detail
