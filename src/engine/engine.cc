// Rule engine: runs a check by its parts — the project layout (layout.h), the analysis of the
// files the rules' queries need (scheduler.h), each project's outcomes (outcomes.h), practice
// statuses (practices.cc) and the finished result (result.h).
#include "engine/engine.h"

#include <algorithm>
#include <optional>

#include "engine/evaluator.h"
#include "engine/layout.h"
#include "engine/outcomes.h"
#include "engine/query_plan.h"
#include "engine/result.h"
#include "engine/scheduler.h"
#include "util/hash.h"

namespace mlops {

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::Pass:
      return "pass";
    case Outcome::Fail:
      return "fail";
    case Outcome::NotApplicable:
      return "not_applicable";
    case Outcome::Skipped:
      return "skipped";
    case Outcome::Error:
      return "error";
  }
  return "error";
}

std::string ruleset_signature(const RuleSet& rules) {
  uint64_t h = fnv1a64(MLOPS_LINT_VERSION);
  for (const auto& q : rules.queries) h = fnv1a64(q.fingerprint() + "\n", h);
  return hex64(h);
}

CheckResult run_check(const Snapshot& snapshot, const RuleSet& rules, const CheckOptions& options) {
  CheckResult result;
  const auto& files = snapshot.files();
  result.files_listed = files.size();
  result.diagnostics = snapshot.diagnostics();
  engine::Layout layout = engine::detect_projects(files);

  std::set<size_t> only_files;
  for (const auto& p : options.only_files)
    if (auto f = engine::find_file(files, p)) only_files.insert(*f);

  // With --files, other files only need the queries that project-level outcomes depend on.
  std::vector<bool> global_needed(rules.queries.size(), true);
  if (!options.only_files.empty())
    global_needed = engine::queries_for_checked_files(rules, layout, only_files);

  // Includes are followed from every requirements file, whatever files are checked.
  if (rules.includes_query < global_needed.size()) global_needed[rules.includes_query] = true;
  std::vector<FileFacts> facts;
  std::vector<engine::FileExistsCache> file_caches;  // per project
  engine::analyse_files(snapshot, rules, layout, global_needed, only_files, options, facts, result,
                        file_caches);

  // Per query, the files with a match: the project rules' query leaves visit those only.
  std::vector<std::vector<size_t>> with_matches(rules.queries.size());
  for (size_t f = 0; f < facts.size(); ++f)
    for (const auto& [q, list] : facts[f].query_matches.lists())
      if (!list.empty() && q < with_matches.size()) with_matches[q].push_back(f);

  // Sub-projects that neither train nor serve a model are infrastructure (pipelines, validation
  // suites) their siblings may be credited from (credited_from_siblings()).
  std::vector<char> infrastructure(layout.projects.size(), 0);
  if (rules.conditions.count("trains_models") && rules.conditions.count("serves_model")) {
    Expr trains, serves;
    trains.op = serves.op = Expr::Op::Condition;
    trains.condition = "trains_models";
    serves.condition = "serves_model";
    for (size_t p = 0; p < layout.projects.size(); ++p) {
      if (layout.projects[p].root.empty()) continue;
      engine::Evaluator ev(rules, files, facts, layout, layout.projects[p], options.large_file_threshold);
      ev.set_files_with_matches(&with_matches);
      infrastructure[p] = !ev.holds(trains) && !ev.holds(serves);
    }
  }
  auto within = [](const std::string& outer, const std::string& inner) {
    return outer.empty() || inner == outer ||
           (inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0 &&
            inner[outer.size()] == '/');
  };

  for (size_t p = 0; p < layout.projects.size(); ++p) {
    const engine::Project& project = layout.projects[p];
    // Each file_exists list is matched against the project's files once, whatever asks for it
    // (the analysis already asked some, when settling what its projects need).
    engine::Evaluator ev(rules, files, facts, layout, project, options.large_file_threshold, &file_caches[p]);
    ev.set_tags(&snapshot.tags());
    ev.set_aside(&snapshot.set_aside());
    ev.set_files_with_matches(&with_matches);
    // The project with the shared infrastructure around it, for repository-wide practices.
    engine::Project extended{project.root, project.files, {}};
    engine::FileExistsCache shared_cache;
    std::optional<engine::Evaluator> shared_ev;
    if (!project.shared.empty()) {
      extended.files.insert(extended.files.end(), project.shared.begin(), project.shared.end());
      std::sort(extended.files.begin(), extended.files.end());
      shared_ev.emplace(rules, files, facts, layout, extended, options.large_file_threshold, &shared_cache);
      shared_ev->set_tags(&snapshot.tags());
      shared_ev->set_files_with_matches(&with_matches);
      shared_ev->set_aside(&snapshot.set_aside());
    }
    // ... and with the infrastructure siblings beside it (neither enclosing nor inside it).
    engine::Project with_siblings{project.root, extended.files, {}};
    if (!project.root.empty())
      for (size_t q = 0; q < layout.projects.size(); ++q) {
        const engine::Project& sib = layout.projects[q];
        if (!infrastructure[q] || within(sib.root, project.root) || within(project.root, sib.root)) continue;
        with_siblings.files.insert(with_siblings.files.end(), sib.files.begin(), sib.files.end());
      }
    engine::FileExistsCache sibling_cache;
    std::optional<engine::Evaluator> sibling_ev;
    if (with_siblings.files.size() > extended.files.size()) {
      std::sort(with_siblings.files.begin(), with_siblings.files.end());
      with_siblings.files.erase(std::unique(with_siblings.files.begin(), with_siblings.files.end()),
                                with_siblings.files.end());
      sibling_ev.emplace(rules, files, facts, layout, with_siblings, options.large_file_threshold,
                         &sibling_cache);
      sibling_ev->set_tags(&snapshot.tags());
      sibling_ev->set_files_with_matches(&with_matches);
      sibling_ev->set_aside(&snapshot.set_aside());
    }
    ProjectReport report;
    report.root = project.root.empty() ? "." : project.root;
    engine::ProjectChecker checker(rules, files, layout, project, ev, options, only_files,
                                   shared_ev ? &*shared_ev : nullptr, sibling_ev ? &*sibling_ev : nullptr);
    checker.run(report, result.findings, snapshot);
    summarise_practices(report, rules);
    result.projects.push_back(std::move(report));
  }
  engine::finish_result(result, rules);
  return result;
}

}  // namespace mlops
