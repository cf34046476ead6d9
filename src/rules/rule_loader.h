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
  // Adds rules compiled at build time (encode(), rules/rule_codec.h), except those of the rule
  // files named in `skip` (file names: a directory under test replaces its built-in files).
  // Only into an empty loader: the compiled queries keep their indices. A blob this build did
  // not write is an error.
  void add_compiled(std::string_view compiled, const std::set<std::string>& skip = {});
  // The rules, conditions and queries added so far, for add_compiled (the build compiles the
  // built-in rules with it).
  std::string encode() const;
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
  bool index_stale_ = false;  // queries were added by add_compiled, not yet in query_index_
  std::map<std::string, std::string> condition_sources_;  // condition -> the file defining it
  std::vector<std::pair<std::string, Location>> condition_refs_;
  std::set<std::string> used_;
};

}  // namespace mlops
