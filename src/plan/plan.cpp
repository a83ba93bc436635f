#include "plan/plan.hpp"

#include <algorithm>

#include "model/render.hpp"
#include "posix/glob.hpp"
#include "remote/session_plan.hpp"
#include "shpp/error.hpp"

namespace shpp::detail {
namespace {

// What the walk carries down the tree. A pipe copies it for each side; a
// modifier edits it. Modifiers are met outside-in, so the innermost one is
// applied last and wins, except for cwd (nested relative dirs nest, as
// `cd a && (cd b && x)`) and timeouts (the tightest limit wins).
struct context {
  stage_plan stage;
};

std::filesystem::path resolve(const std::optional<std::filesystem::path>& cwd, const std::filesystem::path& p) {
  if (!cwd || p.is_absolute()) return p;
  return *cwd / p;
}

output resolve_target(const context& ctx, const output& target) {
  if (target.target() == output::kind::file) return output(resolve(ctx.stage.cwd, target.path()));
  if (target.target() == output::kind::append) return append(resolve(ctx.stage.cwd, target.path()));
  return target;
}

void apply(context& ctx, const modifier& op) {
  stage_plan& s = ctx.stage;
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, stdin_op>) {
          s.in = m.source;
          s.from_previous = false;  // `(a | b < f)`: b reads f, the pipe from a goes unread
          if (auto* file = std::get_if<stdin_file>(&s.in)) file->path = resolve(s.cwd, file->path);
        } else if constexpr (std::is_same_v<T, stdout_op>) {
          s.out = resolve_target(ctx, m.target);
          s.to_next = false;  // `(a > f) | b`: a writes f, b reads an empty pipe
          s.to_stream = false;
        } else if constexpr (std::is_same_v<T, stderr_op>) {
          s.err = resolve_target(ctx, m.target);
        } else if constexpr (std::is_same_v<T, cwd_op>) {
          s.cwd = resolve(s.cwd, m.dir);
        } else if constexpr (std::is_same_v<T, env_set_op>) {
          s.env_changes.push_back({m.key, m.value});
        } else if constexpr (std::is_same_v<T, env_remove_op>) {
          s.env_changes.push_back({m.key, std::nullopt});
        } else if constexpr (std::is_same_v<T, env_clear_op>) {
          s.env_clear = true;  // the caller's environment only: env() calls on either side still apply
        } else if constexpr (std::is_same_v<T, timeout_op>) {
          if (s.timeout.count() == 0 || m.limit < s.timeout) s.timeout = m.limit;
        } else if constexpr (std::is_same_v<T, unchecked_op>) {
          s.checked = false;
        } else if constexpr (std::is_same_v<T, ok_codes_op>) {
          s.ok_codes = m.codes;
        } else if constexpr (std::is_same_v<T, on_op>) {
          // What was written so far is local; what follows (inside) is the host's.
          if (!s.on) {
            s.local = std::make_shared<const local_settings>(
                local_settings{s.in, s.out, s.err, s.cwd, s.env_clear, s.env_changes});
            s.in = inherit_t{};
            s.out = output();
            s.err = output();
            s.cwd.reset();
            s.env_clear = false;
            s.env_changes.clear();
          }
          s.on = m.where;
        }
      },
      op);
}

// The stages a subtree became, as the pipeline sees them: the first reads
// what comes in, the last writes what goes on (process substitutions sit
// beside them, before the stage that uses them).
struct chain {
  std::size_t first;
  std::size_t last;
};

struct planner {
  std::vector<stage_plan>& out;
  const substitution_outputs* outputs;
  int links = 0;

  chain walk(const node& n, context ctx) {
    return std::visit(
        [&](const auto& k) -> chain {
          using T = std::decay_t<decltype(k)>;
          if constexpr (std::is_same_v<T, argv_node>) {
            if (k.late.empty())
              ctx.stage.argv = k.argv;
            else
              expand(k, ctx);
            return push(std::move(ctx.stage));
          } else if constexpr (std::is_same_v<T, list_node> || std::is_same_v<T, not_node>) {
            ctx.stage.group = share(n);
            return push(std::move(ctx.stage));
          } else if constexpr (std::is_same_v<T, group_node>) {
            ctx.stage.group = k.inner;
            return push(std::move(ctx.stage));
          } else if constexpr (std::is_same_v<T, function_node>) {
            ctx.stage.function = k.body;
            ctx.stage.shown = k.shown;
            return push(std::move(ctx.stage));
          } else if constexpr (std::is_same_v<T, pipe_node>) {
            // The left side writes into the pipe; the right side reads it.
            context left = ctx;
            left.stage.to_next = true;
            const chain l = walk(*k.left, std::move(left));
            context right = std::move(ctx);
            right.stage.from_previous = true;
            const chain r = walk(*k.right, std::move(right));
            out[r.first].producer = l.last;
            return {l.first, r.last};
          } else {
            apply(ctx, k.op);
            return walk(*k.inner, std::move(ctx));
          }
        },
        n.kind);
  }

  chain push(stage_plan s) {
    out.push_back(std::move(s));
    return {out.size() - 1, out.size() - 1};
  }

  const std::string* output_of(const node* sub) const {
    if (!outputs) return nullptr;
    for (const auto& [n, text] : *outputs)
      if (n == sub) return &text;
    return nullptr;
  }

  // A literal's late words become arguments: globs match, substitutions give
  // their output, process substitutions become stages and /dev/fd paths.
  void expand(const argv_node& k, context& ctx) {
    stage_plan& s = ctx.stage;
    if (s.on) return expand_on_host(k, s);
    std::size_t next_late = 0;
    for (std::size_t i = 0; i < k.argv.size(); ++i) {
      if (next_late == k.late.size() || k.late[next_late].at != i) {
        s.argv.push_back(k.argv[i]);
        continue;
      }
      const late_word& w = k.late[next_late++];
      const word_part& first = w.parts.front();
      using kind = word_part::kind;
      if (first.what == kind::input_process || first.what == kind::output_process) {
        s.argv.push_back("/dev/fd/" + std::to_string(3 + s.links.size()));
        s.links.push_back(process_substitution(*first.sub, first.what == kind::input_process, ctx));
      } else if (first.what == kind::lines_of) {
        const std::string* text = output_of(first.sub.get());
        if (!text) {
          s.argv.push_back(k.argv[i]);
          continue;
        }
        // One argument per line: never split on blanks, never globbed; empty lines are no arguments.
        std::size_t at = 0;
        while (at < text->size()) {
          std::size_t end = text->find('\n', at);
          if (end == std::string::npos) end = text->size();
          if (end > at) s.argv.push_back(text->substr(at, end - at));
          at = end + 1;
        }
      } else {
        std::string word;
        for (const auto& p : w.parts) {
          if (p.what == kind::home) {
            word += w.is_pattern() ? escape_glob(home()) : home();
            continue;
          }
          if (p.what != kind::output_of) {
            word += p.text;
            continue;
          }
          const std::string* text = output_of(p.sub.get());
          std::string value = text ? *text : k.argv[i];
          while (!value.empty() && value.back() == '\n') value.pop_back();
          word += w.is_pattern() ? escape_glob(value) : value;
        }
        if (!w.is_pattern()) {
          s.argv.push_back(std::move(word));
          continue;
        }
        auto matches = expand_glob(word, s.cwd ? *s.cwd : std::filesystem::path("."));
        if (matches.empty()) {
          if (s.no_match.empty()) s.no_match = k.argv[i];
          s.argv.push_back(k.argv[i]);
        }
        for (auto& m : matches) s.argv.push_back(std::move(m));
      }
    }
    s.shown = render_words(k);
  }

  static std::string home() {
    const char* h = home_directory();
    if (!h) throw usage_error("shpp: `~` in a literal needs $HOME, which is not set");
    return h;
  }

  // Inside .on(), `~` and globs are the host's: the words go to the remote
  // shell as written (quoted but for `~` and the glob characters), and the
  // remote side checks each glob for a match before anything starts.
  static void expand_on_host(const argv_node& k, stage_plan& s) {
    std::size_t next_late = 0;
    for (std::size_t i = 0; i < k.argv.size(); ++i) {
      s.argv.push_back(k.argv[i]);
      if (next_late == k.late.size() || k.late[next_late].at != i) continue;
      const late_word& w = k.late[next_late++];
      for (const auto& p : w.parts)
        if (p.what != word_part::kind::text && p.what != word_part::kind::pattern && p.what != word_part::kind::home)
          throw usage_error("shpp: " + render_words(k) + ": process substitution is not supported inside .on()");
      if (w.is_pattern()) s.remote_globs.push_back(render_word(w));
    }
    s.remote_words = render_words(k);
    s.shown = s.remote_words;
  }

  // Plans `<(sub)` (it writes, the stage reads) or `>(sub)` as stages beside
  // the one that uses it; returns its link.
  int process_substitution(const node& sub, bool stage_reads, const context& user) {
    context ctx;
    // Its cwd, environment and limits are the user's; its streams are not
    // (Bash gives it the shell's, here the run's own).
    ctx.stage.cwd = user.stage.cwd;
    ctx.stage.env_clear = user.stage.env_clear;
    ctx.stage.env_changes = user.stage.env_changes;
    ctx.stage.timeout = user.stage.timeout;
    ctx.stage.checked = user.stage.checked;
    const int link = links++;
    const chain c = walk(sub, std::move(ctx));
    if (stage_reads)
      out[c.last].link_out = link;
    else
      out[c.first].link_in = link;
    return link;
  }
};

// A C string ends at its first NUL: an argument that passed a check in C++
// would reach the child as a different, shorter one.
void check_no_nul(const stage_plan& s, std::string_view what, std::string_view text) {
  if (text.find('\0') == std::string_view::npos) return;
  std::string shown = render_argv(s.argv);  // with each NUL shown as \0, or the message would end there
  for (auto at = shown.find('\0'); at != std::string::npos; at = shown.find('\0', at)) shown.replace(at, 1, "\\0");
  throw usage_error("shpp: " + shown + ": " + std::string(what) + " contains a NUL byte, which no program can receive");
}

void check_strings(const stage_plan& s) {
  for (std::size_t i = 0; i < s.argv.size(); ++i) check_no_nul(s, i == 0 ? "the program name" : "an argument", s.argv[i]);
  for (const auto& change : s.env_changes)
    if (change.value) check_no_nul(s, "the value of " + change.key, *change.value);
  if (s.cwd) check_no_nul(s, "the working directory", s.cwd->native());
  if (auto* f = std::get_if<stdin_file>(&s.in)) check_no_nul(s, "the input file name", f->path.native());
  for (const output* o : {&s.out, &s.err})
    if (o->target() == output::kind::file || o->target() == output::kind::append)
      check_no_nul(s, "the output file name", o->path());
}

// Every pipeline inside a group is planned before anything runs, so that
// misuse is reported at once, as for a plain pipeline.
void check_members(const node& n) {
  if (auto* l = std::get_if<list_node>(&n.kind)) {
    check_members(*l->left);
    check_members(*l->right);
  } else if (auto* x = std::get_if<not_node>(&n.kind)) {
    check_members(*x->inner);
  } else if (auto* g = std::get_if<group_node>(&n.kind)) {
    check_members(*g->inner);
  } else {
    (void)make_plan(share(n));
  }
}

void check(const stage_plan& s) {
  if (s.group) {
    check_members(*s.group);
  } else if (!s.function) {
    if (s.argv.empty() || s.argv.front().empty())
      throw usage_error("shpp: a command needs a program name (cmd() got an empty argv)");
    check_strings(s);
  }
  using k = output::kind;
  const bool out_to_err = s.out.target() == k::to_stderr && !s.to_next;
  if (out_to_err && s.err.target() == k::to_stdout)
    throw usage_error("shpp: " + render_stage(s) + ": stdout to stderr and stderr to stdout form a loop");
  if (s.err.target() == k::to_stderr)
    throw usage_error("shpp: " + render_stage(s) + ": .err(to_stderr) makes no sense; use .err(to_stdout) for 2>&1");
  if (s.out.target() == k::to_stdout)
    throw usage_error("shpp: " + render_stage(s) + ": .out(to_stdout) makes no sense; use .out(to_stderr) for 1>&2");
}

}  // namespace

std::string render_stage(const stage_plan& s) {
  if (s.group) return render(*s.group);
  return s.shown.empty() ? render_argv(s.argv) : s.shown;
}

launch_plan make_member_plan(const node_ptr& member, const stage_plan& group, const substitution_outputs* outputs) {
  // The group's cwd and environment, as modifiers outside the member: met
  // first, so that the member's own settings win (and its dirs nest).
  node_ptr n = member;
  for (auto it = group.env_changes.rbegin(); it != group.env_changes.rend(); ++it)
    n = it->value ? make_node(modifier_node{env_set_op{it->key, *it->value}, n})
                  : make_node(modifier_node{env_remove_op{it->key}, n});
  if (group.env_clear) n = make_node(modifier_node{env_clear_op{}, n});
  if (group.cwd) n = make_node(modifier_node{cwd_op{*group.cwd}, n});
  launch_plan plan = make_plan(n, false, outputs);
  plan.root = member;  // what messages show
  return plan;
}

bool launch_plan::any_timeout() const {
  return std::any_of(stages.begin(), stages.end(), [](const stage_plan& s) { return s.timeout.count() > 0; });
}

launch_plan make_plan(const node_ptr& root, bool stream_stdout, const substitution_outputs* outputs) {
  launch_plan plan;
  context top;
  top.stage.to_stream = stream_stdout;  // as an outermost redirection: any inner one wins
  planner p{plan.stages, outputs};
  p.walk(*root, std::move(top));
  plan.link_count = p.links;
  for (const auto& s : plan.stages) check(s);
  merge_sessions(plan);
  plan.root = root;
  return plan;
}

}  // namespace shpp::detail
