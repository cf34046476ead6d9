// Runs fix fixtures: `fixtures/<ID>/fix*/` repositories whose findings of ID are fixed in memory
// and compared, byte for byte, with `fixtures/<ID>/fix*.expected/` (the expected content of every
// file the fixes change; files absent there must stay unchanged). A second pass over the fixed
// files must change nothing. An optional EXPECT file at the fixture root (not scanned) holds:
//   unsafe-fixes        apply unsafe fixes too
//   profile NAME        the profile to check with (default team)
//   no-fix              the fixer must decline: nothing may change
#pragma once
#include <string>
#include <vector>

#include "rules/rule.h"
#include "testing/rule_tests.h"

namespace mlops {

// Runs the fix fixtures of `rule_ids` under `fixtures_dir`; a rule naming a fixer without a
// fix* fixture is a problem too, as is an unknown fixer name.
RuleTestReport run_fix_fixtures(const RuleSet& rules, const std::vector<std::string>& rule_ids,
                                const std::string& fixtures_dir);

}  // namespace mlops
