#include "remote/session_plan.hpp"

#include <algorithm>

#include "model/render.hpp"
#include "shpp/error.hpp"
#include "shpp/quote.hpp"

namespace shpp::detail {
namespace {

using kind = output::kind;

// Only the local side can feed memory or fill a capture.
bool served_locally(const output& o) { return o.target() == kind::capture || o.target() == kind::inherit; }

std::string redirection(const output& o, bool is_err) {
  const std::string fd = is_err ? "2" : "";
  switch (o.target()) {
    case kind::file: return " " + fd + "> " + quote(o.path());
    case kind::append: return " " + fd + ">> " + quote(o.path());
    case kind::null: return " " + fd + "> /dev/null";
    case kind::to_stdout: return " 2>&1";
    case kind::to_stderr: return " >&2";
    default: return "";
  }
}

bool is_copy(const output& o) { return o.target() == kind::to_stdout || o.target() == kind::to_stderr; }

stage_plan open_session(const stage_plan& first) {
  if (!first.links.empty() || first.link_in >= 0 || first.link_out >= 0)
    throw usage_error("shpp: " + render_stage(first) + ": process substitution is not supported inside .on()");
  const local_settings& outside = *first.local;
  stage_plan s;
  s.on = first.on;
  s.cwd = outside.cwd;
  s.env_clear = outside.env_clear;
  s.env_changes = outside.env_changes;
  s.from_previous = first.from_previous;
  s.producer = first.producer;
  // 1) Memory written inside .on() is fed from here. 2) A remote file or
  // /dev/null: the session reads nothing of ours. 3) Else what is outside.
  if (std::holds_alternative<stdin_memory>(first.in))
    s.in = first.in;
  else if (!std::holds_alternative<inherit_t>(first.in))
    s.in = null;
  else
    s.in = outside.in;
  s.err = outside.err;
  s.timeout = first.timeout;
  return s;
}

void add_member(stage_plan& session, stage_plan member) {
  if (!member.links.empty() || member.link_in >= 0 || member.link_out >= 0)
    throw usage_error("shpp: " + render_stage(member) + ": process substitution is not supported inside .on()");
  if (member.err.target() == kind::capture) session.err = capture;
  if (member.timeout.count() > 0 && (session.timeout.count() == 0 || member.timeout < session.timeout))
    session.timeout = member.timeout;
  session.members.push_back(std::move(member));
}

void close_session(stage_plan& session) {
  const stage_plan& last = session.members.back();
  session.to_next = last.to_next;
  session.to_stream = last.to_stream;
  session.out = served_locally(last.out) && last.out.target() == kind::capture ? last.out : last.local->out;
  std::vector<std::string> texts;
  for (const auto& m : session.members) texts.push_back(remote_stage_text(m));
  std::string shown;
  for (const auto& t : texts) shown += (shown.empty() ? "" : " | ") + t;
  std::vector<std::string> ssh_argv{"ssh"};
  ssh_argv.insert(ssh_argv.end(), session.on->options().begin(), session.on->options().end());
  ssh_argv.push_back(session.on->destination());
  session.argv = ssh_argv;
  session.shown = render_argv(ssh_argv) + " " + quote(shown);
}

}  // namespace

std::string remote_stage_text(const stage_plan& m) {
  std::string text;
  if (m.group) {
    text = "{ " + render(*m.group) + "; }";
  } else {
    if (m.env_clear || !m.env_changes.empty()) {
      // Values go through env as quoted words: never through the shell unquoted.
      text = m.env_clear ? "env -i" : "env";
      for (const auto& c : m.env_changes) {
        text += c.value ? " " : " -u ";
        text += quote(c.value ? c.key + "=" + *c.value : c.key);
      }
      text += " ";
    }
    text += m.remote_words.empty() ? render_argv(m.argv) : m.remote_words;
  }
  // Redirections are opened before the cd, as the plan resolved their paths
  // against the remote cwd already.
  if (m.cwd) text = "{ cd " + quote(m.cwd->string()) + " && " + text + "; }";
  if (auto* f = std::get_if<stdin_file>(&m.in)) text += " < " + quote(f->path.string());
  if (std::holds_alternative<null_t>(m.in)) text += " < /dev/null";
  // Copies last: they follow where the other stream finally goes (as the local engine does).
  if (!is_copy(m.out) && !served_locally(m.out)) text += redirection(m.out, false);
  if (!is_copy(m.err) && !served_locally(m.err)) text += redirection(m.err, true);
  if (is_copy(m.out)) text += redirection(m.out, false);
  if (is_copy(m.err)) text += redirection(m.err, true);
  return text;
}

std::vector<std::string> remote_glob_checks(const stage_plan& m) {
  std::vector<std::string> checks;
  const std::string cd = m.cwd ? "cd " + quote(m.cwd->string()) + "||exit 0;" : "";
  for (const auto& glob : m.remote_globs) checks.push_back("(" + cd + "set -- " + glob + ";[ -e \"$1\" ]||[ -L \"$1\" ])");
  return checks;
}

void merge_sessions(launch_plan& plan) {
  if (std::none_of(plan.stages.begin(), plan.stages.end(), [](const stage_plan& s) { return s.on.has_value(); }))
    return;
  std::vector<stage_plan> merged;
  std::vector<std::size_t> new_index(plan.stages.size());
  std::vector<std::size_t> old_producer(plan.stages.size());
  bool session_open = false;
  for (std::size_t i = 0; i < plan.stages.size(); ++i) {
    stage_plan& s = plan.stages[i];
    old_producer[i] = s.producer;
    // Adjacent on one host: it reads the stage before it, which writes to it.
    const bool joins = session_open && s.on && *merged.back().on == *s.on && s.from_previous &&
                       s.producer + 1 == i && plan.stages[i - 1].to_next && s.link_in < 0;
    if (!joins && session_open) {
      close_session(merged.back());
      session_open = false;
    }
    if (joins) {
      add_member(merged.back(), std::move(s));
    } else if (s.on) {
      merged.push_back(open_session(s));
      add_member(merged.back(), std::move(s));
      session_open = true;
    } else {
      merged.push_back(std::move(s));
    }
    new_index[i] = merged.size() - 1;
    if (!joins && merged.back().from_previous) merged.back().producer = new_index[old_producer[i]];
  }
  if (session_open) close_session(merged.back());
  plan.stages = std::move(merged);
}

}  // namespace shpp::detail
