#include "engine/endpoints.hpp"

#include <algorithm>

#include <boost/asio/write.hpp>

namespace shpp::detail {
namespace asio = boost::asio;

namespace {

constexpr std::size_t chunk_size = 64 * 1024;  // a lines() read, and a stderr read

}  // namespace

unique_fd endpoints::capture(std::size_t stage, bool is_err) {
  pipe_fds p = make_pipe();
  auto r = std::make_unique<reader>(reader{asio::posix::stream_descriptor(ctx_, p.read.release()), stage, is_err, {}, {}});
  if (is_err) r->chunk.resize(chunk_size);
  start_read(*r);
  readers_.push_back(std::move(r));
  return std::move(p.write);
}

unique_fd endpoints::feed(std::size_t stage, std::shared_ptr<const std::string> data) {
  pipe_fds p = make_pipe();
  writers_.push_back(std::make_unique<writer>(writer{asio::posix::stream_descriptor(ctx_, p.write.release()), stage, std::move(data)}));
  return std::move(p.read);
}

unique_fd endpoints::stream() {
  pipe_fds p = make_pipe();
  stream_.emplace(ctx_, p.read.release());
  return std::move(p.write);
}

void endpoints::start_read(reader& r) {
  const std::span<char> room = r.is_err ? std::span<char>(r.chunk) : r.data.room();
  events_.op_started();
  r.pipe.async_read_some(asio::buffer(room.data(), room.size()), [this, &r](boost::system::error_code ec, std::size_t n) {
    on_read(r, ec, n);
    events_.op_done();
  });
}

void endpoints::on_read(reader& r, boost::system::error_code ec, std::size_t n) {
  if (r.is_err)
    events_.on_stderr(r.stage, std::string_view(r.chunk.data(), n));
  else
    r.data.commit(n);
  r.got += n;
  if (ec) {
    boost::system::error_code ignored;
    r.pipe.close(ignored);
    events_.on_pipe_closed();
    return;
  }
  widen_if_large(r.pipe.native_handle(), r.got, r.widened);
  start_read(r);
}

void endpoints::start_feeding() {
  for (auto& w : writers_) {
    writer* wp = w.get();
    events_.op_started();
    asio::async_write(wp->pipe, asio::buffer(*wp->data), [this, wp](boost::system::error_code, std::size_t) {
      // EPIPE means the child stopped reading: as in Bash, not an error.
      boost::system::error_code ignored;
      wp->pipe.close(ignored);
      events_.op_done();
    });
  }
}

void endpoints::stop_feeding() {
  boost::system::error_code ignored;
  for (auto& w : writers_) w->pipe.close(ignored);
}

bool endpoints::start_stream_read(std::string& buf, std::size_t old, bool& got, bool& eof, std::size_t& n_read) {
  if (!stream_ || !stream_->is_open()) return false;
  buf.resize(old + chunk_size);
  events_.op_started();
  stream_->async_read_some(asio::buffer(buf.data() + old, chunk_size), [&, old](boost::system::error_code ec, std::size_t n) {
    buf.resize(old + n);
    n_read = n;
    got = true;
    eof = ec.failed() && n == 0;
    events_.op_done();
  });
  return true;
}

bool endpoints::end_stream_read(std::string& buf, std::size_t old, bool got, bool eof, std::size_t n_read) {
  if (!got) {  // the loop ran dry without completing the read: cannot happen while the pipe is open
    buf.resize(old);
    return false;
  }
  if (eof) {
    boost::system::error_code ignored;
    stream_->close(ignored);
    events_.on_pipe_closed();
    return false;
  }
  stream_got_ += n_read;
  widen_if_large(stream_->native_handle(), stream_got_, stream_widened_);
  return true;
}

bool endpoints::any_read_open() const {
  return std::any_of(readers_.begin(), readers_.end(), [](const auto& r) { return r->pipe.is_open(); }) ||
         (stream_ && stream_->is_open());
}

bool endpoints::stage_capture_open(std::size_t stage) const {
  return std::any_of(readers_.begin(), readers_.end(),
                     [stage](const auto& r) { return r->stage == stage && r->pipe.is_open(); });
}

void endpoints::close_all() {
  boost::system::error_code ignored;
  for (auto& r : readers_) r->pipe.close(ignored);
  for (auto& w : writers_) w->pipe.close(ignored);
  if (stream_ && stream_->is_open()) {
    stream_->close(ignored);
    stream_closed_by_us_ = true;
  }
}

void endpoints::close_stage(std::size_t stage, bool last) {
  boost::system::error_code ignored;
  for (auto& r : readers_)
    if (r->stage == stage) r->pipe.close(ignored);
  for (auto& w : writers_)
    if (w->stage == stage) w->pipe.close(ignored);
  if (last && stream_ && stream_->is_open()) {
    stream_->close(ignored);
    stream_closed_by_us_ = true;
  }
}

std::string endpoints::take_stdout() {
  std::string out;
  // Several stages may capture stdout: their outputs join in stage order.
  for (auto& r : readers_) {
    if (r->is_err) continue;
    if (out.empty())
      out = r->data.take();
    else
      out += r->data.take();
  }
  return out;
}

}  // namespace shpp::detail
