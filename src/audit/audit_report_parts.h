// What the audit renderings share (audit_report.cc and the HTML page in audit_report_html.cc):
// the summary columns, scores and maturity as a person reads them, the weakest practices.
// Internal to audit/: the public interface is audit_report.h.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "audit/audit.h"

namespace mlops::audit_report_detail {

std::string join(const std::vector<std::string>& parts, const char* sep);
std::string score_text(int v);
size_t count(const RepoAudit& r, Severity s);
// The score as a person reads it: "error", an em dash when there is none to give.
std::string shown_score(const RepoAudit& r);
std::string shown_maturity(const RepoAudit& r);
const PracticeStatus* find_practice(const RepoAudit& r, const std::string& slug);
// The columns of the summary, shared by the HTML, Markdown and CSV renderings.
const std::vector<std::string>& summary_header();
std::vector<std::string> summary_cells(const RepoAudit& r, bool arrows);

struct Weak {
  std::string practice;
  int missing = 0, applicable = 0;
};

// Practices ranked by the number of repositories missing them (then by share), weakest first.
std::vector<Weak> weakest(const std::vector<RepoAudit>& repos);

// The HTML page of render_audit.
std::string html(const std::vector<RepoAudit>& repos, const std::string& profile, bool with_findings);

}  // namespace mlops::audit_report_detail
