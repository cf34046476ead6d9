// The rule engine: analyses a snapshot's files (in parallel, each read once) and evaluates every
// rule per project, producing outcomes, findings and diagnostics.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/facts_cache.h"
#include "model/facts.h"
#include "model/fix.h"
#include "model/location.h"
#include "repo/snapshot.h"
#include "rules/rule.h"

namespace mlops {

class PrefilterIndex;  // analysers/file_analyser.h

enum class Outcome { Pass, Fail, NotApplicable, Skipped, Error };
const char* to_string(Outcome o);

struct Finding {
  std::string rule_id;
  Severity severity = Severity::Warning;
  std::string message;
  Location where;
  std::string project;         // project root relative to the scanned root ("." for the root)
  std::string subject;         // the matched text (masked when the rule is sensitive)
  std::string fingerprint;     // stable across line moves: rule, path, subject, occurrence
  bool project_level = false;  // a requirement finding (the practice is missing)
  bool suppressed = false;     // by an inline comment or per-file-ignores: listed, not failing
  std::string justification;   // the suppression's reason
  std::optional<Fix> fix;      // attached by the fix stage (fix/fixes.h) when the rule has a fixer
};

struct RuleResult {
  std::string rule_id;
  Outcome outcome = Outcome::Pass;
  std::string reason;              // why not applicable / skipped / error
  std::vector<Location> evidence;  // where the practice was found (pass) or matched (fail)
  // What the files say whatever the profile: equals `outcome` for rules in the profile; for
  // rules outside it (outcome NotApplicable, no findings) the outcome evaluation gave. Practice
  // statuses read this one, so they do not depend on the profile.
  Outcome observed = Outcome::Pass;
};

struct PracticeStatus {
  std::string practice;
  std::string status;  // present, partial, missing, not_applicable (docs/practices.md)
  std::vector<std::string> rules;
  std::vector<Location> evidence;
};

struct ProjectReport {
  std::string root;                        // "." for the scanned root
  std::map<std::string, bool> conditions;  // named applicability conditions, evaluated
  std::string kind = "application";        // project kind (engine/project_kind.h)
  std::vector<std::string> kind_reasons;   // the evidence the kind was decided on
  std::vector<RuleResult> results;         // sorted by rule id
  std::vector<PracticeStatus> practices;   // every known practice, in the stable order
};

struct CheckOptions {
  std::string profile = "team";
  unsigned jobs = 0;                             // 0: hardware concurrency
  uint64_t max_file_size = 10ull * 1024 * 1024;  // read cap per file
  uint64_t large_file_threshold = 10ull * 1024 * 1024;
  std::vector<std::string> only_files;  // --files: check these plus the project rules they affect
  FactsCache* cache = nullptr;
  // Built from the same rule set's queries and reused across runs (an audit's history); built
  // per run when absent.
  const PrefilterIndex* prefilters = nullptr;
};

struct CheckResult {
  std::vector<ProjectReport> projects;  // sorted by root
  std::vector<Finding> findings;        // sorted by path, line, column, rule
  std::vector<Diagnostic> diagnostics;  // problems reading the input, sorted
  // Inline suppression comments by file (raw matches of the suppression query), for filters.
  std::map<std::string, std::vector<Match>> suppression_comments;
  size_t baselined = 0;  // findings dropped because the baseline holds them
  size_t files_listed = 0;
  size_t files_analysed = 0;
  size_t cache_hits = 0;
};

// Identifies the query set (cached facts from another rule set are never reused).
std::string ruleset_signature(const RuleSet& rules);

CheckResult run_check(const Snapshot& snapshot, const RuleSet& rules, const CheckOptions& options);

// Recomputes practice statuses from the rule results (after selection filters drop rules).
void summarise_practices(ProjectReport& project, const RuleSet& rules);

}  // namespace mlops
