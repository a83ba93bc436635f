// Many commands, a bounded number at once (xargs -P, GNU parallel), all driven
// by the calling thread's one loop: no thread per command, and fds and memory
// bounded by `jobs` whatever the number of commands.
//
//   std::vector<result> rs = parallel(commands, {.jobs = 8});           // input order
//   parallel(commands, {.jobs = 8, .fail_fast = false});                // collect every result
//   for (auto& [i, r] : parallel_unordered(commands, {.jobs = 8})) ...  // as they finish
//   parallel(commands, {.jobs = 4, .hosts = {ssh("b1"), ssh("b2")}});   // spread over hosts (--sshlogin)
#pragma once

#include <cstddef>
#include <string>   // and std::default_sentinel_t, std::input_iterator_tag (<iterator> costs more)
#include <utility>  // std::pair
#include <vector>

#include "shpp/command.hpp"
#include "shpp/handle.hpp"
#include "shpp/host.hpp"
#include "shpp/result.hpp"
#include "shpp/source_location.hpp"  // where parallel() was called, for errors

namespace shpp {

/// Where the output of a command goes when the command itself says nothing.
enum class parallel_output {
  grouped,      ///< captured per command, printed whole when it ends (GNU parallel's default, --group)
  line_buffer,  ///< passed through as it comes, a whole line at a time (GNU parallel's --line-buffer)
  capture,      ///< only kept in each result's out and err
};

struct parallel_options {
  std::size_t jobs = 0;   ///< at most this many run at once; 0: the number of cores (-j)
  bool fail_fast = true;  ///< the first failure stops the others and is thrown (--halt now,fail=1)
  int retries = 0;        ///< a failed command runs again, up to this many more times (--retries)
  parallel_output output = parallel_output::grouped;
  bool tag = false;       ///< each printed line starts with the command and a tab (--tag)
  bool progress = true;   ///< a progress line on stderr, redrawn in place, only if stderr is a terminal
  std::string joblog = {};  ///< a file for GNU parallel's --joblog table (one row per run), or empty
  /// Runs each command on one of these hosts (as `.on(host)`), at most `jobs`
  /// at once on each (GNU parallel's --sshlogin). A command whose host's
  /// connection fails (cannot connect, or drops mid-run) runs again on a host
  /// it has not tried, without counting as a retry; that host gets no new
  /// commands while another one works. Empty: every command runs here.
  std::vector<host> hosts = {};
};

namespace detail {
class parallel_run;  // the scheduler behind both functions
using location = shpp::source_location;
handle<parallel_run> start_parallel(std::vector<command> commands, const parallel_options& opts, location where);
/// The next command to finish: false when none is left; throws shpp::error under fail_fast.
bool next_finished(parallel_run& run, std::pair<std::size_t, result>& out);
std::vector<result> run_parallel(std::vector<command> commands, const parallel_options& opts, location where);

// Any input range: containers, views (also those only iterable when not
// const, as filter), generators.
template <class Commands>
std::vector<command> command_list(Commands&& commands) {
  std::vector<command> list;
  for (auto&& c : commands) list.push_back(command(c));
  return list;
}
}  // namespace detail

/// Runs every command, at most opts.jobs at once, stdin from /dev/null, and
/// returns their results in input order. Under fail_fast (the default) the
/// first failure stops the rest (by their stop policy, process groups and
/// all) and is thrown as shpp::error naming that command.
template <class Commands>
std::vector<result> parallel(Commands&& commands, const parallel_options& opts = {},
                             shpp::source_location where = shpp::source_location::current()) {
  return detail::run_parallel(detail::command_list(static_cast<Commands&&>(commands)), opts, where);
}

/// A lazy input range of (index, result) pairs, in the order the commands
/// finish; each increment waits for the next one. Leaving it early stops
/// every command still running.
class parallel_range {
 public:
  using value_type = std::pair<std::size_t, result>;
  class iterator {
   public:
    using iterator_concept = std::input_iterator_tag;
    using iterator_category = std::input_iterator_tag;
    using value_type = parallel_range::value_type;
    using difference_type = std::ptrdiff_t;

    iterator() = default;
    value_type& operator*() const noexcept { return *current_; }
    iterator& operator++() {
      done_ = !run_ || !detail::next_finished(*run_, *current_);
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept { return it.done_; }

   private:
    friend class parallel_range;
    iterator(detail::parallel_run* run, value_type* current) : run_(run), current_(current) { ++*this; }
    detail::parallel_run* run_ = nullptr;
    value_type* current_ = nullptr;
    bool done_ = true;
  };

  explicit parallel_range(detail::handle<detail::parallel_run> run) : run_(std::move(run)) {}
  /// Starts waiting; call once (this is an input range).
  iterator begin();
  std::default_sentinel_t end() const noexcept { return {}; }

 private:
  detail::handle<detail::parallel_run> run_;
  value_type current_;
};

/// As parallel(), but yields each (index, result) as soon as it finishes.
template <class Commands>
[[nodiscard]] parallel_range parallel_unordered(Commands&& commands, const parallel_options& opts = {},
                                                shpp::source_location where = shpp::source_location::current()) {
  return parallel_range(detail::start_parallel(detail::command_list(static_cast<Commands&&>(commands)), opts, where));
}

}  // namespace shpp
