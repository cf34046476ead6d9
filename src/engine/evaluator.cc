// Helpers of the expression evaluator that need no evaluator state: include references and
// what a glob says of the file names it matches.
#include "engine/evaluator.h"

namespace mlops::engine {

std::optional<std::pair<bool, std::string>> include_ref(const Match& m) {
  if (m.kind != FactKind::RequirementInclude && m.kind != FactKind::RequirementConstraint)
    return std::nullopt;
  return std::pair<bool, std::string>{m.kind == FactKind::RequirementConstraint, std::string(m.value())};
}

std::string_view glob_extension(std::string_view g) {
  std::string_view seg = g.substr(g.rfind('/') + 1);
  size_t dot = seg.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == seg.size()) return {};
  // A literal tail only (`x[.]txt` holds its dot in a class: not an extension).
  if (seg.find_first_of("*?[]\\", dot) != std::string_view::npos) return {};
  return seg.substr(dot);
}

std::string_view literal_name(std::string_view g) {
  std::string_view seg = g.substr(g.rfind('/') + 1);
  if (seg.empty() || seg.find_first_of("*?[\\") != std::string_view::npos) return {};
  return seg;
}

}  // namespace mlops::engine
