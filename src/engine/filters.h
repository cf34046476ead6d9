// Filters between findings and reports: inline suppressions, per-file ignores and the baseline.
// Suppressed findings stay in the result (marked, with their reason) so reports can count and
// list them; baselined ones are dropped and counted.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "engine/engine.h"

namespace mlops {

struct SuppressionOptions {
  bool inline_ignores = true;  // false for audits: `--no-inline-ignores`
  // glob -> rule codes or prefixes, for files that cannot hold comments (notebooks, JSON, locks)
  std::vector<std::pair<std::string, std::vector<std::string>>> per_file_ignores;
  std::string config_path;  // named in the justification of per-file ignores
};

// Marks suppressed findings; reports unused and malformed suppressions as diagnostics.
void apply_suppressions(CheckResult& result, const RuleSet& rules, const SuppressionOptions& options);

// A baseline file records findings by rule, path and fingerprint (never by line).
struct Baseline {
  struct Entry {
    std::string rule, path, fingerprint, message;
  };
  std::vector<Entry> entries;
};

std::string baseline_json(const CheckResult& result);
// Parses a baseline file's text; false with `error` set when it is not one.
bool parse_baseline(const std::string& text, Baseline& out, std::string& error);
// Drops findings present in the baseline; entries that match nothing are reported as stale.
// `checked_paths` non-empty (--files): only these files were checked, so only their entries can
// be stale.
void apply_baseline(CheckResult& result, const Baseline& baseline, const std::string& baseline_path,
                    const std::vector<std::string>& checked_paths = {});

}  // namespace mlops
