// Audits for team leads: many repositories at once, with scores, maturity, practice statuses and
// (optionally) their history, read from git objects without checkouts.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/scores.h"

namespace mlops {

struct AuditOptions {
  std::string profile = "team";
  unsigned jobs = 0;      // repositories checked in parallel (0: all cores)
  size_t history = 0;     // also score the last N first-parent commits
  int64_t since = 0;      // ... not older than this (seconds since the epoch; 0: no bound)
  bool use_cache = true;  // facts cached by blob id: a commit costs only its changed files
  // Called (from worker threads, serialised) after each repository: done, total.
  std::function<void(size_t, size_t)> progress;
};

struct HistoryPoint {
  std::string commit;  // short id
  std::string date;    // YYYY-MM-DD
  int score = -1;
  int maturity = 0;
};

struct RepoAudit {
  std::string name;
  std::string path;
  std::string commit;  // short id of HEAD, or "" for a plain directory
  std::string error;   // set when the repository could not be read
  Scores scores;
  std::vector<PracticeStatus> practices;
  std::map<Severity, size_t> findings;
  size_t total_findings = 0;
  std::vector<HistoryPoint> history;  // newest first
};

// Paths as given, where a directory that is neither a repository nor a project but holds
// repositories stands for each of them; plus the lines of `list_file` when given.
std::vector<std::string> expand_repositories(const std::vector<std::string>& paths,
                                             const std::string& list_file, std::string& error);

// Audits every repository; the result is in the order of `repos`, whatever the threads did.
std::vector<RepoAudit> run_audit(const std::vector<std::string>& repos, const RuleSet& rules,
                                 const AuditOptions& options);

}  // namespace mlops
