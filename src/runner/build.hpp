// The runner's cold path: find the compiler and the installed shpp, build the
// precompiled prelude once per compiler and flag set, and compile a script
// into its cache entry.
#pragma once

#include <string>
#include <vector>

#include "cache.hpp"
#include "script.hpp"

namespace shpp::runner {

/// Where shpp's headers and library are, found relative to the runner itself
/// (build tree or installed prefix), so the installation is relocatable.
struct layout {
  std::string include_dir;
  std::string library;
};
layout find_layout();

struct compiler {
  std::string path;     // absolute
  std::string version;  // first line of --version
};
/// $CXX (default g++), resolved in PATH.
compiler find_compiler();

/// Everything the script is compiled with, in order.
struct compile_setup {
  compiler cxx;
  layout where;
  std::vector<std::string> compile_flags;
  std::vector<std::string> link_flags;
  std::string prelude;  // the prelude header, its .gch beside it; relative to the cache root
};

/// Resolves directives (running pkg-config) and makes sure the prelude exists.
/// `prelude` is then relative to the cache root (see scoped_cwd).
compile_setup prepare(const cache_dir& root, const script& s, bool verbose);

/// Thrown when the compiler rejected the script; its output was already shown.
struct compile_failed {};

/// Compiles `s` into `entry` (bin + meta) and returns the binary, opened for
/// fexecve. Prints the compiler's output and throws compile_failed if it
/// fails, leaving no entry behind.
unique_fd build_entry(const cache_dir& root, const cache_dir& entry, const script& s, const compile_setup& setup,
                      bool verbose);

/// `shpp --ide script.cpp`: compile_commands.json beside the script.
int write_ide_files(const cache_dir& root, const script& s);

}  // namespace shpp::runner
