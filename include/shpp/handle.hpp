// A reference-counted pointer to one of the library's private objects, so
// that public headers need neither <memory> nor the object's definition. The
// count lives in the object; retain/release are compiled in src/.
#pragma once

#include <utility>  // std::exchange

namespace shpp::detail {

struct node;
class line_reader;
void retain(const node*) noexcept;
void release(const node*) noexcept;
void retain(const line_reader*) noexcept;
void release(const line_reader*) noexcept;

template <class T>
class handle {
 public:
  handle() = default;
  /// Adopts `p`, whose count starts at one.
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

  T* get() const noexcept { return p_; }
  T& operator*() const noexcept { return *p_; }
  T* operator->() const noexcept { return p_; }
  explicit operator bool() const noexcept { return p_ != nullptr; }

 private:
  T* p_ = nullptr;
};

}  // namespace shpp::detail
