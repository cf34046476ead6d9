// Scores per practice area and overall, and a maturity level (see docs/scores.md).
#pragma once
#include <string>
#include <vector>

#include "engine/engine.h"

namespace mlops {

struct AreaScore {
  std::string area;
  int score = -1;  // 0-100; -1 when no practice of the area applies
  int present = 0, applicable = 0;
};

struct Scores {
  int overall = -1;  // 0-100 over every applicable practice; -1 when none applies
  int maturity = 0;  // 0-3: highest level whose applicable practices are all present
  std::string maturity_name;
  std::vector<AreaScore> areas;  // in a stable order
};

// The practice area (data, training, code, deployment, documentation) of a practice slug.
std::string practice_area(const std::string& practice);
// The maturity level (1-3) that expects a practice; 0 for a practice the scores do not know.
int practice_level(const std::string& practice);

// The name of a maturity level (0-3): "ad hoc", "reproducible", "team-ready", "production-ready".
const char* maturity_level_name(int level);

Scores compute_scores(const std::vector<PracticeStatus>& practices);

}  // namespace mlops
