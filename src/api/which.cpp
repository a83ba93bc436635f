#include "shpp/which.hpp"

#include <cstdlib>  // std::getenv
#include <string>

#include "posix/spawn.hpp"

namespace shpp {

std::optional<std::filesystem::path> which(std::string_view program) {
  if (program.empty()) return std::nullopt;
  int error = 0;
  const std::string name(program);
  std::string found = detail::find_program(name, std::getenv("PATH"), nullptr, error);
  // find_program leaves a name with a '/' for exec to judge; which() must answer now.
  if (found.empty() || (name.find('/') != std::string::npos && !detail::is_executable_file(found.c_str())))
    return std::nullopt;
  return std::filesystem::path(std::move(found));
}

}  // namespace shpp
