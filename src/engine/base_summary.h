// The pre-commit mode's persisted summary of the base commit: which project rules fail there.
// `check --files` compares project-level findings with HEAD; a commit's tree never changes, so
// the answer is computed once per commit (and rule set, configuration, binary) and stored beside
// the facts cache, and later pre-commit runs on the same HEAD skip the second whole-tree check.
#pragma once
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "engine/engine.h"

namespace mlops {

// (rule id, project root as reports name it) of each failing, unsuppressed project-level finding.
using FailingRules = std::set<std::pair<std::string, std::string>>;

FailingRules failing_project_rules(const CheckResult& result);

// A result holding only those failures, as project-level findings, for drop_preexisting().
CheckResult result_of_failures(const FailingRules& failing);

// The summary file for a facts cache file (one per scanned root).
std::string base_summary_path(const std::string& cache_path);

// The stored failures when the file exists, is intact and was written for `key` (the commit and
// everything else the answer depends on); nullopt otherwise, so a stale or damaged summary is
// never used.
std::optional<FailingRules> load_base_summary(const std::string& path, const std::string& key);

// Writes the summary atomically (util/atomic_write). False with `error` set on failure.
bool save_base_summary(const std::string& path, const std::string& key, const FailingRules& failing,
                       std::string& error);

}  // namespace mlops
