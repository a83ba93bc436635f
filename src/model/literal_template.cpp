#include "model/literal_template.hpp"

#include <cstring>

#include "model/glob_pattern.hpp"
#include "shpp/error.hpp"

namespace shpp::detail {
namespace {

using args_t = std::vector<std::vector<std::string>>;

bool has_slot(std::string_view s) { return s.find(literal_template::mark) != std::string_view::npos; }

// The slot number of `s` if `s` is exactly one slot, else -1.
long whole_slot(std::string_view s) {
  if (s.size() < 3 || s.front() != literal_template::mark || s.back() != literal_template::mark) return -1;
  long n = 0;
  for (char c : s.substr(1, s.size() - 2)) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

// `s` with each slot replaced by its one value (escaped for a glob pattern).
std::string filled(std::string_view s, const args_t& args, bool pattern = false) {
  std::string out;
  std::size_t at = 0;
  while (at < s.size()) {
    const std::size_t open = s.find(literal_template::mark, at);
    if (open == std::string_view::npos) {
      out.append(s.substr(at));
      break;
    }
    out.append(s.substr(at, open - at));
    const std::size_t close = s.find(literal_template::mark, open + 1);
    const auto index = static_cast<std::size_t>(whole_slot(s.substr(open, close - open + 1)));
    const auto& values = args.at(index);
    if (values.size() != 1)
      throw usage_error("shpp: a {} inside a longer word stands for one value; argument " + std::to_string(index + 1) +
                        " gave " + std::to_string(values.size()));
    out += pattern ? escape_glob(values.front()) : values.front();
    at = close + 1;
  }
  return out;
}

output filled_output(const output& o, const args_t& args) {
  if (!has_slot(o.path())) return o;
  if (o.target() == output::kind::append) return output(append(filled(o.path(), args)));
  return output(filled(o.path(), args));
}

}  // namespace

std::string literal_template::slot(std::size_t index) { return mark + std::to_string(index) + mark; }

literal_template::literal_template(node_ptr tree) : tree_(std::move(tree)) { marks(*tree_); }

// Records which nodes hold a slot, in them or below.
bool literal_template::marks(const node& n) {
  bool found = std::visit(
      [&](const auto& k) -> bool {
        using T = std::decay_t<decltype(k)>;
        if constexpr (std::is_same_v<T, argv_node>) {
          bool any = false;
          for (const auto& a : k.argv) any |= has_slot(a);
          for (const auto& w : k.late)
            for (const auto& p : w.parts) any |= has_slot(p.text) || (p.sub && marks(*p.sub));
          return any;
        } else if constexpr (std::is_same_v<T, pipe_node> || std::is_same_v<T, list_node>) {
          const bool left = marks(*k.left);
          return marks(*k.right) || left;
        } else if constexpr (std::is_same_v<T, not_node> || std::is_same_v<T, group_node>) {
          return marks(*k.inner);
        } else if constexpr (std::is_same_v<T, function_node>) {
          return false;  // not written in literals
        } else {
          bool here = std::visit(
              [&](const auto& op) -> bool {
                using O = std::decay_t<decltype(op)>;
                if constexpr (std::is_same_v<O, stdin_op>) {
                  if (auto* f = std::get_if<stdin_file>(&op.source)) return has_slot(f->path.native());
                  if (auto* m = std::get_if<stdin_memory>(&op.source)) return has_slot(*m->data);
                  return false;
                } else if constexpr (std::is_same_v<O, stdout_op> || std::is_same_v<O, stderr_op>) {
                  return has_slot(op.target.path());
                } else if constexpr (std::is_same_v<O, env_set_op>) {
                  return has_slot(op.value);
                } else {
                  return false;
                }
              },
              k.op);
          return marks(*k.inner) || here;
        }
      },
      n.kind);
  if (found) with_slots_.insert(&n);
  return found;
}

node_ptr literal_template::fill(const args_t& args) const { return fill(tree_, args); }

node_ptr literal_template::fill(const node_ptr& n, const args_t& args) const {
  if (!with_slots_.count(n.get())) return n;  // shared as it is
  return std::visit(
      [&](const auto& k) -> node_ptr {
        using T = std::decay_t<decltype(k)>;
        if constexpr (std::is_same_v<T, argv_node>) {
          argv_node a;
          std::size_t next_late = 0;
          for (std::size_t i = 0; i < k.argv.size(); ++i) {
            if (next_late < k.late.size() && k.late[next_late].at == i) {
              late_word w = k.late[next_late++];
              w.at = a.argv.size();
              for (auto& p : w.parts) {
                if (has_slot(p.text)) p.text = filled(p.text, args, p.what == word_part::kind::pattern);
                if (p.sub) p.sub = fill(p.sub, args);
              }
              a.argv.push_back(filled(k.argv[i], args));
              a.late.push_back(std::move(w));
            } else if (const long whole = whole_slot(k.argv[i]); whole >= 0) {
              for (const auto& v : args.at(static_cast<std::size_t>(whole))) a.argv.push_back(v);  // a range splats
            } else {
              a.argv.push_back(has_slot(k.argv[i]) ? filled(k.argv[i], args) : k.argv[i]);
            }
          }
          if (a.argv.empty()) throw usage_error("shpp: sh(): a {} for the program name gave no value");
          return make_node(std::move(a));
        } else if constexpr (std::is_same_v<T, pipe_node>) {
          return make_node(pipe_node{fill(k.left, args), fill(k.right, args)});
        } else if constexpr (std::is_same_v<T, list_node>) {
          return make_node(list_node{k.kind, fill(k.left, args), fill(k.right, args)});
        } else if constexpr (std::is_same_v<T, not_node>) {
          return make_node(not_node{fill(k.inner, args)});
        } else if constexpr (std::is_same_v<T, group_node>) {
          return make_node(group_node{fill(k.inner, args), k.written});
        } else if constexpr (std::is_same_v<T, function_node>) {
          return n;
        } else {
          modifier op = std::visit(
              [&](const auto& o) -> modifier {
                using O = std::decay_t<decltype(o)>;
                if constexpr (std::is_same_v<O, stdin_op>) {
                  if (auto* f = std::get_if<stdin_file>(&o.source))
                    return stdin_op{stdin_file{filled(f->path.native(), args)}};
                  if (auto* m = std::get_if<stdin_memory>(&o.source))
                    return stdin_op{stdin_memory{std::make_shared<const std::string>(filled(*m->data, args))}};
                  return o;
                } else if constexpr (std::is_same_v<O, stdout_op>) {
                  return stdout_op{filled_output(o.target, args)};
                } else if constexpr (std::is_same_v<O, stderr_op>) {
                  return stderr_op{filled_output(o.target, args)};
                } else if constexpr (std::is_same_v<O, env_set_op>) {
                  return env_set_op{o.key, filled(o.value, args)};
                } else {
                  return o;
                }
              },
              k.op);
          return make_node(modifier_node{std::move(op), fill(k.inner, args)});
        }
      },
      n->kind);
}

}  // namespace shpp::detail
