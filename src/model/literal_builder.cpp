// The run-time sink of the literal grammar (shpp/literal_grammar.hpp): it
// builds the tree the fluent API would build. What only a run can know (a
// glob's matches, a substitution's output) stays a late word until then.
#include <cstdlib>  // getenv
#include <optional>
#include <unordered_map>

#include "model/command_access.hpp"
#include "model/glob_pattern.hpp"
#include "model/literal_template.hpp"
#include "model/node.hpp"
#include "shpp/error.hpp"
#include "shpp/sh.hpp"

namespace shpp::detail {

void throw_literal_error(std::string_view text, std::size_t at, const char* why) {
  throw usage_error("shpp: sh(\"" + std::string(text) + "\"): at " + std::to_string(at) + ": " + why);
}

namespace {

using literal::redirect_op;
using literal::redirection;
using literal::sub_kind;

struct builder {
  struct piece {
    enum class kind { text, placeholder, home, substitution } what = kind::text;
    std::string text;
    bool quoted = true;
    std::size_t index = 0;  // placeholder
    sub_kind sub = sub_kind::lines_of;
    node_ptr node;
  };
  using value = node_ptr;
  struct word {
    std::vector<piece> pieces;
  };
  struct simple {
    std::vector<std::pair<std::string, word>> env;
    std::vector<word> words;
    std::vector<std::pair<redirection, std::string>> redirects;
  };

  builder(const std::vector<std::vector<std::string>>& a, std::string_view text) : args(a), literal_text(text) {}

  const std::vector<std::vector<std::string>>& args;
  std::string_view literal_text;
  bool slots = false;      // building a template: each {} becomes a slot (literal_template)
  bool used_home = false;  // a `~` was read from $HOME: the tree cannot be kept for later calls
  struct {
    const node* result = nullptr;  // what the last call returned
    node_ptr base;                 // the group, without redirections
    std::vector<std::pair<redirection, std::string>> list;
  } group_redirects;

  value list(literal::list_op op, value l, value r) {
    const auto kind = op == literal::list_op::then       ? list_node::op::then
                      : op == literal::list_op::and_then ? list_node::op::and_then
                                                         : list_node::op::or_else;
    return make_node(list_node{kind, std::move(l), std::move(r)});
  }
  value pipe(value l, value r) { return make_node(pipe_node{std::move(l), std::move(r)}); }
  value negate(value v) { return make_node(not_node{std::move(v)}); }
  value group(value v) { return make_node(group_node{std::move(v), true}); }
  // A group's redirections arrive one by one: each call rebuilds the group
  // with all of them, so that they apply left to right as a command's do.
  value redirect(value v, redirection r, word w) {
    if (group_redirects.result != v.get()) {
      group_redirects.base = std::move(v);
      group_redirects.list.clear();
    }
    group_redirects.list.emplace_back(r, target(w));
    value out = with_redirects(group_redirects.base, group_redirects.list);
    group_redirects.result = out.get();
    return out;
  }
  void redirect(simple& c, redirection r, word w) { c.redirects.emplace_back(r, target(w)); }
  simple new_simple() { return {}; }
  word new_word() { return {}; }
  void assign(simple& c, std::string_view name, word w) { c.env.emplace_back(std::string(name), std::move(w)); }
  void add_word(simple& c, word w) { c.words.push_back(std::move(w)); }
  void text(word& w, std::string_view t, bool quoted) {
    piece p;
    p.text = t;
    p.quoted = quoted;
    w.pieces.push_back(std::move(p));
  }
  void home(word& w) {
    piece p;
    p.what = piece::kind::home;
    w.pieces.push_back(std::move(p));
  }
  void placeholder(word& w, std::size_t i) {
    piece p;
    p.what = piece::kind::placeholder;
    p.index = i;
    w.pieces.push_back(std::move(p));
  }
  void placeholder_in_word(std::size_t) {}
  void substitution(word& w, sub_kind kind, value v) {
    piece p;
    p.what = piece::kind::substitution;
    p.sub = kind;
    p.node = std::move(v);
    w.pieces.push_back(std::move(p));
  }

  std::string home_dir() {
    used_home = true;
    const char* h = std::getenv("HOME");
    if (!h || !*h) throw usage_error("shpp: `~` in a literal needs $HOME, which is not set");
    return h;
  }

  std::string single(std::size_t index) {
    if (slots) return literal_template::slot(index);
    const auto& v = args.at(index);
    if (v.size() != 1)
      throw usage_error("shpp: a {} inside a longer word stands for one value; argument " + std::to_string(index + 1) +
                        " gave " + std::to_string(v.size()));
    return v.front();
  }

  // A word that is only text and one-value placeholders: its one string.
  std::string target(const word& w) {
    std::string out;
    for (const auto& p : w.pieces) {
      if (p.what == piece::kind::text) out += p.text;
      if (p.what == piece::kind::home) out += home_dir();
      if (p.what == piece::kind::placeholder) out += single(p.index);
    }
    return out;
  }

  // An unquoted `[` closed by a later unquoted `]` in the same word: a
  // bracket expression, whose inside may be quoted (`['a']`). A `[` without
  // its `]` is itself, as in Bash (`[ -f x ]`).
  static bool has_bracket(const word& w) {
    bool open = false;
    for (const auto& p : w.pieces) {
      if (p.what != piece::kind::text || p.quoted) continue;
      for (char c : p.text) {
        if (c == '[') open = true;
        if (c == ']' && open) return true;
      }
    }
    return false;
  }

  // Appends what `w` stands for to `a`: strings now, or a late word.
  void expand(const word& w, argv_node& a) {
    if (w.pieces.size() == 1 && w.pieces[0].what == piece::kind::placeholder) {
      if (slots) return a.argv.push_back(literal_template::slot(w.pieces[0].index));
      for (const auto& v : args.at(w.pieces[0].index)) a.argv.push_back(v);  // a range splats
      return;
    }
    bool pattern = false;
    bool late = false;
    for (const auto& p : w.pieces) {
      if (p.what == piece::kind::text && !p.quoted && p.text.find_first_of("*?") != std::string::npos) pattern = true;
      if (p.what == piece::kind::substitution || p.what == piece::kind::home) late = true;
    }
    pattern = pattern || has_bracket(w);
    if (!pattern && !late) return a.argv.push_back(target(w));
    late_word lw;
    lw.at = a.argv.size();
    std::string shown;
    auto add_text = [&](const std::string& t, bool literal_text) {
      shown += t;
      const auto k = pattern ? word_part::kind::pattern : word_part::kind::text;
      std::string part = pattern && literal_text ? escape_glob(t) : t;
      if (!lw.parts.empty() && lw.parts.back().what == k) {
        lw.parts.back().text += part;
      } else {
        lw.parts.push_back({k, std::move(part), node_ptr()});
      }
    };
    for (const auto& p : w.pieces) {
      switch (p.what) {
        case piece::kind::text: add_text(p.text, p.quoted || !pattern); break;
        case piece::kind::home:  // expands when it runs, and where: on the host inside .on()
          lw.parts.push_back({word_part::kind::home, {}, node_ptr()});
          shown += "~";
          break;
        case piece::kind::placeholder: add_text(single(p.index), true); break;
        case piece::kind::substitution: {
          static constexpr word_part::kind kinds[] = {word_part::kind::lines_of, word_part::kind::output_of,
                                                      word_part::kind::input_process,
                                                      word_part::kind::output_process};
          lw.parts.push_back({kinds[static_cast<int>(p.sub)], {}, p.node});
          shown += "$(...)";
          break;
        }
      }
    }
    a.argv.push_back(shown);
    a.late.push_back(std::move(lw));
  }

  value finish(simple& c) {
    argv_node a;
    for (const auto& w : c.words) expand(w, a);
    if (a.argv.empty()) throw usage_error("shpp: sh(\"" + std::string(literal_text) + "\"): a {} for the program name gave no value");
    bool substitutes = false;
    for (const auto& lw : a.late)
      for (const auto& p : lw.parts)
        substitutes |= p.what == word_part::kind::lines_of || p.what == word_part::kind::output_of;
    value n = make_node(std::move(a));
    for (auto it = c.env.rbegin(); it != c.env.rend(); ++it) {
      const std::string value_text = target(it->second);
      n = make_node(modifier_node{env_set_op{it->first, value_text}, n});
    }
    n = with_redirects(std::move(n), std::move(c.redirects));
    // $(...) runs first: a group stage runs it, then the command with its output.
    if (substitutes) n = make_node(group_node{n, false});
    return n;
  }

  static modifier op_of(const redirection& r, const std::string& target) {
    switch (r.op) {
      case redirect_op::in: return stdin_op{stdin_file{target}};
      case redirect_op::here_string:
        return stdin_op{stdin_memory{std::make_shared<const std::string>(target + "\n")}};
      case redirect_op::out:
        return r.fd == 2 ? modifier(stderr_op{output(target)}) : modifier(stdout_op{output(target)});
      case redirect_op::append:
        return r.fd == 2 ? modifier(stderr_op{output(append(target))}) : modifier(stdout_op{output(append(target))});
      case redirect_op::dup:
        return r.fd == 2 ? modifier(stderr_op{output(to_stdout)}) : modifier(stdout_op{output(to_stderr)});
      default: break;
    }
    return unchecked_op{};  // not reached: `&>` is split before
  }

  static bool touches(const redirection& r, int fd) { return r.fd == fd; }

  // Redirections apply left to right, as in Bash: a later one wins, and a
  // copy (`2>&1`) copies where the fd points at that moment. A copy whose
  // source a later redirection moves needs a boundary: `cmd 2>&1 > f` is
  // `{ cmd > f; } 2>&1`.
  value with_redirects(value n, std::vector<std::pair<redirection, std::string>> rs) {
    std::vector<std::pair<redirection, std::string>> flat;
    for (auto& [r, t] : rs) {
      if (r.op == redirect_op::both || r.op == redirect_op::both_append) {
        flat.push_back({{r.op == redirect_op::both ? redirect_op::out : redirect_op::append, 1}, t});
        flat.push_back({{redirect_op::dup, 2, 1}, {}});
      } else if (r.op == redirect_op::dup && r.fd == r.to) {
        continue;  // 1>&1: nothing
      } else {
        flat.push_back({r, std::move(t)});
      }
    }
    for (std::size_t k = flat.size(); k-- > 0;) {
      if (flat[k].first.op != redirect_op::dup) continue;
      bool moved_later = false;
      for (std::size_t j = k + 1; j < flat.size(); ++j) moved_later |= touches(flat[j].first, flat[k].first.to);
      if (!moved_later) continue;
      std::vector<std::pair<redirection, std::string>> inner(flat.begin() + static_cast<std::ptrdiff_t>(k) + 1, flat.end());
      flat.resize(k + 1);
      return with_redirects(make_node(group_node{with_redirects(std::move(n), std::move(inner)), true}), std::move(flat));
    }
    for (std::size_t i = flat.size(); i-- > 0;) n = make_node(modifier_node{op_of(flat[i].first, flat[i].second), n});
    return n;
  }
};

}  // namespace

namespace {

struct cached_literal {
  std::string text;
  std::optional<literal_template> tree;  // empty: the literal cannot be kept (it reads $HOME)
};

}  // namespace

command build_literal(std::string_view text, std::vector<std::vector<std::string>> args) {
  // A literal's text lives as long as the program: its tree is built once per
  // thread, and each call fills in its arguments.
  if (text.find(literal_template::mark) == std::string_view::npos) {
    thread_local std::unordered_map<const char*, cached_literal> cache;
    // A program has a bounded number of literals; texts built at run time
    // (tools, the fuzzer) would grow the cache without end.
    constexpr std::size_t max_cached = 1024;
    if (cache.size() >= max_cached && !cache.count(text.data())) cache.clear();
    cached_literal& entry = cache[text.data()];
    if (entry.text != text) {  // first use, or another text at the same address (a run-time string)
      builder b{args, text};
      b.slots = true;
      literal::parser<builder> p(text, b);
      node_ptr tree = p.parse();
      entry.text = text;
      entry.tree.reset();
      if (!b.used_home) entry.tree.emplace(std::move(tree));
    }
    if (entry.tree) return command_access::from_node(entry.tree->fill(args));
  }
  builder b{args, text};
  literal::parser<builder> p(text, b);
  return command_access::from_node(p.parse());
}

}  // namespace shpp::detail
