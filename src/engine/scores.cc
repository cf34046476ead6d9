// Scores in the spirit of the ML Test Score: every applicable practice counts once; practices
// that do not apply are left out rather than counted as failures.
#include "engine/scores.h"

#include <map>

namespace mlops {
namespace {

struct PracticeInfo {
  const char* slug;
  const char* area;
  int level;  // maturity level that expects it: 1 reproducible research, 2 team, 3 production
};

constexpr PracticeInfo kPractices[] = {
    {"data_versioning", "data", 2},
    {"data_split", "data", 1},
    {"data_validation", "data", 2},
    {"large_files_managed", "data", 1},
    {"privacy", "data", 1},
    {"experiment_tracking", "training", 2},
    {"config_management", "training", 1},
    {"seeds", "training", 1},
    {"model_versioning", "training", 2},
    {"dependency_pinning", "code", 1},
    {"tests", "code", 2},
    {"ci", "code", 2},
    {"ci_runs_tests", "code", 2},
    {"linting", "code", 2},
    {"code_in_modules", "code", 1},
    {"team_process", "code", 3},
    {"notebook_hygiene", "code", 2},
    {"hyperparameter_tuning", "training", 2},
    {"explainability", "training", 3},
    {"model_validation", "deployment", 3},
    {"pipeline_automation", "training", 2},
    {"deployment", "deployment", 3},
    {"monitoring", "deployment", 3},
    {"rollback", "deployment", 3},
    {"documentation", "documentation", 1},
};

constexpr const char* kAreas[] = {"data", "training", "code", "deployment", "documentation"};
constexpr const char* kLevelNames[] = {"ad hoc", "reproducible", "team-ready", "production-ready"};

const PracticeInfo* info(const std::string& slug) {
  for (const auto& p : kPractices)
    if (slug == p.slug) return &p;
  return nullptr;
}

int percent(int present, int applicable) {
  return applicable == 0 ? -1 : (200 * present + applicable) / (2 * applicable);  // rounded
}

}  // namespace

std::string practice_area(const std::string& practice) {
  const PracticeInfo* p = info(practice);
  return p ? p->area : "other";
}

const char* maturity_level_name(int level) {
  return kLevelNames[level < 0 ? 0 : level > 3 ? 3 : level];
}

int practice_level(const std::string& practice) {
  const PracticeInfo* p = info(practice);
  return p ? p->level : 0;
}

Scores compute_scores(const std::vector<PracticeStatus>& practices) {
  Scores s;
  std::map<std::string, AreaScore> areas;
  int present = 0, applicable = 0;
  bool level_ok[4] = {true, true, true, true};
  for (const auto& ps : practices) {
    if (ps.status == "not_applicable") continue;
    const PracticeInfo* p = info(ps.practice);
    AreaScore& a = areas[p ? p->area : "other"];
    ++a.applicable;
    ++applicable;
    if (ps.status == "present") {
      ++a.present;
      ++present;
    } else if (p) {
      for (int l = p->level; l <= 3; ++l) level_ok[l] = false;
    }
  }
  s.overall = percent(present, applicable);
  s.maturity = 0;
  for (int l = 1; l <= 3 && level_ok[l]; ++l) s.maturity = l;
  if (applicable == 0) s.maturity = 0;
  s.maturity_name = kLevelNames[s.maturity];
  for (const char* name : kAreas) {
    AreaScore a = areas[name];
    a.area = name;
    a.score = percent(a.present, a.applicable);
    s.areas.push_back(a);
  }
  return s;
}

}  // namespace mlops
