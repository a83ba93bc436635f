#include "engine/stage_wiring.hpp"

#include <fcntl.h>

#include <cstring>
#include <system_error>

#include "shpp/quote.hpp"

namespace shpp::detail {
namespace {

std::string errno_text(int e) { return std::strerror(e); }

// /dev/null: a failure to open it is the machine's, not the stage's.
unique_fd open_or_throw(const std::filesystem::path& path, int flags) {
  int e = 0;
  unique_fd fd = open_file(path, flags, e);
  if (!fd) throw std::system_error(e, std::generic_category(), "shpp: open " + path.string());
  return fd;
}

}  // namespace

stage_wiring::stage_wiring(const launch_plan& plan, endpoints& io, inherited_fds inherited)
    : plan_(plan),
      io_(io),
      inherited_(inherited),
      pipe_reads_(plan.stages.size()),
      link_ends_(static_cast<std::size_t>(plan.link_count)) {}

void stage_wiring::done() {
  pipe_reads_.clear();
  link_ends_.clear();
}

std::optional<launch_failure> stage_wiring::wire(std::size_t i, stage_fds& fds, std::vector<fifo_redirect>& fifos) {
  const stage_plan& s = plan_.stages[i];
  // stdin
  unique_fd& in_fd = fds.in;
  if (s.link_in >= 0) {
    pipe_fds p = make_pipe();
    in_fd = std::move(p.read);
    link_ends_[static_cast<std::size_t>(s.link_in)] = std::move(p.write);
  } else if (s.from_previous) {
    in_fd = std::move(pipe_reads_[s.producer]);
    if (!in_fd) in_fd = open_or_throw(std::string("/dev/null"), O_RDONLY);  // the previous stage writes elsewhere
  } else if (std::holds_alternative<null_t>(s.in)) {
    in_fd = open_or_throw(std::string("/dev/null"), O_RDONLY);
  } else if (auto* f = std::get_if<stdin_file>(&s.in); f && is_fifo(f->path.native())) {
    fifos.push_back({0, f->path.native(), O_RDONLY});
  } else if (auto* f = std::get_if<stdin_file>(&s.in)) {
    int e = 0;
    in_fd = open_file(f->path, O_RDONLY, e);
    if (!in_fd) return launch_failure{1, "cannot read " + quote(f->path.string()) + ": " + errno_text(e)};
  } else if (auto* mem = std::get_if<stdin_memory>(&s.in)) {
    in_fd = io_.feed(i, mem->data);
  } else if (inherited_.in >= 0) {
    in_fd = duplicate(inherited_.in);
  }

  // stdout
  unique_fd& out_fd = fds.out;
  if (s.link_out >= 0) {
    pipe_fds p = make_pipe();
    out_fd = std::move(p.write);
    link_ends_[static_cast<std::size_t>(s.link_out)] = std::move(p.read);
  } else if (s.to_next) {
    pipe_fds p = make_pipe();
    out_fd = std::move(p.write);
    pipe_reads_[i] = std::move(p.read);
  } else if (s.to_stream) {
    out_fd = io_.stream();
  } else {
    auto r = wire_output(s.out, i, false, out_fd, fifos);
    if (r) return r;
    fds.out_to_err = s.out.target() == output::kind::to_stderr;
  }

  // stderr
  if (auto r = wire_output(s.err, i, true, fds.err, fifos)) return r;
  fds.err_to_out = s.err.target() == output::kind::to_stdout;
  for (int link : s.links) fds.extra.push_back(std::move(link_ends_[static_cast<std::size_t>(link)]));
  return std::nullopt;
}

std::optional<launch_failure> stage_wiring::wire_output(const output& target, std::size_t i, bool is_err,
                                                        unique_fd& fd, std::vector<fifo_redirect>& fifos) {
  switch (target.target()) {
    case output::kind::null:
      fd = open_or_throw(std::string("/dev/null"), O_WRONLY);
      break;
    case output::kind::file:
    case output::kind::append: {
      const bool append = target.target() == output::kind::append;
      if (is_fifo(target.path())) {
        fifos.push_back({is_err ? 2 : 1, target.path(), O_WRONLY | (append ? O_APPEND : 0)});
        break;
      }
      int e = 0;
      fd = open_file(target.path(), O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), e);
      if (!fd) return launch_failure{1, "cannot write " + quote(target.path()) + ": " + errno_text(e)};
      break;
    }
    case output::kind::capture:
      fd = io_.capture(i, is_err);
      break;
    case output::kind::inherit:
      if (const int own = is_err ? inherited_.err : inherited_.out; own >= 0) fd = duplicate(own);
      break;
    default:  // to_stdout/to_stderr are file actions of the spawn
      break;
  }
  return std::nullopt;
}

}  // namespace shpp::detail
