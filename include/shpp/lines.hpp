// The lazy range returned by command::lines(): one line of the last stage's
// stdout at a time, read straight from the pipe with bounded memory.
#pragma once

#include <cstddef>  // std::ptrdiff_t
#include <string>   // and std::default_sentinel_t, std::input_iterator_tag, std::ranges::view_base
#include <string_view>

#include "shpp/handle.hpp"

namespace shpp {
namespace detail {
class line_reader;  // the engine behind a line_range
}


/// An input range of the lines of a running pipeline. Each line comes without
/// its '\n'; the string_view stays valid until the iterator is incremented.
/// Reaching the end checks every stage and throws shpp::error on failure.
/// Destroying the range early (a `break`) closes the pipe, stops and reaps
/// every process, and throws nothing.
class line_range : public std::ranges::view_base {
 public:
  class iterator {
   public:
    using iterator_concept = std::input_iterator_tag;
    using iterator_category = std::input_iterator_tag;
    using value_type = std::string;
    using difference_type = std::ptrdiff_t;
    using reference = std::string_view;

    iterator() = default;
    std::string_view operator*() const noexcept { return line_; }
    iterator& operator++();
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept { return it.done_; }

   private:
    friend class line_range;
    explicit iterator(detail::line_reader* reader) : reader_(reader) { ++*this; }
    detail::line_reader* reader_ = nullptr;
    std::string_view line_;
    bool done_ = true;
  };

  line_range() = default;
  explicit line_range(detail::handle<detail::line_reader> reader) : reader_(std::move(reader)) {}

  /// Starts reading; call once (this is an input range).
  iterator begin();
  std::default_sentinel_t end() const noexcept { return {}; }

 private:
  detail::handle<detail::line_reader> reader_;
};

}  // namespace shpp

// A view for range-v3 too, so that `cmd(...).lines() | ranges::views::filter(f)`
// works on the temporary. Declaring range-v3's customization point costs
// nothing and needs none of its headers.
namespace ranges::ext {
template <typename T>
struct enable_view;
template <>
struct enable_view<shpp::line_range> {
  static constexpr bool value = true;
};
}  // namespace ranges::ext
