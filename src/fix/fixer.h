// The fixer registry: a fixer computes the edits that resolve one finding of the rules naming it
// (`fix: NAME` in a rule file). One fixer = one function in fix/fixers/ + one line in registry.cc.
#pragma once
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "model/fix.h"
#include "repo/snapshot.h"
#include "rules/rule.h"

namespace mlops {

// What a fixer may look at: the files of the snapshot (read through it, capped, cached across
// fixers), the whole check result (other findings, project kinds, evidence) and the rule's options.
// Fixers never touch the disk themselves.
class FixContext {
 public:
  FixContext(const Snapshot& snapshot, const CheckResult& result, const RuleSet& rules);

  const Snapshot& snapshot() const { return snapshot_; }
  const CheckResult& result() const { return result_; }
  const RuleSet& rules() const { return rules_; }

  // The bytes of a listed file; nullptr when it is not listed, oversized or unreadable.
  const std::string* read(const std::string& path) const;
  // The listed files under a project root ("." for the scanned root), sorted.
  std::vector<std::string> project_files(const std::string& project) const;
  // The options of the rule whose finding is being fixed (`fix: {options: ...}`).
  const std::map<std::string, std::string>& options() const { return *options_; }
  void set_options(const std::map<std::string, std::string>* options) { options_ = options; }

 private:
  const Snapshot& snapshot_;
  const CheckResult& result_;
  const RuleSet& rules_;
  const std::map<std::string, std::string>* options_ = nullptr;
  mutable std::map<std::string, std::optional<std::string>> cache_;
};

// Returns the fix of a finding, or nullopt when the fixer does not understand the code there
// (it then leaves the file alone: no fix is better than a wrong one).
using FixerFn = std::optional<Fix> (*)(const FixContext& context, const Finding& finding);

struct FixerInfo {
  std::string_view name;
  // The most a fix of this fixer may change: a Safe fixer may still decline; an Unsafe fixer's
  // fixes are always unsafe.
  Applicability applicability;
  std::string_view summary;  // one line for the rule docs, e.g. "pins the version a lock resolves"
  FixerFn fn;
};

// Every fixer, sorted by name.
const std::vector<FixerInfo>& all_fixers();
const FixerInfo* find_fixer(std::string_view name);
// The fixer of a rule; nullptr when it has none (or names one this build does not know).
inline const FixerInfo* rule_fixer(const Rule& rule) {
  return rule.fixer.empty() ? nullptr : find_fixer(rule.fixer);
}

// Problems with the fixers the rules name (an unknown name), as diagnostics at the rule file.
std::vector<Diagnostic> check_rule_fixers(const RuleSet& rules);

}  // namespace mlops
