// Rule selection and severity overrides.
#include "engine/selection.h"

#include <algorithm>
#include <set>

namespace mlops {

bool selector_matches(const std::string& selector, const std::string& rule_id) {
  return selector == "ALL" || rule_id.starts_with(selector);
}

namespace {

// The longest matching selector wins, as in ruff: `select: [DAT]` + `ignore: [DAT002]` drops
// only DAT002, and `ignore: [DAT]` + `select: [DAT002]` keeps only DAT002 of that family.
size_t best_match(const std::vector<std::string>& selectors, const std::string& id) {
  size_t best = 0;
  for (const auto& s : selectors)
    if (selector_matches(s, id)) best = std::max(best, s == "ALL" ? size_t{1} : s.size() + 1);
  return best;
}

}  // namespace

bool is_selected(const Selection& s, const std::string& rule_id) {
  std::vector<std::string> select = s.select.empty() ? std::vector<std::string>{"ALL"} : s.select;
  select.insert(select.end(), s.extend_select.begin(), s.extend_select.end());
  size_t yes = best_match(select, rule_id);
  size_t no = best_match(s.ignore, rule_id);
  return yes > 0 && yes > no;
}

std::vector<std::string> unknown_selectors(const Selection& s, const RuleSet& rules) {
  std::vector<std::string> out;
  auto check = [&](const std::string& sel) {
    if (std::none_of(rules.rules.begin(), rules.rules.end(),
                     [&](const Rule& r) { return selector_matches(sel, r.id); }))
      out.push_back(sel);
  };
  for (const auto* list : {&s.select, &s.extend_select, &s.ignore})
    for (const auto& sel : *list) check(sel);
  for (const auto& [id, _] : s.severity)
    if (!rules.find(id)) out.push_back(id);
  return out;
}

RuleSet prune_rules(const RuleSet& rules, const Selection& s) {
  std::set<std::string> keep;
  std::vector<std::string> stack;
  for (const auto& r : rules.rules)
    if (is_selected(s, r.id)) stack.push_back(r.id);
  while (!stack.empty()) {
    std::string id = stack.back();
    stack.pop_back();
    if (!keep.insert(id).second) continue;
    if (const Rule* r = rules.find(id))
      for (const auto& req : r->requires_rules) stack.push_back(req);
  }
  RuleSet out;
  out.conditions = rules.conditions;
  out.queries = rules.queries;
  out.suppression_query = rules.suppression_query;
  out.includes_query = rules.includes_query;
  for (const auto& r : rules.rules)
    if (keep.count(r.id)) out.rules.push_back(r);
  return out;
}

void apply_selection(CheckResult& result, const RuleSet& rules, const Selection& s) {
  auto dropped = [&](const std::string& id) { return !is_selected(s, id); };
  for (auto& p : result.projects) {
    std::erase_if(p.results, [&](const RuleResult& r) { return dropped(r.rule_id); });
    summarise_practices(p, rules);
  }
  std::erase_if(result.findings, [&](const Finding& f) { return dropped(f.rule_id); });
  for (auto& f : result.findings) {
    auto it = s.severity.find(f.rule_id);
    if (it != s.severity.end()) f.severity = it->second;
  }
}

}  // namespace mlops
