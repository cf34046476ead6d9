// Renderings of an audit: terminal table, JSON, CSV, Markdown and a self-contained HTML page.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"

namespace mlops {

const std::vector<std::string>& audit_formats();
// Empty for an unknown format. `with_findings` false leaves out the per-repository finding
// lists (for audits of big organisations); counts stay.
std::string render_audit(const std::string& format, const std::vector<RepoAudit>& repos,
                         const std::string& profile, bool with_findings = true);

// Why a repository's maturity is what it is: which practices block the next level.
std::string maturity_reason(const RepoAudit& repo);

// A missing practice and what adding it would do.
struct NextStep {
  std::string practice;
  int score = -1;    // the overall score with it present
  int maturity = 0;  // the maturity level with it present
};
// The missing practices that raise the score (and maturity) most, best first, at most `limit`.
std::vector<NextStep> next_steps(const RepoAudit& repo, size_t limit);

// Score change over the audited history (newest minus oldest scored point); nullopt without two
// scored points.
std::optional<int> score_trend(const RepoAudit& repo);

// Reads the `repos` of an audit JSON report (as written by render_audit "json"), for `merge`.
bool parse_audit_json(const std::string& text, std::vector<RepoAudit>& out, std::string& error);

// Keeps every N-th repository of the sorted list, starting at the I-th (1-based): shards are
// disjoint and together cover the list, whatever order the paths were given in.
std::vector<std::string> shard_repositories(std::vector<std::string> repos, size_t index, size_t count);

}  // namespace mlops
