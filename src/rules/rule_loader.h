// Loads and validates rule files. Errors name the file and line: `rules/x.yaml:3: unknown key 'chek'`.
#pragma once
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/location.h"
#include "rules/rule.h"

namespace mlops {

struct RuleSource {
  std::string path;  // shown in errors
  std::string contents;
  bool built_in = false;  // compiled into the binary: trusted, loaded without the bomb guard's pass
};

class RuleLoader {
 public:
  // Adds a rule file (one rule, or `conditions:` for named applicability conditions).
  void add(const RuleSource& source);
  // Validates cross-references (requires, conditions, duplicate ids) and returns the set.
  RuleSet finish();
  const std::vector<Diagnostic>& errors() const { return errors_; }
  // The predicates, and `predicate.option` keys, the added rule files use (tests check that
  // every one is exercised by a rule with fixtures).
  const std::set<std::string>& used_predicates() const { return used_; }

 private:
  RuleSet set_;
  std::vector<Diagnostic> errors_;
  std::unordered_map<std::string, size_t> query_index_;  // fingerprint -> index
  std::vector<std::pair<std::string, Location>> condition_refs_;
  std::set<std::string> used_;
};

// The built-in rules plus every *.yaml in `extra_dirs` (sorted, non-recursive).
// Read errors and schema errors go to `errors`.
RuleSet load_rules(const std::vector<std::string>& extra_dirs, std::vector<Diagnostic>& errors);

}  // namespace mlops
