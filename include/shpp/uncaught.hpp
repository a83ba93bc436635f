// Scripts end as `set -e` ends Bash: an exception nobody catches is reported
// on stderr and becomes the exit status, instead of std::terminate's abort
// (status 134) that also loses output still buffered.
#pragma once

namespace shpp {

/// Installs a std::terminate handler that, for an uncaught exception,
/// flushes stdout and stderr (C stdio and std::cout/cerr/clog), prints its
/// what() and a newline to stderr, and exits (std::exit) with
///  - for shpp::error: the failing stage's shell_code(), or 1 if that is 0;
///  - for anything else: 1.
/// std::terminate() without an exception goes to the previous handler.
/// The `shpp` runner calls it before main() in every script; a program of
/// your own may call it first thing in main():
///
///   int main() {
///     shpp::install_uncaught_handler();
///     shpp::cmd("make").run();  // on failure: "make.cpp:3: shpp: command failed: make ...", status 2
///   }
void install_uncaught_handler();

}  // namespace shpp
