// Compiler-style text report: `path:line:col: severity[ID] message`, then a summary.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "engine/project_kind.h"
#include "engine/scores.h"
#include "report/report.h"
#include "util/escape.h"

namespace mlops {
namespace {

struct Style {
  bool on;
  std::string operator()(const char* code, const std::string& s) const {
    return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : s;
  }
};

const char* severity_colour(Severity s) {
  switch (s) {
    case Severity::Error:
      return "1;31";
    case Severity::Warning:
      return "1;33";
    case Severity::Info:
      return "1;36";
  }
  return "0";
}

// One line on what --fix can do, as ruff ends its report; empty when no finding has a fix.
std::string fix_summary(const CheckResult& r) {
  size_t safe = 0, unsafe = 0;
  for (const auto& f : r.findings)
    if (!f.suppressed && f.fix) ++(f.fix->applicability == Applicability::Safe ? safe : unsafe);
  if (!safe && !unsafe) return "";
  if (!safe)
    return fmt::format("No safe fixes available ({} hidden fix{} can be enabled with --unsafe-fixes)\n",
                       unsafe, unsafe == 1 ? "" : "es");
  std::string line = fmt::format("[*] {} fixable with --fix (--diff to preview)", safe);
  if (unsafe) line += fmt::format("; {} more with --unsafe-fixes", unsafe);
  return line + "\n";
}

}  // namespace

std::string render_text(const ReportInput& in, bool color, bool quiet) {
  Style st{color};
  std::string out;
  const CheckResult& r = in.result;
  bool multi = r.projects.size() > 1;
  for (const auto& f : r.findings) {
    if (f.suppressed) continue;
    // Paths and messages quote the repository's bytes: nothing in them may drive the terminal.
    // `[*]`: a safe fix is available (--fix applies it), as ruff marks them.
    bool fixable = f.fix && f.fix->applicability == Applicability::Safe;
    out +=
        fmt::format("{}: {} {}{}", st("1", escape_terminal(format_location(f.where))),
                    st(severity_colour(f.severity), fmt::format("{}[{}]", to_string(f.severity), f.rule_id)),
                    fixable ? st("1;32", "[*] ") : "", escape_terminal(f.message));
    if (multi) out += fmt::format(" (project {})", escape_terminal(f.project));
    out += "\n";
  }
  if (quiet) return out;
  for (const auto& d : r.diagnostics)
    out += fmt::format("{}: {} {}\n", st("1", escape_terminal(format_location(d.where))), st("2", "note:"),
                       escape_terminal(d.message));

  std::map<Severity, size_t> counts;
  size_t suppressed = 0;
  for (const auto& f : r.findings) {
    if (f.suppressed)
      ++suppressed;
    else
      ++counts[f.severity];
  }
  const size_t failing = failing_findings(in);
  if (!out.empty()) out += "\n";
  for (const auto& p : r.projects) {
    std::map<Outcome, size_t> outcomes;
    for (const auto& res : p.results) ++outcomes[res.outcome];
    size_t present = 0, applicable = 0;
    std::string missing, partial;
    for (const auto& ps : p.practices) {
      if (ps.status == "not_applicable") continue;
      ++applicable;
      if (ps.status == "present")
        ++present;
      else if (ps.status == "partial")
        partial += (partial.empty() ? "" : ", ") + ps.practice;
      else
        missing += (missing.empty() ? "" : ", ") + escape_terminal(ps.practice);
    }
    out += fmt::format(
        "project {} ({}): rules {} passed, {} failed, {} not applicable, {} skipped, {} error; "
        "practices {}/{} present{}{}{}\n",
        escape_terminal(p.root), p.kind, outcomes[Outcome::Pass], outcomes[Outcome::Fail],
        outcomes[Outcome::NotApplicable], outcomes[Outcome::Skipped], outcomes[Outcome::Error], present,
        applicable, partial.empty() ? "" : " (partial: " + partial + ")",
        missing.empty() ? "" : " (missing: " + missing + ")",
        kind_is_scored(p.kind) ? "" : "; not an ML project");
  }
  Scores scores = compute_scores(merged_practices(r), scored_projects(r.projects));
  if (!scores.scored) {
    out += "no score: " + scores.score_reason + "\n";
  } else if (scores.overall >= 0) {
    std::string areas;
    for (const auto& a : scores.areas)
      if (a.score >= 0) areas += fmt::format("{}{} {}", areas.empty() ? "" : ", ", a.area, a.score);
    out += fmt::format("score {}/100 ({}), maturity level {} ({}){}\n", scores.overall, areas,
                       scores.maturity, scores.maturity_name,
                       scores.maturity_reason.empty() ? "" : ": " + scores.maturity_reason);
  }
  size_t total = r.findings.size() - suppressed;
  std::string summary = total == 0 ? "No findings"
                                   : fmt::format("Found {} finding{} ({} error, {} warning, {} info)", total,
                                                 total == 1 ? "" : "s", counts[Severity::Error],
                                                 counts[Severity::Warning], counts[Severity::Info]);
  summary += fmt::format(" in {} files; profile {}", r.files_listed, escape_terminal(in.profile));
  if (suppressed) summary += fmt::format("; {} suppressed", suppressed);
  if (r.baselined) summary += fmt::format("; {} in baseline", r.baselined);
  if (!r.diagnostics.empty())
    summary += fmt::format("; {} note{}", r.diagnostics.size(), r.diagnostics.size() == 1 ? "" : "s");
  if (in.fail_on) summary += fmt::format("; {} at or above {}", failing, to_string(*in.fail_on));
  out += (failing > 0 ? st("1;31", summary) : st("1;32", summary)) + "\n";
  out += fix_summary(r);
  return out;
}

std::string render_statistics(const ReportInput& in, bool color) {
  Style st{color};
  std::map<std::string, size_t> per_rule;
  for (const auto& f : in.result.findings)
    if (!f.suppressed) ++per_rule[f.rule_id];
  std::vector<std::pair<std::string, size_t>> rows(per_rule.begin(), per_rule.end());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  size_t width = rows.empty() ? 1 : std::to_string(rows.front().second).size();
  size_t id_width = 0;
  for (const auto& row : rows) id_width = std::max(id_width, row.first.size());
  std::string out;
  for (const auto& [id, n] : rows) {
    const Rule* rule = in.rules.find(id);
    Severity sev = rule ? rule->severity : Severity::Warning;
    out += fmt::format("{:>{}}  {}  {}  {}\n", n, width,
                       st(severity_colour(sev), fmt::format("{:<7}", to_string(sev))),
                       st("1", fmt::format("{:<{}}", escape_terminal(id), id_width)),
                       escape_terminal(rule ? rule->name : std::string()));
  }
  size_t total = 0;
  for (const auto& [id, n] : rows) total += n;
  const size_t failing = failing_findings(in);
  std::string summary = total == 0 ? "No findings"
                                   : fmt::format("{} finding{} from {} rule{}", total, total == 1 ? "" : "s",
                                                 rows.size(), rows.size() == 1 ? "" : "s");
  if (in.fail_on) summary += fmt::format("; {} at or above {}", failing, to_string(*in.fail_on));
  out += (failing > 0 ? st("1;31", summary) : st("1;32", summary)) + "\n";
  out += fix_summary(in.result);
  return out;
}

}  // namespace mlops
