#include "model/glob_pattern.hpp"

namespace shpp::detail {

namespace {

constexpr auto npos = std::string_view::npos;

// The POSIX classes as the C locale defines them: bytes above 127 are in none,
// whatever locale the program has set (fnmatch(3) would follow setlocale).
constexpr bool in(int c, int lo, int hi) { return c >= lo && c <= hi; }
constexpr bool is_alpha(int c) { return in(c, 'A', 'Z') || in(c, 'a', 'z'); }
constexpr bool is_digit(int c) { return in(c, '0', '9'); }
constexpr bool is_graph(int c) { return in(c, '!', '~'); }

struct char_class {
  std::string_view name;
  bool (*contains)(int);
};
constexpr char_class classes[] = {
    {"alpha", is_alpha},
    {"digit", is_digit},
    {"alnum", [](int c) { return is_alpha(c) || is_digit(c); }},
    {"word", [](int c) { return is_alpha(c) || is_digit(c) || c == '_'; }},  // a Bash extension
    {"upper", [](int c) { return in(c, 'A', 'Z'); }},
    {"lower", [](int c) { return in(c, 'a', 'z'); }},
    {"space", [](int c) { return c == ' ' || in(c, '\t', '\r'); }},
    {"blank", [](int c) { return c == ' ' || c == '\t'; }},
    {"punct", [](int c) { return is_graph(c) && !is_alpha(c) && !is_digit(c); }},
    {"graph", is_graph},
    {"print", [](int c) { return is_graph(c) || c == ' '; }},
    {"cntrl", [](int c) { return c < 32 || c == 127; }},
    {"xdigit", [](int c) { return is_digit(c) || in(c, 'a', 'f') || in(c, 'A', 'F'); }},
};

// An unknown class name adds nothing: such a bracket matches nothing by it (as Bash).
void add_class(std::string_view name, std::bitset<256>& set) {
  for (const char_class& k : classes) {
    if (k.name != name) continue;
    for (int c = 0; c < 128; ++c)
      if (k.contains(c)) set.set(static_cast<std::size_t>(c));
  }
}

bool is_class_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (c < 'a' || c > 'z') return false;
  return true;
}

// Parses the bracket expression whose '[' is at p[open]. Returns the index just
// past its ']' and fills `set`, or npos when it is never closed: then the '['
// is an ordinary character, as in Bash. Cases, in order:
// 1) '!' or '^' first negates; 2) a ']' right after that is a member, not the
// end; 3) "[:alpha:]" is a class; 4) a backslash makes the next byte a member;
// 5) "a-z" is a byte range, but a '-' just before the ']' is a member.
std::size_t parse_bracket(std::string_view p, std::size_t open, std::bitset<256>& set) {
  std::size_t i = open + 1;
  const bool negate = i < p.size() && (p[i] == '!' || p[i] == '^');
  if (negate) ++i;
  const std::size_t first = i;
  while (true) {
    if (i >= p.size()) return npos;
    if (p[i] == ']' && i != first) break;
    if (p[i] == '[' && i + 1 < p.size() && p[i + 1] == ':') {
      const std::size_t close = p.find(":]", i + 2);
      if (close != npos && is_class_name(p.substr(i + 2, close - i - 2))) {
        add_class(p.substr(i + 2, close - i - 2), set);
        i = close + 2;
        continue;
      }
    }
    if (p[i] == '\\' && i + 1 < p.size()) ++i;
    const auto low = static_cast<unsigned char>(p[i++]);
    if (i + 1 < p.size() && p[i] == '-' && p[i + 1] != ']') {
      std::size_t j = i + 1;
      if (p[j] == '\\' && j + 1 < p.size()) ++j;
      const auto high = static_cast<unsigned char>(p[j]);
      for (unsigned c = low; c <= high; ++c) set.set(c);
      i = j + 1;
      continue;
    }
    set.set(low);
  }
  if (negate) set.flip();
  return i + 1;
}

}  // namespace

name_pattern::name_pattern(std::string_view p) {
  for (std::size_t i = 0; i < p.size();) {
    const char c = p[i];
    if (c == '*' || c == '?') {
      has_wildcard_ = true;
      // Consecutive stars are one: it keeps the backtracking in matches() linear.
      if (c == '?' || tokens_.empty() || tokens_.back().what != token::kind::star)
        tokens_.push_back({c == '*' ? token::kind::star : token::kind::any, 0});
      literal_ += c;
      ++i;
      continue;
    }
    if (c == '[') {
      std::bitset<256> set;
      if (const std::size_t end = parse_bracket(p, i, set); end != npos) {
        has_wildcard_ = true;
        tokens_.push_back({token::kind::set, 0, static_cast<std::uint16_t>(sets_.size())});
        sets_.push_back(set);
        literal_.append(p.substr(i, end - i));
        i = end;
        continue;
      }
    }
    if (c == '\\' && i + 1 < p.size()) ++i;  // a trailing backslash stands for itself
    tokens_.push_back({token::kind::byte, static_cast<unsigned char>(p[i])});
    literal_ += p[i];
    ++i;
  }
}

bool name_pattern::matches_token(const token& t, unsigned char c) const noexcept {
  switch (t.what) {
    case token::kind::byte:
      return t.byte == c;
    case token::kind::any:
      return true;
    case token::kind::set:
      return sets_[t.set].test(c);
    case token::kind::star:
      break;
  }
  return false;
}

bool name_pattern::matches(std::string_view name) const noexcept {
  if (!has_wildcard_) return name == literal_;
  if (name == "." || name == "..") return false;
  const bool literal_dot = !tokens_.empty() && tokens_[0].what == token::kind::byte && tokens_[0].byte == '.';
  if (!name.empty() && name[0] == '.' && !literal_dot) return false;

  // Greedy, backtracking to the last star only: every star matches any run of
  // bytes, so an earlier star never needs to give back what a later one can take.
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::size_t t = 0, n = 0, star = none, star_n = 0;
  while (n < name.size()) {
    if (t < tokens_.size() && tokens_[t].what == token::kind::star) {
      star = ++t;
      star_n = n;
    } else if (t < tokens_.size() && matches_token(tokens_[t], static_cast<unsigned char>(name[n]))) {
      ++t;
      ++n;
    } else if (star != none) {
      t = star;
      n = ++star_n;
    } else {
      return false;
    }
  }
  while (t < tokens_.size() && tokens_[t].what == token::kind::star) ++t;
  return t == tokens_.size();
}

bool has_glob(std::string_view pattern) {
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      ++i;
    } else if (c == '*' || c == '?') {
      return true;
    } else if (c == '[') {
      // Within its own path component: the walk splits on '/' first.
      std::bitset<256> set;
      if (parse_bracket(pattern.substr(0, pattern.find('/', i)), i, set) != npos) return true;
    }
  }
  return false;
}

std::string escape_glob(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string unescape_glob(std::string_view pattern) {
  std::string out;
  out.reserve(pattern.size());
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\' && i + 1 < pattern.size()) ++i;
    out += pattern[i];
  }
  return out;
}

}  // namespace shpp::detail
