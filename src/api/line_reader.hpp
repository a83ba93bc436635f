// The engine behind line_range: pulls the stream pipe chunk by chunk and cuts
// it into lines, keeping at most one partial line plus one chunk in memory.
#pragma once

#include <atomic>
#include <string>
#include <string_view>

#include "engine/execution.hpp"
#include "engine/loop.hpp"
#include "model/counted.hpp"

namespace shpp::detail {

class line_reader final : public counted {
 public:
  explicit line_reader(launch_plan plan);

  /// The next line, or false at the end (after checking every stage: throws shpp::error).
  bool next(std::string_view& line);


 private:
  loop_ptr loop_;  // before exec_: the run is gone before its loop
  execution exec_;
  std::string buf_;
  std::size_t pos_ = 0;   // start of the unread part of buf_
  std::size_t scan_ = 0;  // where to look for the next '\n'
  bool eof_ = false;
  bool done_ = false;
};

}  // namespace shpp::detail
