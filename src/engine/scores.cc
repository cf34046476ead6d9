// Scores in the spirit of the ML Test Score: every applicable practice counts once; practices
// that do not apply are left out rather than counted as failures.
#include "engine/scores.h"

#include <algorithm>
#include <map>

#include "engine/project_kind.h"

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

Scores compute_scores(const std::vector<PracticeStatus>& practices, bool ml_project) {
  Scores s;
  if (!ml_project) {
    s.scored = false;
    s.score_reason = "not an ML project";
    s.maturity_name = "";
    s.maturity_reason = "not an ML project";
    return s;
  }
  std::map<std::string, AreaScore> areas;
  int present = 0, partial = 0, applicable = 0;
  // Practices below `present` per level: they block that level and every one above it.
  std::vector<std::string> blocking[4];
  for (const auto& ps : practices) {
    if (ps.status == "not_applicable") continue;
    const PracticeInfo* p = info(ps.practice);
    AreaScore& a = areas[p ? p->area : "other"];
    ++a.applicable;
    ++applicable;
    if (ps.status == "present") {
      ++a.present;
      ++present;
    } else {
      if (ps.status == "partial") {
        ++a.partial;
        ++partial;
      }
      if (p) blocking[p->level].push_back(ps.practice + (ps.status == "partial" ? " (partial)" : ""));
    }
  }
  // A partial practice counts half: it exists, with findings against it.
  s.overall = applicable == 0 ? -1 : (200 * present + 100 * partial + applicable) / (2 * applicable);
  s.maturity = 0;
  for (int l = 1; l <= 3 && blocking[l].empty(); ++l) s.maturity = l;
  if (applicable == 0) s.maturity = 0;
  s.maturity_name = kLevelNames[s.maturity];
  if (applicable == 0) {
    s.maturity_reason = "no practice applies";
  } else if (s.maturity < 3) {
    const int next = s.maturity + 1;
    std::string list;
    for (size_t i = 0; i < blocking[next].size(); ++i) list += (i ? ", " : "") + blocking[next][i];
    s.maturity_reason = std::string("level ") + std::to_string(next) + " (" + kLevelNames[next] + ") needs " +
                        list + " present";
  }
  for (const char* name : kAreas) {
    AreaScore a = areas[name];
    a.area = name;
    a.score =
        a.applicable == 0 ? -1 : (200 * a.present + 100 * a.partial + a.applicable) / (2 * a.applicable);
    s.areas.push_back(a);
  }
  return s;
}

bool scored_projects(const std::vector<ProjectReport>& projects) {
  if (projects.empty()) return true;
  return std::any_of(projects.begin(), projects.end(),
                     [](const ProjectReport& p) { return kind_is_scored(p.kind); });
}

}  // namespace mlops
