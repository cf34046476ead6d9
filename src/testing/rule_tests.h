// Runs rule fixtures: for each rule, `fixtures/<ID>/bad*/` repositories where it must fire and
// `fixtures/<ID>/good*/` ones where it must not. Expectations sit in the fixture files:
//   `ruleid: ID` in a comment: the next line must carry a finding of ID
//   `ok: ID` in a comment:     the next line must not
// and in an optional `EXPECT` file at the fixture root (not scanned), one directive per line:
//   outcome fail|pass|not_applicable|skipped|error
//   finding PATH:LINE           (a finding of the rule under test, e.g. a project-level one)
//   profile research|team|production
//   large-file-threshold SIZE
#pragma once
#include <string>
#include <vector>

#include "model/location.h"
#include "rules/rule.h"

namespace mlops {

struct RuleTestReport {
  size_t cases = 0;
  std::vector<std::string> problems;  // empty when every fixture behaved
};

// Runs the fixtures of `rule_ids` found under `fixtures_dir`. A rule without both a bad and a
// good fixture is a problem too.
RuleTestReport run_rule_fixtures(const RuleSet& rules, const std::vector<std::string>& rule_ids,
                                 const std::string& fixtures_dir);

// The rule set `test-rules DIR` checks: DIR's rule files, plus built-in files DIR does not
// shadow by name (so user rules can use the built-in conditions). `ids` gets DIR's rule ids.
RuleSet load_rules_for_testing(const std::string& dir, std::vector<std::string>& ids,
                               std::vector<Diagnostic>& errors);

}  // namespace mlops
