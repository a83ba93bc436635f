#include "model/render.hpp"

#include <utility>  // std::exchange

#include <fmt/format.h>  // fmt::format

#include "shpp/quote.hpp"

namespace shpp::detail {
namespace {

constexpr std::size_t max_shown_input = 64;

// How a rendered piece binds, so that it is parenthesized only where Bash needs it.
enum class shape { simple, pipeline, and_or, sequence };

struct text {
  std::string s;
  shape kind = shape::simple;
};

text render_node(const node& n);

// Braces, not parentheses: a literal reads `( )` and `{ }` as one group,
// which prints as `{ }`, so a printed command parses back to itself.
std::string grouped(const text& t, shape allowed) {
  return t.kind > allowed ? "{ " + t.s + "; }" : t.s;
}

std::string render_target(const output& t, bool is_stderr) {
  const std::string fd = is_stderr ? "2" : "";
  switch (t.target()) {
    case output::kind::null: return " " + fd + "> /dev/null";
    case output::kind::to_stdout: return " 2>&1";
    case output::kind::to_stderr: return " 1>&2";
    case output::kind::file: return " " + fd + "> " + quote(t.path());
    case output::kind::append: return " " + fd + ">> " + quote(t.path());
    default: return "";  // inherited, captured or streamed: nothing Bash would show
  }
}

// Input from memory in a form that Bash feeds byte for byte (a here-string
// adds a '\n', so it fits only data that ends in one): 1) nothing: < /dev/null;
// 2) one line and its '\n': <<< line; 3) any other text: printf %s; 4) NUL
// bytes, which no argument can hold: a printf format with \000 for each.
std::string exact_input(const std::string& data) {
  if (data.empty()) return " < /dev/null";
  const bool has_nul = data.find('\0') != std::string::npos;
  const std::string_view line(data.data(), data.size() - 1);
  if (data.back() == '\n' && line.find('\n') == std::string_view::npos && !has_nul) return " <<< " + quote(line);
  if (!has_nul) return " < <(printf %s " + quote(data) + ")";
  std::string format;
  for (char c : data) {
    if (c == '%')
      format += "%%";
    else if (c == '\\')
      format += "\\\\";
    else if (c == '\0')
      format += "\\000";
    else
      format += c;
  }
  return " < <(printf " + quote(format) + ")";
}

std::string render_input(const stdin_source& src) {
  if (std::holds_alternative<null_t>(src)) return " < /dev/null";
  if (auto* f = std::get_if<stdin_file>(&src)) return " < " + quote(f->path.string());
  if (auto* mem = std::get_if<stdin_memory>(&src)) {
    const std::string& data = *mem->data;
    if (data.size() <= max_shown_input) return exact_input(data);
    // Too long to show: a glimpse, not a command that feeds the same bytes.
    return fmt::format(" <<< {}  # {} bytes from memory", quote(data.substr(0, max_shown_input) + "..."), data.size());
  }
  return "";
}

bool is_redirection(const modifier& op) {
  return std::holds_alternative<stdin_op>(op) || std::holds_alternative<stdout_op>(op) ||
         std::holds_alternative<stderr_op>(op);
}

bool is_copy(const modifier& op) {
  if (auto* o = std::get_if<stdout_op>(&op)) return o->target.target() == output::kind::to_stderr;
  if (auto* e = std::get_if<stderr_op>(&op)) return e->target.target() == output::kind::to_stdout;
  return false;
}

// A command's redirections, in the order Bash applies them: the outermost
// first, so that an inner one (which wins here) comes later (and wins there);
// copies (`2>&1`) last, since here they follow where the stream finally goes.
text render_redirections(const node& n) {
  std::vector<const modifier*> ops;
  const node* body = &n;
  while (auto* m = std::get_if<modifier_node>(&body->kind)) {
    if (!is_redirection(m->op)) break;
    ops.push_back(&m->op);
    body = m->inner.get();
  }
  std::string out = grouped(render_node(*body), shape::simple);
  for (bool copies : {false, true})
    for (const modifier* op : ops) {
      if (is_copy(*op) != copies) continue;
      if (auto* o = std::get_if<stdout_op>(op)) out += render_target(o->target, false);
      if (auto* e = std::get_if<stderr_op>(op)) out += render_target(e->target, true);
      if (auto* i = std::get_if<stdin_op>(op)) out += render_input(i->source);
    }
  return {out};
}

bool program_has_equals(const node& n) {
  const node* at = &n;
  while (auto* m = std::get_if<modifier_node>(&at->kind)) at = m->inner.get();
  auto* a = std::get_if<argv_node>(&at->kind);
  return a && !a->argv.empty() && a->argv.front().find('=') != std::string::npos;
}

text render_modifier(const modifier& op, const node& inner) {
  const text body = render_node(inner);
  return std::visit(
      [&](const auto& m) -> text {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, stdout_op>) return {grouped(body, shape::simple) + render_target(m.target, false)};
        if constexpr (std::is_same_v<T, stderr_op>) return {grouped(body, shape::simple) + render_target(m.target, true)};
        if constexpr (std::is_same_v<T, stdin_op>) return {grouped(body, shape::simple) + render_input(m.source)};
        if constexpr (std::is_same_v<T, cwd_op>)
          return {"cd " + quote(m.dir.string()) + " && " + grouped(body, shape::pipeline), shape::and_or};
        if constexpr (std::is_same_v<T, env_set_op>) {
          // env(1) would take a program named NAME=value for one more setting.
          if (body.kind == shape::simple && !program_has_equals(inner))
            return {"env " + quote(m.key + "=" + m.value) + " " + body.s};
          return {"(export " + quote(m.key + "=" + m.value) + "; " + body.s + ")"};
        }
        if constexpr (std::is_same_v<T, env_remove_op>) {
          if (body.kind == shape::simple) return {"env -u " + quote(m.key) + " " + body.s};
          return {"(unset " + quote(m.key) + "; " + body.s + ")"};
        }
        if constexpr (std::is_same_v<T, env_clear_op>) {
          if (body.kind == shape::simple) return {"env -i " + body.s};
          return {"env -i bash -c " + quote(body.s)};
        }
        if constexpr (std::is_same_v<T, on_op>) {
          // What the user could paste: the remote part as one quoted word of ssh's.
          std::vector<std::string> ssh_argv{"ssh"};
          ssh_argv.insert(ssh_argv.end(), m.where.options().begin(), m.where.options().end());
          ssh_argv.push_back(m.where.destination());
          return {render_argv(ssh_argv) + " " + quote(body.s)};
        }
        return body;  // timeout, unchecked, ok_codes: not part of a command line
      },
      op);
}

text render_node(const node& n) {
  return std::visit(
      [&n](const auto& k) -> text {
        using T = std::decay_t<decltype(k)>;
        if constexpr (std::is_same_v<T, argv_node>) return {k.late.empty() ? render_argv(k.argv) : render_words(k)};
        if constexpr (std::is_same_v<T, pipe_node>)
          return {grouped(render_node(*k.left), shape::pipeline) + " | " +
                      grouped(render_node(*k.right), shape::pipeline),
                  shape::pipeline};
        if constexpr (std::is_same_v<T, list_node>) {
          if (k.kind == list_node::op::then)
            return {grouped(render_node(*k.left), shape::sequence) + "; " + grouped(render_node(*k.right), shape::and_or),
                    shape::sequence};
          // Left-associative, as in Bash: `a && b || c` is `(a && b) || c`.
          const char* op = k.kind == list_node::op::and_then ? " && " : " || ";
          return {grouped(render_node(*k.left), shape::and_or) + op + grouped(render_node(*k.right), shape::pipeline),
                  shape::and_or};
        }
        if constexpr (std::is_same_v<T, not_node>)
          return {"! " + grouped(render_node(*k.inner), shape::pipeline), shape::and_or};
        if constexpr (std::is_same_v<T, group_node>) {
          if (!k.written) return render_node(*k.inner);
          return {"{ " + render_node(*k.inner).s + "; }"};
        }
        if constexpr (std::is_same_v<T, modifier_node>) {
          if (is_redirection(k.op)) return render_redirections(n);
          return render_modifier(k.op, *k.inner);
        }
        if constexpr (std::is_same_v<T, function_node>) return {k.shown};
      },
      n.kind);
}

}  // namespace

namespace {

// A program named like `NAME=value` would read as an environment setting.
bool looks_like_assignment(std::string_view word) {
  const auto eq = word.find('=');
  if (eq == 0 || eq == std::string_view::npos) return false;
  for (std::size_t i = 0; i < eq; ++i) {
    const char c = word[i];
    const bool name = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
    if (!name) return false;
  }
  return true;
}

// Quoted, such a name is the program's.
std::string quote_program(const std::string& name) {
  std::string q = quote(name);
  return q == name && looks_like_assignment(name) ? "'" + name + "'" : q;
}

}  // namespace

std::string render_argv(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    out += out.empty() ? quote_program(a) : ' ' + quote(a);
  }
  return out;
}

namespace {

// A glob pattern with its wildcards bare and everything else quoted.
std::string render_pattern(std::string_view pattern) {
  std::string out, run;
  auto flush = [&] {
    if (!run.empty()) out += quote(run);
    run.clear();
  };
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      run += pattern[++i];
    } else if (c == '*' || c == '?' || c == '[' || c == ']') {
      flush();
      out += c;
    } else {
      run += c;
    }
  }
  flush();
  return out;
}

}  // namespace

std::string render_word(const late_word& w) {
  std::string out;
  bool after_home = false;
  for (const auto& p : w.parts) {
    // `~/x y` prints as ~/'x y': a quoted `/` would end the tilde's meaning.
    std::string_view text = p.text;
    if (std::exchange(after_home, p.what == word_part::kind::home) && !text.empty() && text.front() == '/') {
      out += '/';
      text.remove_prefix(1);
      if (text.empty()) continue;
    }
    switch (p.what) {
      case word_part::kind::text: out += quote(text); break;
      case word_part::kind::home: out += '~'; break;
      case word_part::kind::pattern: out += render_pattern(text); break;
      case word_part::kind::lines_of: out += "$(" + render(*p.sub) + ")"; break;
      case word_part::kind::output_of: out += "\"$(" + render(*p.sub) + ")\""; break;
      case word_part::kind::input_process: out += "<(" + render(*p.sub) + ")"; break;
      case word_part::kind::output_process: out += ">(" + render(*p.sub) + ")"; break;
    }
  }
  return out;
}

std::string render_words(const argv_node& a) {
  std::string out;
  std::size_t next_late = 0;
  for (std::size_t i = 0; i < a.argv.size(); ++i) {
    if (!out.empty()) out += ' ';
    if (next_late < a.late.size() && a.late[next_late].at == i)
      out += i == 0 && looks_like_assignment(render_word(a.late[next_late])) ? "''" + render_word(a.late[next_late++])
                                                                             : render_word(a.late[next_late++]);
    else
      out += i == 0 ? quote_program(a.argv[i]) : quote(a.argv[i]);
  }
  return out;
}

std::string render(const node& n) { return render_node(n).s; }

}  // namespace shpp::detail
