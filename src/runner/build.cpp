#include "build.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>  // fmt::format
#include <fmt/ranges.h>  // fmt::join

#include "depfile.hpp"
#include "hash.hpp"
#include "posix/spawn.hpp"
#include "prelude.hpp"
#include "shpp/shpp.hpp"

namespace shpp::runner {
namespace fs = std::filesystem;

namespace {

// Fast to compile: scripts are run far more often than they are optimised;
// `// shpp: -O2` opts in. -pthread belongs here, not only at link time: it
// defines _REENTRANT, and GCC ignores a PCH built without the same macros.
const std::vector<std::string> default_flags{"-std=c++20", "-O0", "-pipe", "-pthread"};

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_text(const fs::path& p, std::string_view text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw runner_error("cannot write " + p.string());
}

fs::path self_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw runner_error("cannot find the shpp executable: " + ec.message());
  return exe.parent_path();
}

std::string quote_json(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", c);
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// The first executable `name` in PATH, absolute, or empty: the library's lookup.
std::string find_in_path(const std::string& name) {
  int error = 0;
  const std::string found = detail::find_program(name, std::getenv("PATH"), nullptr, error);
  return found.empty() ? found : fs::absolute(found).string();
}

std::string stamp_text(const std::optional<file_stamp>& s) {
  return s ? fmt::format("{} {} {}", s->size, s->mtime_ns, s->inode) : "missing";
}

}  // namespace

layout find_layout() {
  const fs::path dir = self_dir();
  // 1) the build tree: shpp.paths beside the runner; 2) an installed prefix.
  for (const fs::path& file : {dir / "shpp.paths", dir / ".." / "share" / "shpp" / "paths"}) {
    std::ifstream in(file);
    if (!in) continue;
    layout l;
    std::string line;
    while (std::getline(in, line)) {
      const auto eq = line.find('=');
      if (eq == std::string::npos) continue;
      const std::string key = line.substr(0, eq);
      fs::path value = line.substr(eq + 1);
      if (value.is_relative()) value = (dir / value).lexically_normal();
      if (key == "include") l.include_dir = value.string();
      if (key == "library") l.library = value.string();
    }
    if (!fs::exists(fs::path(l.include_dir) / "shpp" / "shpp.hpp") || !fs::exists(l.library))
      throw runner_error("the shpp installation described by " + file.string() +
                         " is incomplete (no headers or library)");
    return l;
  }
  throw runner_error("cannot find shpp's headers and library next to " + dir.string());
}

compiler find_compiler() {
  const char* env = std::getenv("CXX");
  const std::string name = env && *env ? env : "g++";
  compiler c;
  c.path = name.find('/') != std::string::npos ? fs::absolute(name).string() : find_in_path(name);
  if (c.path.empty() || ::access(c.path.c_str(), X_OK) != 0)
    throw runner_error("compiler not found: " + name + (env ? " (from $CXX)" : "") + "; set CXX");
  const result r = cmd(c.path, "--version").out(capture).err(null).unchecked().run();
  if (!r.ok()) throw runner_error("the compiler " + c.path + " does not run (`--version` failed)");
  c.version = r.out.substr(0, r.out.find('\n'));
  return c;
}

compile_setup prepare(const cache_dir& root, const script& s, bool verbose) {
  compile_setup setup;
  setup.cxx = find_compiler();
  setup.where = find_layout();
  const directives d = parse_directives(s.text);
  setup.compile_flags = default_flags;
  setup.compile_flags.insert(setup.compile_flags.end(), d.compile_flags.begin(), d.compile_flags.end());
  // gold links a script about twice as fast as the default ld.bfd (0.09 s
  // against 0.2 s for a range-v3 script): a tenth of a cold build.
  if (!find_in_path("ld.gold").empty()) setup.link_flags.push_back("-fuse-ld=gold");
  setup.link_flags.insert(setup.link_flags.end(), d.link_flags.begin(), d.link_flags.end());
  if (!d.packages.empty()) {
    const result r = cmd("pkg-config", "--cflags", "--libs", d.packages).out(capture).err(capture).unchecked().run();
    if (!r.ok())
      throw runner_error(fmt::format("`pkg-config --cflags --libs {}` failed:\n{}", fmt::join(d.packages, " "), r.err));
    for (auto& w : split_words(r.out))
      (w.rfind("-l", 0) == 0 || w.rfind("-L", 0) == 0 || w.rfind("-Wl,", 0) == 0 ? setup.link_flags
                                                                                   : setup.compile_flags)
          .push_back(w);
  }

  // The prelude: one per compiler, flag set and shpp build.
  hasher key;
  key.add(SHPP_VERSION).add(setup.cxx.path).add(setup.cxx.version).add(prelude_text).add(setup.where.include_dir);
  for (const auto& f : setup.compile_flags) key.add(f);
  std::error_code ec;
  for (const auto& header : fs::directory_iterator(fs::path(setup.where.include_dir) / "shpp", ec))
    key.add(header.path().string()).add(stamp_text(stamp_of(header.path().string())));
  const std::string name = key.hex().substr(0, 24);
  const cache_dir preludes = root.sub("prelude");
  while (true) {
    const cache_dir dir = preludes.sub(name);
    file_lock lock(dir, "lock");
    if (!lock.still_linked()) continue;  // `shpp cache gc` removed it while we waited
    setup.prelude = dir.relative("prelude.hpp");
    const auto pch = dir.stat_entry("prelude.hpp.gch");
    if (!pch || !S_ISREG(pch->st_mode)) {
      if (verbose)
        std::fprintf(stderr, "shpp: building the prelude for %s (once per compiler and flag set)\n", setup.cxx.path.c_str());
      dir.write_file("prelude.hpp", prelude_text);
      const std::string tmp = "prelude.hpp.gch.tmp." + std::to_string(::getpid());
      const command build = cmd(setup.cxx.path, setup.compile_flags, "-isystem", setup.where.include_dir, "-x",
                                "c++-header", setup.prelude, "-o", dir.relative(tmp));
      if (verbose) std::fprintf(stderr, "shpp: + %s\n", build.to_string().c_str());
      result r;
      {
        scoped_cwd in_cache(root);
        r = build.err(to_stdout).out(capture).unchecked().run();
      }
      if (!r.ok()) {
        ::unlinkat(dir.fd(), tmp.c_str(), 0);
        throw runner_error("building the prelude failed:\n" + r.out);
      }
      if (::renameat(dir.fd(), tmp.c_str(), dir.fd(), "prelude.hpp.gch") != 0)
        throw runner_error("cannot write " + dir.path() + "/prelude.hpp.gch: " + std::strerror(errno));
    }
    dir.write_file("used", "");  // for `shpp cache gc`
    return setup;
  }
}

unique_fd build_entry(const cache_dir& root, const cache_dir& entry, const script& s, const compile_setup& setup,
                      bool verbose) {
  const std::string tmp = "bin.tmp." + std::to_string(::getpid());
  entry.write_file("unit.cpp", translation_unit(s));

  const bool color = ::isatty(2);
  // --verbose shows it when GCC rejects the prelude's PCH and parses it as text.
  const std::vector<std::string> pch_check = verbose ? std::vector<std::string>{"-Winvalid-pch"} : std::vector<std::string>{};
  // Paths in the cache are relative: the compiler runs in the open cache root.
  const command compile =
      cmd(setup.cxx.path, setup.compile_flags, pch_check, color ? "-fdiagnostics-color=always" : "-fdiagnostics-color=never",
          "-include", setup.prelude, "-isystem", setup.where.include_dir,
          s.dir.empty() ? std::vector<std::string>{} : std::vector<std::string>{"-iquote", s.dir}, "-MMD", "-MF",
          entry.relative("deps.d"), "-x", "c++", entry.relative("unit.cpp"), "-x", "none", "-o", entry.relative(tmp),
          setup.where.library, "-lfmt", "-pthread", setup.link_flags);
  if (verbose) std::fprintf(stderr, "shpp: + %s\n", compile.to_string().c_str());
  result r;
  {
    scoped_cwd in_cache(root);
    r = compile.err(to_stdout).out(capture).unchecked().run();
  }
  const auto remove_entry = [&] {
    try {
      root.remove_tree(entry.relative(""));
    } catch (const runner_error&) {
    }
  };
  if (!r.ok()) {
    std::fwrite(r.out.data(), 1, r.out.size(), stderr);
    remove_entry();  // a failed build leaves no cache entry
    throw compile_failed{};
  }
  if (verbose && !r.out.empty()) std::fwrite(r.out.data(), 1, r.out.size(), stderr);

  entry_meta meta;
  meta.script = s.path;
  meta.compiler = setup.cxx.path;
  meta.compiler_stamp = stamp_of(setup.cxx.path).value_or(file_stamp{});
  meta.library = setup.where.library;
  meta.library_stamp = stamp_of(setup.where.library).value_or(file_stamp{});
  for (const std::string& dep : parse_depfile(entry.read_file("deps.d").value_or(""))) {
    if (dep.empty() || dep.front() != '/') continue;  // relative: the unit and the prelude, covered by the key
    if (auto st = stamp_of(dep)) meta.deps.emplace_back(fs::path(dep).lexically_normal().string(), *st);
  }
  ::unlinkat(entry.fd(), "deps.d", 0);

  // The binary: private, then checked through the fd that will be exec'd.
  // Whatever sits at `bin` (an old binary, or a folder someone made) gives way.
  ::fchmodat(entry.fd(), tmp.c_str(), 0700, 0);
  if (const auto old = entry.stat_entry("bin"); old && S_ISDIR(old->st_mode)) entry.remove_tree("bin");
  if (::renameat(entry.fd(), tmp.c_str(), entry.fd(), "bin") != 0) {
    const int e = errno;
    ::unlinkat(entry.fd(), tmp.c_str(), 0);
    throw runner_error("cannot write " + entry.path() + "/bin: " + std::strerror(e));
  }
  auto bin = entry.open_file("bin");
  struct stat st;
  if (!bin || ::fstat(bin->get(), &st) != 0) throw runner_error("cannot open the binary just built in " + entry.path());
  meta.binary = stamp_of(st);
  write_meta(entry, meta);
  return std::move(*bin);
}

int write_ide_files(const cache_dir& root, const script& s) {
  const compile_setup setup = prepare(root, s, false);
  const cache_dir ide_dir = root.sub("ide");
  // clangd cannot read GCC's .gch: give it the prelude as a plain header.
  ide_dir.write_file("prelude.hpp", prelude_text);
  const fs::path prelude = ide_dir.path() + "/prelude.hpp";

  std::vector<std::string> args{setup.cxx.path};
  args.insert(args.end(), setup.compile_flags.begin(), setup.compile_flags.end());
  for (const std::string& a : {std::string("-include"), prelude.string()}) args.push_back(a);
  // The names the script sees without `using namespace shpp;` (script mode).
  if (parse_directives(s.text).using_namespaces) {
    ide_dir.write_file("using.hpp", "using namespace shpp;\nusing namespace std::chrono_literals;\n");
    for (const std::string& a : {std::string("-include"), ide_dir.path() + "/using.hpp"}) args.push_back(a);
  }
  for (const std::string& a : {std::string("-isystem"), setup.where.include_dir, std::string("-iquote"), s.dir,
                               std::string("-c"), s.path})
    args.push_back(a);

  std::string json = "[\n  {\n    \"directory\": " + quote_json(s.dir) + ",\n    \"file\": " + quote_json(s.path) +
                     ",\n    \"arguments\": [";
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i) json += ", ";
    json += quote_json(args[i]);
  }
  json += "]\n  }\n]\n";

  const fs::path target = fs::path(s.dir) / "compile_commands.json";
  std::error_code ec;
  const std::string existing = fs::exists(target, ec) ? read_text(target) : std::string();
  std::string flags;
  for (std::size_t i = 1; i + 2 < args.size(); ++i) {
    if (i > 1) flags += ' ';
    flags += quote(args[i]);
  }
  if (!existing.empty() && existing.find(prelude.string()) == std::string::npos) {
    std::fprintf(stderr, "shpp: %s exists and is not shpp's: not touching it. The flags are:\n", target.c_str());
    std::printf("%s\n", flags.c_str());
    return 1;
  }
  write_text(target, json);
  std::fprintf(stderr, "shpp: wrote %s\n", target.c_str());
  std::printf("%s\n", flags.c_str());
  return 0;
}

}  // namespace shpp::runner
