// Finding a program in $PATH, as `command -v` does.
#pragma once

#include <filesystem>  // std::filesystem::path
#include <optional>
#include <string_view>

namespace shpp {

/// Where cmd(program) would find `program`: the same PATH search (a name with a
/// '/' is taken as it is), or nullopt if there is no executable file there.
///
///   if (auto clang = which("clang++")) cmd(*clang, "--version").run();
std::optional<std::filesystem::path> which(std::string_view program);

}  // namespace shpp
