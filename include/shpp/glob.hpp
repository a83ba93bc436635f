// Pathname expansion, as Bash's `src/*.cpp` and zsh's `src/**/*.cpp`.
#pragma once

#include <filesystem>  // std::filesystem::path
#include <string_view>
#include <vector>

namespace shpp {

/// The files matching `pattern`, relative to the current directory, sorted
/// byte-wise (as Bash under LC_ALL=C): `*`, `?` and `[a-z]`/`[!0-9]`/`[[:alpha:]]`
/// match within one name, `**` as a whole component matches any depth of
/// directories (symlinks to directories are not followed), and a backslash
/// makes the next character literal. Names starting with '.' match only a
/// pattern starting with '.'; "~/" is $HOME. No match gives an empty vector,
/// never the pattern itself (zsh's nullglob, not Bash's default).
///
///   cmd("clang-format", "-i", glob("src/**/*.cpp")).run();
///   for (const auto& log : glob("/var/log/*.log")) ...
std::vector<std::filesystem::path> glob(std::string_view pattern);

}  // namespace shpp
