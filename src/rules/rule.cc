// Rule model helpers: lookups and the stable practice list.
#include "rules/rule.h"

#include <algorithm>

namespace mlops {

const Rule* RuleSet::find(const std::string& id) const {
  auto it = std::lower_bound(rules.begin(), rules.end(), id,
                             [](const Rule& r, const std::string& key) { return r.id < key; });
  return it != rules.end() && it->id == id ? &*it : nullptr;
}

const std::vector<std::string>& known_practices() {
  static const std::vector<std::string> slugs = {"data_versioning",
                                                 "data_split",
                                                 "data_validation",
                                                 "experiment_tracking",
                                                 "config_management",
                                                 "seeds",
                                                 "dependency_pinning",
                                                 "tests",
                                                 "ci",
                                                 "ci_runs_tests",
                                                 "linting",
                                                 "model_versioning",
                                                 "deployment",
                                                 "monitoring",
                                                 "rollback",
                                                 "documentation",
                                                 "large_files_managed",
                                                 "code_in_modules",
                                                 "privacy",
                                                 "team_process",
                                                 "notebook_hygiene",
                                                 "hyperparameter_tuning",
                                                 "explainability",
                                                 "model_validation",
                                                 "pipeline_automation"};
  return slugs;
}

}  // namespace mlops
