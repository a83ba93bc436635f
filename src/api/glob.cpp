#include "shpp/glob.hpp"

#include <sys/stat.h>

#include "posix/glob.hpp"

namespace shpp {

std::vector<std::filesystem::path> glob(std::string_view pattern) {
  // "." rather than getcwd(): the results stay relative, and a removed cwd still works.
  std::vector<std::string> found = detail::expand_glob(pattern, ".");
  // expand_glob hands a wildcard-free pattern back unchecked; glob() promises matches only.
  struct stat st;
  if (!detail::has_glob(pattern) && (found.size() != 1 || ::lstat(found[0].c_str(), &st) != 0)) return {};
  return std::vector<std::filesystem::path>(std::make_move_iterator(found.begin()),
                                            std::make_move_iterator(found.end()));
}

}  // namespace shpp
