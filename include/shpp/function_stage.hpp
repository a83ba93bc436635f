// C++ functions as pipeline stages: filter(), map(), stage() and lines_of().
//
//   (cmd("ls") | filter([](std::string_view l) { return l.ends_with(".cpp"); }) | cmd("wc", "-l")).read();
//   (cmd("seq", 3) | map([](std::string_view l) { return fmt::format("<{}>", l); })).read();  // "<1>\n<2>\n<3>"
//   (lines_of(names) | cmd("sort")).run();
//
// Each runs on a thread of its own, joined to its neighbours by real pipes
// (backpressure, memory bounded by the longest line). A stage that throws
// fails like a command; one whose reader went away ends quietly, as a command
// by SIGPIPE. Timeouts, job::kill() and leaving a lines() loop stop it too.
//
// The templates only pack the callable (a pointer and the functions that know
// its type, fmt's way): every stage is one compiled type in the library.
#pragma once

#include <iosfwd>  // std::istream, std::ostream
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "shpp/command.hpp"

namespace shpp {
namespace detail {

class line_sink;  // where lines_of() writes: the stage's stdout
/// Appends `line` and a '\n' to the stage's output; false once nobody reads it
/// any more (or the stage was stopped): the source should end then.
bool put_line(line_sink& sink, std::string_view line);

using object_delete = void (*)(void*) noexcept;
using line_test = bool (*)(void*, std::string_view);
using line_rewrite = void (*)(void*, std::string_view, std::string&);
using stream_transform = void (*)(void*, std::istream&, std::ostream&);
using line_source = void (*)(void*, line_sink&);

// Each takes ownership of `object` (deleted with `del`, also when it throws).
command make_filter(void* object, line_test test, object_delete del);
command make_map(void* object, line_rewrite rewrite, object_delete del);
command make_stream_stage(void* object, stream_transform transform, object_delete del);
command make_line_source(void* object, line_source source, object_delete del);
command rename_function_stage(const command& stage, std::string_view name);

template <class F>
void delete_object(void* p) noexcept {
  delete static_cast<F*>(p);
}

template <class T>
void put_element(std::string& scratch, const T& element) {
  if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    scratch.assign(std::string_view(element));
  } else {
    scratch = fmt::format("{}", element);
  }
}

}  // namespace detail

/// A command that is a function on a thread; `.named()` gives it the name
/// errors show (by default `filter(...)`, `map(...)`, `stage(...)` or `lines_of(...)`).
class [[nodiscard]] function_stage : public command {
 public:
  explicit function_stage(command c) : command(std::move(c)) {}
  function_stage named(std::string_view name) const {
    return function_stage(detail::rename_function_stage(*this, name));
  }
};

/// `grep`-like: keeps the lines (without their '\n') for which `pred` is true.
template <class Pred>
function_stage filter(Pred pred) {
  using F = std::decay_t<Pred>;
  return function_stage(detail::make_filter(
      new F(std::move(pred)), [](void* f, std::string_view line) { return static_cast<bool>((*static_cast<F*>(f))(line)); },
      &detail::delete_object<F>));
}

/// `sed`-like: writes `f(line)` (anything convertible to std::string_view) and a '\n' for each line.
template <class Fn>
function_stage map(Fn f) {
  using F = std::decay_t<Fn>;
  return function_stage(detail::make_map(
      new F(std::move(f)),
      [](void* fn, std::string_view line, std::string& out) {
        out.append(std::string_view((*static_cast<F*>(fn))(line)));
        out.push_back('\n');
      },
      &detail::delete_object<F>));
}

/// Any transform of the stream: `f(std::istream& in, std::ostream& out)`.
template <class Fn>
function_stage stage(Fn f) {
  using F = std::decay_t<Fn>;
  return function_stage(detail::make_stream_stage(
      new F(std::move(f)), [](void* fn, std::istream& in, std::ostream& out) { (*static_cast<F*>(fn))(in, out); },
      &detail::delete_object<F>));
}

/// Starts a pipeline from a range (copied): one line per element, strings as
/// they are, anything else as fmt formats it.
template <class Range>
function_stage lines_of(Range range) {
  using R = std::decay_t<Range>;
  return function_stage(detail::make_line_source(
      new R(std::move(range)),
      [](void* r, detail::line_sink& sink) {
        std::string scratch;
        for (const auto& element : *static_cast<R*>(r)) {
          detail::put_element(scratch, element);
          if (!detail::put_line(sink, scratch)) return;
        }
      },
      &detail::delete_object<R>));
}

}  // namespace shpp
