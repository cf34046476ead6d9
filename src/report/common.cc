// Helpers shared by the reporters.
#include <algorithm>

#include "report/report.h"

namespace mlops {

std::string format_location(const Location& w) {
  if (w.line <= 0) return w.path;
  if (w.cell > 0) return w.path + ":cell " + std::to_string(w.cell) + ":line " + std::to_string(w.cell_line);
  std::string s = w.path + ":" + std::to_string(w.line);
  if (w.column > 0) s += ":" + std::to_string(w.column);
  return s;
}

std::vector<PracticeStatus> merged_practices(const CheckResult& result) {
  std::vector<PracticeStatus> out;
  for (const auto& slug : known_practices()) {
    PracticeStatus m{slug, "not_applicable", {}, {}};
    bool missing = false, present = false;
    for (const auto& p : result.projects)
      for (const auto& ps : p.practices) {
        if (ps.practice != slug) continue;
        missing = missing || ps.status == "missing";
        present = present || ps.status == "present";
        for (const auto& r : ps.rules)
          if (std::find(m.rules.begin(), m.rules.end(), r) == m.rules.end()) m.rules.push_back(r);
        for (const auto& e : ps.evidence)
          if (std::find(m.evidence.begin(), m.evidence.end(), e) == m.evidence.end()) m.evidence.push_back(e);
      }
    m.status = missing ? "missing" : present ? "present" : "not_applicable";
    std::sort(m.rules.begin(), m.rules.end());
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace mlops
