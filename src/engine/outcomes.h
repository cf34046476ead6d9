// Rule outcomes for one project: the project's kind, then every rule's result (requirement or
// pattern) and the findings it makes. Internal to the engine.
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/evaluator.h"
#include "engine/layout.h"
#include "repo/snapshot.h"
#include "rules/rule.h"

namespace mlops::engine {

// Evidence locations kept per rule result and per practice.
inline constexpr size_t kMaxEvidence = 20;

// Evaluates the rules for one project through its evaluator.
class ProjectChecker {
 public:
  ProjectChecker(const RuleSet& rules, const std::vector<FileEntry>& files, const Layout& layout,
                 const Project& project, Evaluator& ev, const CheckOptions& options,
                 const std::set<size_t>& only_files, Evaluator* shared_ev = nullptr,
                 Evaluator* sibling_ev = nullptr)
      : rules_(rules),
        files_(files),
        layout_(layout),
        project_(project),
        ev_(ev),
        shared_ev_(shared_ev),
        sibling_ev_(sibling_ev),
        options_(options),
        only_files_(only_files) {}

  // Fills the report's conditions, kind and rule results; findings are appended.
  void run(ProjectReport& report, std::vector<Finding>& findings, const Snapshot& snapshot);

 private:
  // With --files, whether the checked files can change the rule's outcome.
  bool affected(const Rule& rule);
  const RuleResult& result_of(const Rule& rule, std::vector<Finding>& findings);
  RuleResult evaluate(const Rule& rule, std::vector<Finding>& findings);
  RuleResult evaluate_in(const Rule& rule, std::vector<Finding>& findings, bool observing);
  RuleResult requirement(const Rule& rule, const Eval& check, std::vector<Finding>& findings);
  RuleResult pattern(const Rule& rule, const Eval& check, std::vector<Finding>& findings);
  std::string project_name() const;

  const RuleSet& rules_;
  const std::vector<FileEntry>& files_;
  const Layout& layout_;
  const Project& project_;
  Evaluator& ev_;
  // The project with its shared infrastructure (Project::shared), for the requirement rules
  // credited_from_shared(); nullptr when it has none.
  Evaluator* shared_ev_;
  // That, with the infrastructure siblings' files too, for credited_from_siblings(); or nullptr.
  Evaluator* sibling_ev_;
  const CheckOptions& options_;
  const std::set<size_t>& only_files_;
  std::string kind_ = "application";
  std::map<std::string, RuleResult> results_;
  std::set<std::string> in_progress_;
};

}  // namespace mlops::engine
