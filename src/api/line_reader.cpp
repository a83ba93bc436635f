#include "api/line_reader.hpp"

#include <cstring>

#include "engine/loop.hpp"
#include "engine/status_rules.hpp"
#include "shpp/lines.hpp"

namespace shpp::detail {

line_reader::line_reader(launch_plan plan)
    : loop_(loop::of_this_thread()), exec_(std::move(plan), run_mode::stream, *loop_) {}

bool line_reader::next(std::string_view& line) {
  if (done_) return false;
  while (true) {
    if (scan_ < buf_.size()) {
      const char* nl = static_cast<const char*>(std::memchr(buf_.data() + scan_, '\n', buf_.size() - scan_));
      if (nl) {
        const std::size_t end = static_cast<std::size_t>(nl - buf_.data());
        line = std::string_view(buf_.data() + pos_, end - pos_);
        pos_ = scan_ = end + 1;
        return true;
      }
      scan_ = buf_.size();
    }
    if (eof_) {
      if (pos_ < buf_.size()) {  // a last line without '\n'
        line = std::string_view(buf_.data() + pos_, buf_.size() - pos_);
        pos_ = scan_ = buf_.size();
        return true;
      }
      done_ = true;
      throw_if_failed(exec_.plan(), exec_.finish());
      return false;
    }
    // Drop what was handed out before reading more: memory stays bounded.
    if (pos_ > 0) {
      buf_.erase(0, pos_);
      scan_ -= pos_;
      pos_ = 0;
    }
    if (!exec_.read_stream(buf_)) eof_ = true;
  }
}



}  // namespace shpp::detail

namespace shpp {

line_range::iterator line_range::begin() { return iterator(reader_.get()); }

line_range::iterator& line_range::iterator::operator++() {
  done_ = !reader_ || !reader_->next(line_);
  return *this;
}

}  // namespace shpp
