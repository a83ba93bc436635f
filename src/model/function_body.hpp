// The private side of a function stage (shpp/function_stage.hpp): the user's
// callable, erased to an object pointer and the functions that know its type.
// Immutable once built and shared by every command and run that holds it; a
// run calls it from the stage's own thread.
#pragma once

#include <variant>

#include "model/counted.hpp"
#include "shpp/function_stage.hpp"

namespace shpp::detail {

struct function_body final : counted {
  using call = std::variant<line_test, line_rewrite, stream_transform, line_source>;
  function_body(void* obj, call c, object_delete d) : object(obj), invoke(c), del(d) {}
  ~function_body() override { del(object); }

  void* object;
  call invoke;
  object_delete del;
};

}  // namespace shpp::detail
