// A Markdown summary for pull-request comments: scores, practice table, top findings, details.
#include <fmt/format.h>

#include "engine/scores.h"
#include "report/report.h"
#include "util/escape.h"

namespace mlops {
namespace {

constexpr size_t kTopFindings = 10;

const char* icon(const std::string& status) {
  if (status == "present") return "✅";
  if (status == "missing") return "❌";
  if (status == "partial") return "🟡";
  return "➖";
}

}  // namespace

std::string render_markdown(const ReportInput& in) {
  const CheckResult& r = in.result;
  std::vector<PracticeStatus> practices = merged_practices(r);
  Scores s = compute_scores(practices, scored_projects(r.projects));
  std::string out = "## mlops-lint\n\n";
  size_t shown = 0, suppressed = 0;
  for (const auto& f : r.findings) (f.suppressed ? suppressed : shown)++;
  std::string kinds;
  for (const auto& p : r.projects)
    kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", markdown_code(p.root), p.kind);
  if (!s.scored)
    out += fmt::format("**No score: {}** · profile {}\n\n", s.score_reason, markdown_code(in.profile));
  else if (s.overall >= 0)
    out += fmt::format("**Score {}/100** · maturity level {} ({}) · profile {}\n\n", s.overall, s.maturity,
                       s.maturity_name, markdown_code(in.profile));
  if (s.scored && !s.maturity_reason.empty()) out += fmt::format("Maturity: {}.\n\n", s.maturity_reason);
  if (!kinds.empty()) out += fmt::format("Project kind: {}\n\n", kinds);
  out += fmt::format("{} finding{}", shown, shown == 1 ? "" : "s");
  if (suppressed) out += fmt::format(", {} suppressed", suppressed);
  if (r.baselined) out += fmt::format(", {} in baseline", r.baselined);
  out += fmt::format(" · {} failing at `{}`\n\n", failing_findings(in),
                     in.fail_on ? to_string(*in.fail_on) : "never");

  out += "| area | score |\n|---|---|\n";
  for (const auto& a : s.areas)
    out += fmt::format("| {} | {} |\n", escape_markdown(a.area),
                       a.score < 0 || !s.scored ? std::string("n/a") : std::to_string(a.score));
  out += "\n";

  if (shown > 0) {
    out += "| | rule | location | message |\n|---|---|---|---|\n";
    size_t n = 0;
    for (const auto& f : r.findings) {
      if (f.suppressed) continue;
      if (n++ == kTopFindings) break;
      // Paths and messages are the repository's bytes: no HTML, links or table breaks from them.
      out += fmt::format("| {} | [{}]({}) | {} | {} |\n", to_string(f.severity), escape_markdown(f.rule_id),
                         rule_help_uri(f.rule_id), markdown_code(format_location(f.where)),
                         escape_markdown(f.message));
    }
    if (shown > kTopFindings) out += fmt::format("\n…and {} more.\n", shown - kTopFindings);
    out += "\n";
  }

  out += "<details><summary>Practices</summary>\n\n| practice | status | rules |\n|---|---|---|\n";
  for (const auto& p : practices) {
    std::string rules;
    for (const auto& id : p.rules) rules += (rules.empty() ? "" : ", ") + escape_markdown(id);
    out += fmt::format("| {} | {} {} | {} |\n", escape_markdown(p.practice), icon(p.status),
                       escape_markdown(p.status), rules);
  }
  out += "\n</details>\n";
  if (shown > kTopFindings) {
    out += "\n<details><summary>All findings</summary>\n\n";
    for (const auto& f : r.findings)
      if (!f.suppressed)
        out += fmt::format("- {} **{}** {}\n", markdown_code(format_location(f.where)),
                           escape_markdown(f.rule_id), escape_markdown(f.message));
    out += "\n</details>\n";
  }
  return out;
}

}  // namespace mlops
