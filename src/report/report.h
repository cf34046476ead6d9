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

// Practice statuses merged across projects: missing anywhere wins, then present.
std::vector<PracticeStatus> merged_practices(const CheckResult& result);

std::string render_text(const ReportInput& in, bool color);
std::string render_json(const ReportInput& in);

}  // namespace mlops
