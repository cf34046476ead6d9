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
  // Adds a built-in rule file from its document packed at build time (util/yaml_pack.h). Its
  // nodes carry no marks: an error in it (the tests load every built-in rule from its text
  // too) names the file without a line.
  void add_packed(const std::string& path, std::string_view packed);
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
