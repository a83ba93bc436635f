// How a run's stages get their fds: the pipes between them, process
// substitution links, files, /dev/null, captures and feeds (through the run's
// endpoints), the fds a group stage hands down, and the FIFOs that must be
// opened on the loop. One object per run, used while it launches.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "engine/endpoints.hpp"
#include "engine/execution.hpp"
#include "engine/fifo_wait.hpp"
#include "engine/stage.hpp"
#include "plan/plan.hpp"
#include "posix/fd.hpp"

namespace shpp::detail {

class stage_wiring {
 public:
  stage_wiring(const launch_plan& plan, endpoints& io, inherited_fds inherited);

  /// The fds of stage `i`, or why it cannot start (a file that cannot be
  /// opened: status 1). `fifos` gets the named pipes to open on the loop.
  std::optional<launch_failure> wire(std::size_t i, stage_fds& fds, std::vector<fifo_redirect>& fifos);
  /// Launching is over: pipes nobody took close (`a | b < f`: a gets SIGPIPE, as in Bash).
  void done();

 private:
  std::optional<launch_failure> wire_output(const output& target, std::size_t i, bool is_err, unique_fd& fd,
                                            std::vector<fifo_redirect>& fifos);

  const launch_plan& plan_;
  endpoints& io_;
  inherited_fds inherited_;
  std::vector<unique_fd> pipe_reads_;  // the read ends of pipes between stages, by the stage that writes them
  std::vector<unique_fd> link_ends_;   // the user's ends of process-substitution links
};

}  // namespace shpp::detail
