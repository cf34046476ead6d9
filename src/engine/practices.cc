// Practice statuses: whether each known practice is present, partial, missing or not applicable
// in a project, from its rules' observed outcomes (declared in engine.h: selection filters
// recompute them after dropping rules).
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/outcomes.h"
#include "engine/project_kind.h"

namespace mlops {

using engine::kMaxEvidence;

// A practice's status says whether it exists, from every rule's observed outcome (whatever the
// profile; docs/practices.md):
// - it exists when a requirement rule passes, or, for a practice only pattern rules look at
//   (privacy, notebook hygiene), when one of them finds nothing: "no unseeded split" says
//   nothing when a requirement (a split) is there to ask;
// - it is `partial` when it exists with findings against it: a pattern rule matched (unpinned
//   lines among pins, an unsafe model load in a deployment, a secret where no personal data is)
//   or another requirement of the practice failed (a README without usage). Info-level
//   requirements (hints such as a model card) never lower an existing practice. A practice whose
//   only pattern rules all match (a raw 12 MB model, the one rule of large_files_managed) is
//   missing;
// - `missing` when it applies and no evidence exists, or when an essential requirement of it
//   fails (dependencies declared, none with a version); `not_applicable` when no rule applies.
void summarise_practices(ProjectReport& project, const RuleSet& rules) {
  project.practices.clear();
  std::vector<const Rule*> rule_of(project.results.size());  // looked up once, not per practice
  for (size_t i = 0; i < project.results.size(); ++i) rule_of[i] = rules.find(project.results[i].rule_id);
  for (const auto& slug : known_practices()) {
    PracticeStatus ps{slug, "not_applicable", {}, {}};
    bool requirement_fail = false, info_fail = false, requirement_pass = false, pattern_pass = false;
    bool pattern_fail = false, has_requirement = false, essential_fail = false;
    for (size_t i = 0; i < project.results.size(); ++i) {
      const auto& r = project.results[i];
      const Rule* rule = rule_of[i];
      if (!rule || rule->practice != slug) continue;
      ps.rules.push_back(r.rule_id);
      const bool requirement = rule->kind == RuleKind::Requirement;
      const Outcome o = r.observed;
      has_requirement = has_requirement || requirement;
      if (o == Outcome::NotApplicable) continue;
      if (o == Outcome::Fail && requirement && rule->essential) essential_fail = true;
      if (o == Outcome::Fail || o == Outcome::Skipped || o == Outcome::Error) {
        if (!requirement)
          pattern_fail = true;
        else
          (rule->severity == Severity::Info && o != Outcome::Error ? info_fail : requirement_fail) = true;
      } else if (o == Outcome::Pass) {
        (requirement ? requirement_pass : pattern_pass) = true;
        if (requirement)
          for (const auto& e : r.evidence)
            if (ps.evidence.size() < kMaxEvidence) ps.evidence.push_back(e);
      }
    }
    if (requirement_pass)
      ps.status = requirement_fail || pattern_fail ? "partial" : "present";
    else if (!has_requirement && pattern_pass)
      ps.status = pattern_fail ? "partial" : "present";
    else if (requirement_fail || info_fail || pattern_fail)
      ps.status = "missing";
    if (essential_fail && ps.status != "not_applicable") ps.status = "missing";
    // A practice the project's kind cannot have stays not_applicable, even with pattern findings;
    // one the kind is not asked for but credited with keeps what its evidence shows.
    const bool credited =
        credited_for_kind(project.kind, slug) && (ps.status == "present" || ps.status == "partial");
    if (!applies_to_kind(project.kind, slug, "", true) && !credited) ps.status = "not_applicable";
    project.practices.push_back(std::move(ps));
  }
}

}  // namespace mlops
