#include "remote/side_channel.hpp"

#include <charconv>
#include <random>
#include <utility>

#include <fmt/format.h>  // fmt::format

namespace shpp::detail {
namespace {

int to_int(std::string_view s) {
  int v = -1;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

std::string make_nonce() {
  std::random_device rd;
  return fmt::format("shpp{:08x}{:08x}{:08x}{:08x}", rd(), rd(), rd(), rd());
}

// Why each piece is there:
// 1) fd 9 keeps the channel back; every stage runs with it closed, so that a
//    daemon a stage leaves behind cannot hold the session open.
// 2) The watcher writes a heartbeat each second; when the connection is gone
//    the write fails (SIGPIPE ignored there) and it stops the process group
//    (sshd made the script a session leader: $$ is the group).
// 3) Each stage reports its own $?, so a pipeline's statuses need no
//    PIPESTATUS (POSIX sh has none).
// 4) The watcher's sleep has fd 9 and the session's stdout closed, or the
//    session would wait up to a second for it to end.
std::string remote_script(const std::vector<std::string>& stages, std::string_view nonce,
                          const std::vector<std::vector<std::string>>& glob_checks) {
  std::string s = fmt::format("N={};exec 9>&2;printf '%s b %s\\n' \"$N\" \"$$\" >&9;", nonce);
  // 5) Globs are checked before the watcher and the stages start: a failed
  //    check reports itself and ends the script, with nothing started.
  for (std::size_t i = 0; i < glob_checks.size(); ++i)
    for (std::size_t k = 0; k < glob_checks[i].size(); ++k)
      s += fmt::format("{}||{{ printf '%s m {} {}\\n' \"$N\" >&9;exit 0;}};", glob_checks[i][k], i, k);
  s += "(trap '' PIPE;while sleep 1 9>&-;do printf '%s h\\n' \"$N\" >&9||break;done;kill -s TERM 0)"
       "</dev/null >/dev/null 2>&1 & W=$!;";
  for (std::size_t i = 0; i < stages.size(); ++i) {
    const std::string stage = fmt::format("{{ {}; }} 9>&-;printf '%s {} %s\\n' \"$N\" \"$?\" >&9", stages[i], i);
    if (stages.size() == 1)
      s += stage + ";";
    else
      s += fmt::format("{{ {}; }}{}", stage, i + 1 < stages.size() ? " | " : ";");
  }
  s += "kill \"$W\" 2>/dev/null";
  return s;
}

std::string remote_kill(int signal, int group) { return fmt::format("kill -{} -{} 2>/dev/null", signal, group); }

int wait_status_of(int shell_status) {
  if (shell_status > 128 && shell_status <= 128 + 64) return shell_status - 128;
  return (shell_status & 0xff) << 8;
}

side_channel::side_channel(std::string nonce, std::size_t stages) : nonce_(std::move(nonce)), statuses_(stages) {}

std::string side_channel::feed(std::string_view chunk) {
  held_.append(chunk);
  std::string user;
  std::size_t at = 0;
  for (;;) {
    const std::size_t found = held_.find(nonce_, at);
    if (found == std::string::npos) break;
    const std::size_t end = held_.find('\n', found);
    user.append(held_, at, found - at);
    if (end == std::string::npos) {  // a report line cut by the chunk: keep it for the next one
      held_.erase(0, found);
      return user;
    }
    take_line(std::string_view(held_).substr(found + nonce_.size(), end - found - nonce_.size()));
    at = end + 1;
  }
  // Keep back the longest tail that may be the start of a nonce.
  std::size_t keep = std::min(nonce_.size() - 1, held_.size() - at);
  while (keep > 0 && held_.compare(held_.size() - keep, keep, nonce_, 0, keep) != 0) --keep;
  user.append(held_, at, held_.size() - at - keep);
  held_.erase(0, held_.size() - keep);
  return user;
}

std::string side_channel::finish() { return std::exchange(held_, {}); }

void side_channel::take_line(std::string_view line) {
  // " b PGID", " h", " I STATUS"
  if (line.size() < 2 || line[0] != ' ') return;
  line.remove_prefix(1);
  if (line[0] == 'h') return;
  if (line[0] == 'm') {  // " m I K"
    const std::size_t space = line.find(' ', 2);
    if (line.size() < 3 || space == std::string_view::npos) return;
    const int stage = to_int(line.substr(2, space - 2)), glob = to_int(line.substr(space + 1));
    if (stage >= 0 && glob >= 0 && static_cast<std::size_t>(stage) < statuses_.size())
      no_match_ = std::pair{static_cast<std::size_t>(stage), static_cast<std::size_t>(glob)};
    return;
  }
  if (line[0] == 'b') {
    if (line.size() > 2) group_ = to_int(line.substr(2));
    return;
  }
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) return;
  const int index = to_int(line.substr(0, space));
  const int status = to_int(line.substr(space + 1));
  if (index >= 0 && static_cast<std::size_t>(index) < statuses_.size() && status >= 0)
    statuses_[static_cast<std::size_t>(index)] = status;
}

}  // namespace shpp::detail
