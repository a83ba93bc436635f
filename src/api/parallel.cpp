// The scheduler behind parallel() and parallel_unordered(): at most `jobs`
// runs at once on the calling thread's loop (or on each of `hosts`), a new
// one started as one ends.
#include "shpp/parallel.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <memory>
#include <optional>
#include <thread>

#include <boost/asio/buffer.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <fmt/format.h>  // fmt::format

#include "engine/execution.hpp"
#include "engine/loop.hpp"
#include "engine/status_rules.hpp"
#include "model/command_access.hpp"
#include "model/counted.hpp"
#include "plan/plan.hpp"
#include "posix/fd.hpp"
#include "shpp/error.hpp"

namespace shpp::detail {
namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t read_chunk = 64 * 1024;

// Writes all of `text` to `fd` (the caller's stdout or stderr); a reader that
// went away loses the rest, as it would for a command's own output.
void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Each line of `text` (all of it ends in '\n', but for a last partial line) with `prefix` before it.
std::string tagged(std::string_view text, const std::string& prefix) {
  if (prefix.empty()) return std::string(text);
  std::string out;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::size_t len = nl == std::string_view::npos ? text.size() : nl + 1;
    out += prefix;
    out.append(text.substr(0, len));
    text.remove_prefix(len);
  }
  return out;
}

// A --line-buffer stream: a pipe every stage of one run writes to, read on
// the loop and passed on to the caller's fd a whole line at a time.
struct line_pass {
  line_pass(asio::io_context& ctx, int to, std::string prefix) : reader(ctx), to(to), prefix(std::move(prefix)) {}
  asio::posix::stream_descriptor reader;
  int to;
  std::string prefix;
  std::string partial;  // a line not ended yet
  std::vector<char> buf = std::vector<char>(read_chunk);
  bool open = true;

  void start(std::shared_ptr<line_pass> self) {
    reader.async_read_some(asio::buffer(buf), [self = std::move(self)](boost::system::error_code ec, std::size_t n) {
      if (!self->open) return;
      if (ec) return self->close();
      self->partial.append(self->buf.data(), n);
      const std::size_t last = self->partial.rfind('\n');
      if (last != std::string::npos) {
        write_all(self->to, tagged(std::string_view(self->partial).substr(0, last + 1), self->prefix));
        self->partial.erase(0, last + 1);
      }
      self->start(self);
    });
  }
  void close() {
    if (!open) return;
    open = false;
    if (!partial.empty()) write_all(to, tagged(partial + "\n", prefix));
    partial.clear();
    boost::system::error_code ignored;
    reader.close(ignored);
  }
};

}  // namespace

class parallel_run final : public counted {
 public:
  parallel_run(std::vector<command> commands, const parallel_options& opts, location where)
      : loop_(loop::of_this_thread()),
        commands_(std::move(commands)),
        opts_(opts),
        where_(where),
        jobs_(opts.jobs > 0 ? opts.jobs : std::max(1u, std::thread::hardware_concurrency())),
        hosts_(opts.hosts.size()),
        slots_(std::min(jobs_ * std::max<std::size_t>(hosts_.size(), 1), std::max<std::size_t>(commands_.size(), 1))),
        show_progress_(opts.progress && is_terminal(2)) {
    if (!hosts_.empty()) tried_.resize(commands_.size(), std::vector<bool>(hosts_.size()));
    if (!opts_.joblog.empty()) {
      joblog_ = std::fopen(opts_.joblog.c_str(), "w");
      if (!joblog_) throw std::system_error(errno, std::generic_category(), "shpp: parallel: cannot write " + opts_.joblog);
      std::fputs("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n", joblog_);
    }
  }

  ~parallel_run() override {
    stop_all();
    end_progress();
    if (joblog_) std::fclose(joblog_);
  }

  bool next(std::pair<std::size_t, result>& out) {
    while (true) {
      fill();
      if (running_ == 0) {
        end_progress();
        return false;
      }
      loop_->run_until([this] { return std::any_of(slots_.begin(), slots_.end(), [](const slot& s) { return s.done(); }); });
      slot* s = nullptr;
      for (auto& x : slots_)
        if (x.done()) s = &x;
      if (!s) throw std::logic_error("shpp: parallel: the loop ran out of work with runs left");
      result r = s->run->finish();
      const launch_plan plan = s->run->plan();
      const std::size_t index = s->index;
      const int attempt = s->attempt;
      const int on = s->host;
      const auto started = s->started_at;
      release(*s);
      log_job(index, r, started, on);
      const bool failed = stage_to_report(r).has_value();
      if (on >= 0 && connection_failed(r)) {
        hosts_[static_cast<std::size_t>(on)].down = true;
        tried_[index][static_cast<std::size_t>(on)] = true;
        if (std::find(tried_[index].begin(), tried_[index].end(), false) != tried_[index].end()) {
          waiting_.push_back({index, attempt});  // elsewhere, and not a retry
          continue;
        }
      } else if (on >= 0) {
        hosts_[static_cast<std::size_t>(on)].down = false;
      }
      if (failed && attempt < opts_.retries) {
        if (!tried_.empty()) tried_[index].assign(hosts_.size(), false);
        waiting_.push_back({index, attempt + 1});
        continue;
      }
      ++done_;
      if (!r.ok()) ++failed_;
      if (opts_.output == parallel_output::grouped) print_grouped(index, r);
      draw_progress();
      if (failed && opts_.fail_fast) {
        stop_all();
        end_progress();
        throw_if_failed(plan, std::move(r));
      }
      out = {index, std::move(r)};
      return true;
    }
  }

  std::size_t size() const noexcept { return commands_.size(); }

 private:
  struct slot {
    std::size_t index = 0;
    int attempt = 0;
    int host = -1;  // its index in opts.hosts, or -1: here
    std::unique_ptr<execution> run;
    bool idle = false;
    std::shared_ptr<line_pass> out, err;  // --line-buffer only
    clock::time_point started_at;

    bool done() const {
      return run && idle && (!out || !out->open) && (!err || !err->open);
    }
  };

  struct host_state {
    std::size_t running = 0;
    bool down = false;  // its connection failed last time: no new commands while another host works
  };
  struct pending {
    std::size_t index;
    int attempt;
  };

  static bool connection_failed(const result& r) {
    return std::any_of(r.stages.begin(), r.stages.end(),
                       [](const stage_status& s) { return s.how == stage_status::ending::connection_failed; });
  }

  // Retries first, then new commands, each as soon as there is room for it.
  void fill() {
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      const int h = pick_host(it->index);
      if (h == no_room) {
        ++it;
        continue;
      }
      start(it->index, it->attempt, h);
      it = waiting_.erase(it);
    }
    while (next_ < commands_.size()) {
      const int h = pick_host(next_);
      if (h == no_room) break;
      start(next_++, 0, h);
    }
  }

  static constexpr int no_room = -2;

  // -1 (here) when there are no hosts; else the least busy host the command
  // has not tried, one that is up before one that is down; no_room when
  // every such host runs `jobs` commands already.
  int pick_host(std::size_t index) const {
    if (hosts_.empty()) return running_ < jobs_ ? -1 : no_room;
    int best = no_room;
    for (std::size_t h = 0; h < hosts_.size(); ++h) {
      if (hosts_[h].running >= jobs_ || tried_[index][h]) continue;
      if (best == no_room) {
        best = static_cast<int>(h);
        continue;
      }
      const host_state& b = hosts_[static_cast<std::size_t>(best)];
      if (std::pair(hosts_[h].down, hosts_[h].running) < std::pair(b.down, b.running)) best = static_cast<int>(h);
    }
    return best;
  }

  void start(std::size_t index, int attempt, int on) {
    slot& s = *std::find_if(slots_.begin(), slots_.end(), [](const slot& x) { return !x.run; });
    command c = commands_[index];
    if (on >= 0) c = c.on(opts_.hosts[static_cast<std::size_t>(on)]);
    c = c.in(null);  // as xargs: no command reads the caller's stdin
    inherited_fds own;
    unique_fd out_write, err_write;
    if (opts_.output == parallel_output::line_buffer) {
      const std::string prefix = opts_.tag ? commands_[index].to_string() + "\t" : std::string();
      pipe_fds o = make_pipe(), e = make_pipe();
      s.out = std::make_shared<line_pass>(loop_->context(), 1, prefix);
      s.err = std::make_shared<line_pass>(loop_->context(), 2, prefix);
      s.out->reader.assign(o.read.release());
      s.err->reader.assign(e.read.release());
      out_write = std::move(o.write);
      err_write = std::move(e.write);
      own.out = out_write.get();
      own.err = err_write.get();
    } else {
      c = c.out(capture).err(capture);
    }
    launch_plan plan = make_plan(command_access::node(c));
    plan.where = where_;
    s.index = index;
    s.attempt = attempt;
    s.host = on;
    if (on >= 0) ++hosts_[static_cast<std::size_t>(on)].running;
    s.idle = false;
    s.started_at = clock::now();
    // Background mode: every stage leads a process group, so that stopping
    // a run reaches what it started.
    s.run = std::make_unique<execution>(std::move(plan), run_mode::background, *loop_, own);
    ++running_;
    if (s.out) {
      s.out->start(s.out);
      s.err->start(s.err);
    }
    slot* self = &s;
    s.run->when_idle([self] { self->idle = true; });
    draw_progress();
  }

  void release(slot& s) {
    if (s.host >= 0) --hosts_[static_cast<std::size_t>(s.host)].running;
    s.host = -1;
    s.run.reset();
    if (s.out) s.out->close();
    if (s.err) s.err->close();
    s.out.reset();
    s.err.reset();
    --running_;
  }

  // Fail fast, or a range left early: every run still going is told to stop
  // at once, then each is stopped by its own policy (TERM, a grace, KILL).
  void stop_all() {
    for (auto& s : slots_)
      if (s.run) s.run->signal_here(SIGTERM);
    for (auto& s : slots_)
      if (s.run) {
        s.run->abandon();
        release(s);
      }
  }

  void print_grouped(std::size_t index, const result& r) {
    if (r.out.empty() && r.err.empty()) return;
    const std::string prefix = opts_.tag ? commands_[index].to_string() + "\t" : std::string();
    clear_progress();
    write_all(1, tagged(r.out, prefix));
    write_all(2, tagged(r.err, prefix));
  }

  // GNU parallel's --joblog row: seq, host, start (epoch s), runtime (s), send, receive, exit value, signal, command.
  void log_job(std::size_t index, const result& r, clock::time_point started, int on) {
    if (!joblog_) return;
    const auto runtime = std::chrono::duration<double>(clock::now() - started).count();
    const auto start_epoch = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count() - runtime;
    int signal = 0;
    for (const auto& st : r.stages)
      if (st.signal != 0) signal = st.signal;
    const std::string host = on >= 0 ? opts_.hosts[static_cast<std::size_t>(on)].destination() : ":";
    const std::string row = fmt::format("{}\t{}\t{:.3f}\t{:.3f}\t0\t{}\t{}\t{}\t{}\n", index + 1, host, start_epoch, runtime,
                                        r.out.size(), signal != 0 ? 0 : r.code(), signal, commands_[index].to_string());
    std::fputs(row.c_str(), joblog_);
    std::fflush(joblog_);
  }

  // ---- the progress line --------------------------------------------------

  void clear_progress() {
    if (drawn_) write_all(2, "\r\x1b[K");
    drawn_ = false;
  }
  void draw_progress() {
    if (!show_progress_) return;
    const double elapsed = std::chrono::duration<double>(clock::now() - begun_).count();
    std::string line = fmt::format("\r\x1b[Kparallel: {}/{} done, {} failed, {} running, {:.1f}s", done_,
                                   commands_.size(), failed_, running_, elapsed);
    if (done_ > 0 && done_ < commands_.size())
      line += fmt::format(", ETA {:.1f}s", elapsed / static_cast<double>(done_) * static_cast<double>(commands_.size() - done_));
    write_all(2, line);
    drawn_ = true;
  }
  void end_progress() {
    if (!drawn_) return;
    draw_progress();
    write_all(2, "\n");
    drawn_ = false;
    show_progress_ = false;
  }

  loop_ptr loop_;
  std::vector<command> commands_;
  parallel_options opts_;
  location where_;
  std::size_t jobs_;                    // at once, here or on each host
  std::vector<host_state> hosts_;       // one per opts.hosts
  std::vector<std::vector<bool>> tried_;  // per command, the hosts whose connection failed it
  std::deque<pending> waiting_;         // retries, to start before new commands
  std::vector<slot> slots_;  // never resized: an idle callback holds its slot's address
  std::size_t next_ = 0;
  std::size_t running_ = 0;
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
  bool show_progress_;
  bool drawn_ = false;
  clock::time_point begun_ = clock::now();
  std::FILE* joblog_ = nullptr;
};

handle<parallel_run> start_parallel(std::vector<command> commands, const parallel_options& opts, location where) {
  return handle<parallel_run>(new parallel_run(std::move(commands), opts, where));
}

bool next_finished(parallel_run& run, std::pair<std::size_t, result>& out) { return run.next(out); }

std::vector<result> run_parallel(std::vector<command> commands, const parallel_options& opts, location where) {
  parallel_run run(std::move(commands), opts, where);
  std::vector<result> results(run.size());
  std::pair<std::size_t, result> finished;
  while (run.next(finished)) results[finished.first] = std::move(finished.second);
  return results;
}

}  // namespace shpp::detail

namespace shpp {

parallel_range::iterator parallel_range::begin() { return iterator(run_.get(), &current_); }

}  // namespace shpp
