// Which rules a run reports and at what severity: select / ignore by code, prefix or ALL, plus
// per-rule severity overrides (the Selection data is config/selection.h). Applied after
// evaluation, so `requires` still sees every rule.
#pragma once
#include <string>
#include <vector>

#include "config/selection.h"
#include "engine/engine.h"

namespace mlops {

// A code selector names a rule id, an id prefix (e.g. "DAT") or ALL.
bool selector_matches(const std::string& selector, const std::string& rule_id);
bool is_selected(const Selection& s, const std::string& rule_id);

// Selectors and severity keys that match no rule (reported as usage errors).
std::vector<std::string> unknown_selectors(const Selection& s, const RuleSet& rules);

// The rules a run needs: the selected ones and, transitively, the rules they `require`.
// Analysis then skips every query only unselected rules would ask.
RuleSet prune_rules(const RuleSet& rules, const Selection& s);

// Drops unselected rules' results and findings, applies severity overrides, refreshes practices.
void apply_selection(CheckResult& result, const RuleSet& rules, const Selection& s);

}  // namespace mlops
