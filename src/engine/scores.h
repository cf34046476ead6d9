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
  int partial = 0;  // counted half in the score
};

struct Scores {
  bool scored = true;        // false for a project that is not an ML project (no score at all)
  std::string score_reason;  // why there is no score ("not an ML project")
  int overall = -1;          // 0-100 over every applicable practice; -1 when none applies
  int maturity = 0;          // 0-3: highest level whose applicable practices are all present
  std::string maturity_name;
  // Why the maturity is not higher: the practices that block the next level (empty at 3).
  std::string maturity_reason;
  std::vector<AreaScore> areas;  // in a stable order
};

// The practice area (data, training, code, deployment, documentation) of a practice slug.
std::string practice_area(const std::string& practice);
// The maturity level (1-3) that expects a practice; 0 for a practice the scores do not know.
int practice_level(const std::string& practice);

// The name of a maturity level (0-3): "ad hoc", "reproducible", "team-ready", "production-ready".
const char* maturity_level_name(int level);

// `ml_project` false (every project's kind is docs or not_ml): no score and no maturity.
Scores compute_scores(const std::vector<PracticeStatus>& practices, bool ml_project = true);

// Whether a check's projects make an ML project: at least one of a kind that is scored.
bool scored_projects(const std::vector<ProjectReport>& projects);

}  // namespace mlops
