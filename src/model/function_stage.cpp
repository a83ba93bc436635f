// Building function stages: one node per stage, holding the erased callable
// and the name errors show.
#include "shpp/function_stage.hpp"

#include "model/command_access.hpp"
#include "model/function_body.hpp"
#include "model/node.hpp"
#include "shpp/error.hpp"

namespace shpp::detail {
namespace {

command make_stage(void* object, function_body::call call, object_delete del, const char* shown) {
  function_body* body = nullptr;
  try {
    body = new function_body(object, call, del);
  } catch (...) {
    del(object);
    throw;
  }
  handle<const function_body> owned(body);
  return command_access::from_node(make_node(function_node{std::move(owned), shown}));
}

}  // namespace

command make_filter(void* object, line_test test, object_delete del) {
  return make_stage(object, test, del, "filter(...)");
}
command make_map(void* object, line_rewrite rewrite, object_delete del) {
  return make_stage(object, rewrite, del, "map(...)");
}
command make_stream_stage(void* object, stream_transform transform, object_delete del) {
  return make_stage(object, transform, del, "stage(...)");
}
command make_line_source(void* object, line_source source, object_delete del) {
  return make_stage(object, source, del, "lines_of(...)");
}

command rename_function_stage(const command& stage, std::string_view name) {
  const auto* f = std::get_if<function_node>(&command_access::node(stage)->kind);
  if (!f) throw usage_error("shpp: .named() applies to a function stage itself, before any modifier");
  return command_access::from_node(make_node(function_node{f->body, std::string(name)}));
}

}  // namespace shpp::detail
