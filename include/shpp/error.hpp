// The exception thrown when a checked stage fails: its what() is the whole
// story (the caller's file:line, command line, stage n of m, exit code or
// signal, cwd, stderr tail) and the same facts are typed fields.
#pragma once

#include <cstddef>
#include <optional>
#include "shpp/source_location.hpp"  // where()
#include <stdexcept>
#include <string>

#include "shpp/result.hpp"

namespace shpp {

class error : public std::runtime_error {
 public:
  /// `where` is the line that ran the command; a default one (no file) adds no prefix to what().
  error(std::string command_line, std::size_t stage_index, shpp::result res, std::string cwd,
        shpp::source_location where = {});

  /// The whole pipeline, shell-quoted, ready to paste into Bash.
  const std::string& command_line() const noexcept { return command_line_; }
  /// 1-based index of the headline (rightmost failing) stage.
  std::size_t stage() const noexcept { return stage_ + 1; }
  std::size_t stage_count() const noexcept { return result_.stages.size(); }
  /// The headline stage's status.
  const stage_status& failed_stage() const noexcept { return result_.stages[stage_]; }
  /// Exit code of the failing stage, if it exited.
  std::optional<int> exit_code() const noexcept;
  /// Signal that killed the failing stage, if one did.
  std::optional<int> signal() const noexcept;
  bool timed_out() const noexcept { return failed_stage().timed_out(); }
  /// The working directory set with .cwd(), or empty.
  const std::string& cwd() const noexcept { return cwd_; }
  /// The failing stage's stderr tail, when stderr was captured.
  const std::string& stderr_tail() const noexcept { return failed_stage().err_tail; }
  /// Everything the run produced: all stage statuses, captured output.
  const shpp::result& result() const noexcept { return result_; }
  /// The caller's line that ran the command (run(), read(), lines(), spawn()).
  const shpp::source_location& where() const noexcept { return where_; }

 private:
  std::string command_line_;
  std::size_t stage_;
  shpp::result result_;
  std::string cwd_;
  shpp::source_location where_;
};

/// Misuse of the API that no run can fix (e.g. `2>&1` together with `1>&2`).
class usage_error : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

}  // namespace shpp
