// The last steps on a check's result, once every project is evaluated: order, one finding per
// shared file, secrets masked, fingerprints. Internal to the engine.
#pragma once
#include "engine/engine.h"
#include "rules/rule.h"

namespace mlops::engine {

// Sorts projects, findings and diagnostics, drops duplicates, masks secrets in every text and
// fingerprints the findings (after masking, since fingerprints hash subjects).
void finish_result(CheckResult& result, const RuleSet& rules);

}  // namespace mlops::engine
