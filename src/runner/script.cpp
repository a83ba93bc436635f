#include "script.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "cache.hpp"

namespace shpp::runner {
namespace fs = std::filesystem;

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// A C string literal for #line: a path may hold quotes, backslashes and
// even newlines, which must not end the directive.
std::string literal(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char octal[5];
      std::snprintf(octal, sizeof octal, "\\%03o", static_cast<unsigned>(c));
      out += octal;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

script load_script(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw runner_error("cannot read " + path + ": " + std::strerror(errno));
  std::string text;
  char buf[16384];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
  const int read_errno = errno;
  ::close(fd);
  if (n < 0) throw runner_error("cannot read " + path + ": " + std::strerror(read_errno));
  std::error_code ec;
  // Through symlinks (a script linked into ~/bin): diagnostics and "quoted"
  // includes belong to the real file.
  fs::path abs = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) abs = fs::absolute(path).lexically_normal();
  return script{abs.string(), abs.parent_path().string(), std::move(text)};
}

script inline_script(const std::string& code) {
  std::string text =
      "int main(int argc, char** argv) {\n"
      "  (void)argc;\n"
      "  (void)argv;\n"
      "#line 1 \"-e\"\n" +
      code +
      "\n;\n"
      "  return 0;\n"
      "}\n";
  return script{"-e", "", std::move(text)};  // no folder: nothing is read from the caller's cwd
}

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

directives parse_directives(const std::string& text) {
  directives d;
  std::istringstream in(text);
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    const std::string_view l = trim(line);
    const bool shebang = first && starts_with(l, "#!");
    first = false;
    if (shebang || l.empty()) continue;
    if (!starts_with(l, "//")) {
      if (starts_with(l, "#include") || starts_with(l, "#pragma")) continue;
      break;  // the first line of code ends the header
    }
    std::string_view body = trim(l.substr(2));
    if (!starts_with(body, "shpp:")) continue;
    body = trim(body.substr(5));
    if (starts_with(body, "pkg-config ")) {
      for (auto& w : split_words(body.substr(11))) d.packages.push_back(w);
      continue;
    }
    for (auto& w : split_words(body)) {
      if (w == "no-using") {  // no flag is spelled so
        d.using_namespaces = false;
        continue;
      }
      const bool link = starts_with(w, "-l") || starts_with(w, "-L") || starts_with(w, "-Wl,") || w == "-static" ||
                        w == "-pthread";
      (link ? d.link_flags : d.compile_flags).push_back(w);
    }
  }
  return d;
}

std::string translation_unit(const script& s) {
  // Before the #line: the script's own lines keep their numbers. A script
  // that writes `using namespace shpp;` again still compiles: a using-directive
  // may be repeated.
  std::string unit;
  if (parse_directives(s.text).using_namespaces) unit += "using namespace shpp;\nusing namespace std::chrono_literals;\n";
  unit += "[[maybe_unused]] static const bool shpp_uncaught_handler_installed_ = (shpp::install_uncaught_handler(), true);\n";
  if (s.path == "-e") return unit + s.text;
  std::string_view text = s.text;
  int first_line = 1;
  if (starts_with(text, "#!")) {
    const auto nl = text.find('\n');
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    first_line = 2;
  }
  return unit + "#line " + std::to_string(first_line) + " " + literal(s.path) + "\n" + std::string(text);
}

}  // namespace shpp::runner
