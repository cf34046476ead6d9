// The shared parts of project-level predicate evaluation.
#include "rules/evaluation.h"

#include <algorithm>

#include "rules/rule.h"

namespace mlops {

std::optional<size_t> ProjectView::project_file(std::string_view path) const {
  std::optional<size_t> f = find(path);
  const auto& own = project_files();
  if (!f || !std::binary_search(own.begin(), own.end(), *f)) return std::nullopt;
  return f;
}

bool ProjectPredicate::touches(const RuleSet& rules, const std::string& rel) const {
  for (size_t q : queries())
    if (query_applies_to(rules.queries[q], rel)) return true;
  return false;
}

}  // namespace mlops
