// A reference-counted pointer to one of the library's private objects, so
// that public headers need neither <memory> nor the object's definition. The
// count lives in the object (a detail::counted, defined in src/); one
// retain/release pair, compiled in src/, serves every such type.
#pragma once

#include <utility>  // std::exchange

namespace shpp::detail {

struct counted;
void retain(const counted*) noexcept;
void release(const counted*) noexcept;

template <class T>
class handle {
 public:
  handle() = default;
  /// Adopts `p`, whose count starts at one (T derives from counted: src/ only).
  explicit handle(T* p) noexcept : p_(p) {}
  handle(const handle& o) noexcept : p_(o.p_) {
    if (p_) retain(p_);
  }
  handle(handle&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  handle& operator=(handle o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~handle() {
    if (p_) release(p_);
  }

  // These need T's definition, so only src/ uses them.
  T* get() const noexcept { return static_cast<T*>(const_cast<counted*>(p_)); }
  T& operator*() const noexcept { return *get(); }
  T* operator->() const noexcept { return get(); }
  explicit operator bool() const noexcept { return p_ != nullptr; }

 private:
  const counted* p_ = nullptr;
};

}  // namespace shpp::detail
