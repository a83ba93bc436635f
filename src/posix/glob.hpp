// Pathname expansion: Bash's `*`, `?`, `[...]` under LC_ALL=C, plus `**` for
// any depth of directories (zsh, Bash's globstar).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "model/glob_pattern.hpp"  // has_glob, unescape_glob

namespace shpp::detail {

/// The paths matching `pattern`, sorted byte-wise, without duplicates, written
/// as the pattern is: relative ones relative to `cwd` ("notes/*" gives
/// "notes/a"), absolute ones absolute, a leading "~" or "~/" as $HOME. A
/// backslash makes the next character literal (how a caller marks quoted ones).
/// No match gives an empty vector, but a pattern without any wildcard comes
/// back unescaped whether or not it exists, so that every word can pass through.
/// Directories that cannot be read are skipped, as in Bash.
std::vector<std::string> expand_glob(std::string_view pattern, const std::filesystem::path& cwd);

/// What `~` stands for: $HOME as the caller's environment has it, or nullptr
/// when it is unset or empty. Unlike Bash, no fallback to the password
/// database: getpwuid_r would tie the static runner to the glibc it was
/// linked with (the linker warns).
const char* home_directory() noexcept;

}  // namespace shpp::detail
