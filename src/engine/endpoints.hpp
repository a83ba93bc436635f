// Our ends of a run's pipes, in one place: captures read to their end (stdout
// into a capture_buffer, stderr chunk by chunk), memory fed to a stage's
// stdin, and the stream that lines() pulls. One growth policy for every pipe
// we read (posix/capture_buffer.hpp: widen_if_large).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "posix/capture_buffer.hpp"
#include "posix/fd.hpp"

namespace shpp::detail {

/// What the endpoints tell their run. Every async operation they start is
/// announced with op_started() and ends with op_done(), the handler's last call.
class endpoint_events {
 public:
  virtual void on_stderr(std::size_t stage, std::string_view chunk) = 0;
  virtual void on_pipe_closed() = 0;
  virtual void op_started() = 0;
  virtual void op_done() = 0;

 protected:
  ~endpoint_events() = default;
};

class endpoints {
 public:
  endpoints(boost::asio::io_context& ctx, endpoint_events& events) : ctx_(ctx), events_(events) {}

  /// A pipe whose write end `stage` gets for stdout (is_err false) or stderr; reading starts now.
  unique_fd capture(std::size_t stage, bool is_err);
  /// A pipe whose read end `stage` gets as stdin; `data` is written once start_feeding() is called.
  unique_fd feed(std::size_t stage, std::shared_ptr<const std::string> data);
  /// lines(): the pipe whose write end the last stage gets as stdout.
  unique_fd stream();

  bool feeding() const noexcept { return !writers_.empty(); }
  void start_feeding();
  /// Nobody is left to read our input.
  void stop_feeding();
  /// lines(): appends the next chunk of the stream to `buf`, driving `drive`
  /// until it arrives; false at its end.
  template <class Drive>
  bool read_stream(std::string& buf, Drive drive);

  bool any_read_open() const;
  /// A capture of stage `stage` is still open (the lines() stream does not count).
  bool stage_capture_open(std::size_t stage) const;
  /// Closes every end; the stream counts as closed by us.
  void close_all();
  /// Closes the ends of one stage (its deadline passed); `last` includes the stream.
  void close_stage(std::size_t stage, bool last);
  bool stream_closed_by_us() const noexcept { return stream_closed_by_us_; }
  /// Every captured stdout, in stage order; the buffers are empty afterwards.
  std::string take_stdout();

 private:
  struct reader {
    boost::asio::posix::stream_descriptor pipe;
    std::size_t stage;
    bool is_err;
    capture_buffer data;      // stdout: everything that arrived
    std::vector<char> chunk;  // stderr: one read
    std::size_t got = 0;      // bytes read so far
    bool widened = false;     // its pipe grew (widen_if_large)
  };
  struct writer {
    boost::asio::posix::stream_descriptor pipe;
    std::size_t stage;
    std::shared_ptr<const std::string> data;
  };

  void start_read(reader& r);
  void on_read(reader& r, boost::system::error_code ec, std::size_t n);
  bool start_stream_read(std::string& buf, std::size_t old, bool& got, bool& eof, std::size_t& n_read);
  bool end_stream_read(std::string& buf, std::size_t old, bool got, bool eof, std::size_t n_read);

  boost::asio::io_context& ctx_;
  endpoint_events& events_;
  std::vector<std::unique_ptr<reader>> readers_;
  std::vector<std::unique_ptr<writer>> writers_;
  std::optional<boost::asio::posix::stream_descriptor> stream_;
  bool stream_closed_by_us_ = false;
  std::size_t stream_got_ = 0;
  bool stream_widened_ = false;
};

template <class Drive>
bool endpoints::read_stream(std::string& buf, Drive drive) {
  const std::size_t old = buf.size();
  bool got = false, eof = false;
  std::size_t n_read = 0;
  if (!start_stream_read(buf, old, got, eof, n_read)) return false;
  drive([&] { return got; });
  return end_stream_read(buf, old, got, eof, n_read);
}

}  // namespace shpp::detail
