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

std::string rule_help_uri(const std::string& rule_id) {
  return std::string(kRuleDocsBase) + rule_id + ".md";
}

size_t failing_findings(const ReportInput& in) {
  if (!in.fail_on) return 0;
  size_t n = 0;
  for (const auto& f : in.result.findings)
    if (!f.suppressed && f.severity >= *in.fail_on) ++n;
  return n;
}

const std::vector<std::string>& report_formats() {
  static const std::vector<std::string> formats = {"text",   "json",  "sarif",   "github",
                                                   "gitlab", "junit", "markdown"};
  return formats;
}

std::string render(const std::string& format, const ReportInput& in, bool color) {
  if (format == "text") return render_text(in, color);
  if (format == "json") return render_json(in);
  if (format == "sarif") return render_sarif(in);
  if (format == "github") return render_github(in);
  if (format == "gitlab") return render_gitlab(in);
  if (format == "junit") return render_junit(in);
  if (format == "markdown") return render_markdown(in);
  return {};
}

std::vector<PracticeStatus> merged_practices(const CheckResult& result) {
  std::vector<PracticeStatus> out;
  for (const auto& slug : known_practices()) {
    PracticeStatus m{slug, "not_applicable", {}, {}};
    bool missing = false, present = false, partial = false;
    for (const auto& p : result.projects)
      for (const auto& ps : p.practices) {
        if (ps.practice != slug) continue;
        missing = missing || ps.status == "missing";
        present = present || ps.status == "present";
        partial = partial || ps.status == "partial";
        for (const auto& r : ps.rules)
          if (std::find(m.rules.begin(), m.rules.end(), r) == m.rules.end()) m.rules.push_back(r);
        // Over the repository, shared infrastructure is one more file of it: listed once, plainly.
        for (Location e : ps.evidence) {
          e.shared = false;
          if (std::find(m.evidence.begin(), m.evidence.end(), e) == m.evidence.end()) m.evidence.push_back(e);
        }
      }
    // Evidence in some projects only, or with findings somewhere, is partial.
    if (partial || (missing && present))
      m.status = "partial";
    else
      m.status = missing ? "missing" : present ? "present" : "not_applicable";
    std::sort(m.rules.begin(), m.rules.end());
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace mlops
