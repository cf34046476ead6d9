// Reporters: one diagnostic model (CheckResult), several renderings.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace mlops {

struct ReportInput {
  const CheckResult& result;
  const RuleSet& rules;
  std::string profile;
  std::optional<Severity> fail_on;  // nullopt: never fail
};

// `path:line:col`, or `nb.ipynb:cell 3:line 2` for notebook cells.
std::string format_location(const Location& where);

// Practice statuses merged across projects: present everywhere it applies is present, missing
// everywhere is missing, anything in between (or partial anywhere) is partial.
std::vector<PracticeStatus> merged_practices(const CheckResult& result);

// Where each rule's documentation page lives (docs/rules/<ID>.md, generated from the rules).
inline constexpr const char* kRuleDocsBase = "https://github.com/mlops-lint/mlops-lint/blob/main/docs/rules/";
std::string rule_help_uri(const std::string& rule_id);

// Findings that count: not suppressed. Those at or above the fail level fail the run.
size_t failing_findings(const ReportInput& in);

// `quiet`: the findings only, without notes and summary.
std::string render_text(const ReportInput& in, bool color, bool quiet = false);
// Findings counted per rule (most frequent first), like `ruff --statistics`: an overview of
// a repository that has many.
std::string render_statistics(const ReportInput& in, bool color);
std::string render_json(const ReportInput& in);
std::string render_sarif(const ReportInput& in);
std::string render_github(const ReportInput& in);
std::string render_gitlab(const ReportInput& in);
std::string render_junit(const ReportInput& in);
std::string render_markdown(const ReportInput& in);

// Renders `format` (text, json, sarif, github, gitlab, junit, markdown); empty if unknown.
std::string render(const std::string& format, const ReportInput& in, bool color);
const std::vector<std::string>& report_formats();

}  // namespace mlops
