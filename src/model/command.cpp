#include "shpp/command.hpp"

#include <algorithm>
#include <csignal>
#include <system_error>

#include "api/background.hpp"
#include "engine/execution.hpp"
#include "engine/loop.hpp"
#include "engine/status_rules.hpp"
#include "api/line_reader.hpp"
#include "api/trace.hpp"
#include "model/command_access.hpp"
#include "model/node.hpp"
#include "plan/plan.hpp"
#include "model/render.hpp"
#include "shpp/error.hpp"
#include "shpp/quote.hpp"

namespace shpp {
namespace {

command wrap(const command& c, detail::modifier op) {
  return detail::command_access::from_node(
      detail::make_node(detail::modifier_node{std::move(op), detail::command_access::node(c)}));
}

}  // namespace

command command::from_argv(std::vector<std::string> argv) {
  return command(detail::make_node(detail::argv_node{std::move(argv), {}}));
}


command command::out(const output& target) const { return wrap(*this, detail::stdout_op{target}); }
command command::err(const output& target) const { return wrap(*this, detail::stderr_op{target}); }
command command::in(const path_arg& path) const { return wrap(*this, detail::stdin_op{detail::stdin_file{path.str()}}); }
command command::on(const host& where) const { return wrap(*this, detail::on_op{where}); }
command command::in(null_t) const { return wrap(*this, detail::stdin_op{null}); }
command command::input(std::string data) const {
  return wrap(*this, detail::stdin_op{detail::stdin_memory{std::make_shared<const std::string>(std::move(data))}});
}
command command::cwd(const path_arg& dir) const { return wrap(*this, detail::cwd_op{dir.str()}); }
// A name with '=' or NUL, or an empty one, cannot be one variable of an environment.
static std::string env_name(std::string_view key) {
  if (key.empty() || key.find_first_of(std::string_view("=\0", 2)) != std::string_view::npos)
    throw usage_error("shpp: \"" + std::string(key.substr(0, key.find('\0'))) +
                      "\" is not a valid environment variable name (empty, or holds '=' or a NUL byte)");
  return std::string(key);
}

command command::env(std::string_view key, std::string_view value) const {
  return wrap(*this, detail::env_set_op{env_name(key), std::string(value)});
}
command command::env_remove(std::string_view key) const { return wrap(*this, detail::env_remove_op{env_name(key)}); }
command command::env_clear() const { return wrap(*this, detail::env_clear_op{}); }
command command::timeout_ns(std::chrono::nanoseconds limit) const {
  if (limit.count() <= 0) throw usage_error("shpp: a timeout must be positive");
  // Saturate: a deadline of now + nanoseconds::max() would overflow the clock.
  constexpr std::chrono::nanoseconds longest = std::chrono::hours(24 * 365 * 100);
  return wrap(*this, detail::timeout_op{std::min(limit, longest)});
}
command command::unchecked() const { return wrap(*this, detail::unchecked_op{}); }
command command::ok_codes(std::vector<int> codes) const { return wrap(*this, detail::ok_codes_op{std::move(codes)}); }

command operator|(const command& left, const command& right) {
  using detail::command_access;
  return command_access::from_node(
      detail::make_node(detail::pipe_node{command_access::node(left), command_access::node(right)}));
}

namespace {
command make_list(detail::list_node::op kind, const command& left, const command& right) {
  using detail::command_access;
  return command_access::from_node(
      detail::make_node(detail::list_node{kind, command_access::node(left), command_access::node(right)}));
}
}  // namespace

command operator&&(const command& left, const command& right) {
  return make_list(detail::list_node::op::and_then, left, right);
}
command operator||(const command& left, const command& right) {
  return make_list(detail::list_node::op::or_else, left, right);
}
command operator!(const command& c) {
  using detail::command_access;
  return command_access::from_node(detail::make_node(detail::not_node{command_access::node(c)}));
}

command detail::make_group(std::vector<command> members) {
  command body = members.front();
  for (std::size_t i = 1; i < members.size(); ++i) body = make_list(list_node::op::then, body, members[i]);
  return command_access::from_node(make_node(group_node{command_access::node(body), true}));
}

std::string command::to_string() const { return detail::render(*node_); }

namespace {

// A run with no loop (no fd left for its epoll): no stage can start, a
// launch failure like any other.
result without_loop(const detail::launch_plan& plan, const std::system_error& e) {
  return detail::unstarted_result(plan, {126, "cannot start " + detail::render_stage(plan.stages.front()) + ": " + e.what()});
}

// Runs `plan` to its end on the calling thread's loop.
result finish_here(const detail::launch_plan& plan) {
  detail::loop_ptr lp;
  try {
    lp = detail::loop::of_this_thread();
  } catch (const std::system_error& e) {
    return without_loop(plan, e);
  }
  detail::execution run(plan, detail::run_mode::foreground, *lp);
  return run.finish();
}

// The plan of a run about to start, with the caller's line, traced for SHPP_TRACE.
detail::launch_plan planned(const detail::node_ptr& root, shpp::source_location where, bool stream_stdout = false) {
  detail::launch_plan plan = detail::make_plan(root, stream_stdout);
  plan.where = where;
  detail::trace(plan);
  return plan;
}

}  // namespace

result command::run(location where) const {
  const detail::launch_plan plan = planned(node_, where);
  return detail::throw_if_failed(plan, finish_here(plan));
}

std::string command::read(location where) const {
  std::string text = out(capture).run(where).out;
  // As $(...): every trailing newline goes.
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

int command::status(location where) const { return finish_here(planned(node_, where)).code(); }

bool command::ok(location where) const { return finish_here(planned(node_, where)).ok(); }

line_range command::lines(location where) const {
  auto plan = planned(node_, where, /*stream_stdout=*/true);
  try {
    return line_range(detail::handle<detail::line_reader>(new detail::line_reader(plan)));
  } catch (const std::system_error& e) {
    detail::throw_if_failed(plan, without_loop(plan, e));
    throw;
  }
}

job command::spawn(location where) const {
  auto* started = new detail::background(planned(node_, where));
  job j(started);
  if (started->launch_failed()) j.wait();  // like run(): throws at once for a checked stage
  return j;
}

}  // namespace shpp

namespace shpp::detail {

void retain(const counted* c) noexcept { c->refs.fetch_add(1, std::memory_order_relaxed); }
void release(const counted* c) noexcept {
  if (c->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete c;
}

}  // namespace shpp::detail
