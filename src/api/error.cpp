#include "shpp/error.hpp"

#include <fmt/format.h>  // fmt::format

namespace shpp {
namespace {

std::string indent(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start) out += "    ";
    out += c;
    line_start = c == '\n';
  }
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

// "deploy.cpp:42: ": the base name keeps it short; a script run by the
// runner has its own path there (through #line).
std::string location_prefix(const shpp::source_location& where) {
  const std::string_view file = where.file_name();
  if (file.empty()) return {};
  const auto slash = file.rfind('/');
  return fmt::format("{}:{}: ", slash == std::string_view::npos ? file : file.substr(slash + 1), where.line());
}

std::string message(const std::string& command_line, std::size_t index, const result& res, const std::string& cwd,
                    const shpp::source_location& where) {
  const stage_status& failed = res.stages[index];
  std::string text = fmt::format("{}shpp: command failed: {}\n", location_prefix(where), command_line);
  if (res.stages.size() > 1)
    text += fmt::format("  stage {} of {} ({}): {}\n", index + 1, res.stages.size(), failed.command, failed.describe());
  else
    text += fmt::format("  {}\n", failed.describe());
  if (!failed.cause.empty()) text += fmt::format("  in it: {}\n", failed.cause);
  if (!cwd.empty()) text += fmt::format("  cwd: {}\n", cwd);
  // Other failed stages, briefly: pipefail reports the rightmost, but all of them count.
  for (std::size_t i = 0; i < res.stages.size(); ++i) {
    const stage_status& s = res.stages[i];
    if (i != index && !s.ok && s.checked && s.how != stage_status::ending::not_started)
      text += fmt::format("  also stage {} ({}): {}\n", i + 1, s.command, s.describe());
  }
  for (std::size_t i = 0; i < res.stages.size(); ++i) {
    const stage_status& s = res.stages[i];
    if (s.ok || s.err_tail.empty()) continue;
    const bool cut = s.err_tail.size() >= 4096;
    text += res.stages.size() > 1 ? fmt::format("  stderr of stage {}{}:\n", i + 1, cut ? " (last 4 KiB)" : "")
                                  : fmt::format("  stderr{}:\n", cut ? " (last 4 KiB)" : "");
    text += indent(s.err_tail);
  }
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace

error::error(std::string command_line, std::size_t stage_index, shpp::result res, std::string cwd,
             shpp::source_location where)
    : std::runtime_error(message(command_line, stage_index, res, cwd, where)),
      command_line_(std::move(command_line)),
      stage_(stage_index),
      result_(std::move(res)),
      cwd_(std::move(cwd)),
      where_(where) {}

std::optional<int> error::exit_code() const noexcept {
  const stage_status& s = failed_stage();
  if (s.how != stage_status::ending::exited) return std::nullopt;
  return s.code;
}

std::optional<int> error::signal() const noexcept {
  const stage_status& s = failed_stage();
  if (s.how != stage_status::ending::signalled) return std::nullopt;
  return s.signal;
}

}  // namespace shpp
