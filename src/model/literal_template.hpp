// A literal's tree built once, with a slot where each {} goes, then filled
// per call: subtrees without a slot are shared, so building a literal costs
// less than building the same command with the fluent API (bench row 17).
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "model/node.hpp"

namespace shpp::detail {

class literal_template {
 public:
  /// The text a slot is written as while the template is built: it cannot
  /// occur in a literal (templates are made only of literals without \x1f).
  static std::string slot(std::size_t index);
  static constexpr char mark = '\x1f';

  explicit literal_template(node_ptr tree);
  /// The tree with every slot filled from `args` (a whole-word slot splats).
  node_ptr fill(const std::vector<std::vector<std::string>>& args) const;

 private:
  bool marks(const node& n);
  node_ptr fill(const node_ptr& n, const std::vector<std::vector<std::string>>& args) const;

  node_ptr tree_;
  std::unordered_set<const node*> with_slots_;  // nodes with a slot in them or below
};

}  // namespace shpp::detail
