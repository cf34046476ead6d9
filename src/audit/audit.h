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

struct RepoAudit;

struct AuditOptions {
  std::string profile = "team";
  unsigned jobs = 0;      // repositories checked in parallel (0: all cores)
  size_t history = 0;     // also score the last N first-parent commits
  int64_t since = 0;      // ... not older than this (seconds since the epoch; 0: no bound)
  bool use_cache = true;  // facts cached by blob id: a commit costs only its changed files
  // Called (from worker threads, serialised) after each repository: done, total, the finished
  // repository and the seconds it took.
  std::function<void(size_t, size_t, const RepoAudit&, double)> progress;
};

struct HistoryPoint {
  std::string commit;  // short id
  std::string date;    // YYYY-MM-DD
  int score = -1;      // -1: no practice applies, or not an ML project at that commit
  int maturity = 0;
  int64_t time = 0;                              // committer time (seconds since the epoch), for ordering
  std::map<std::string, int> areas;              // area -> score (-1: none applies)
  std::map<std::string, std::string> practices;  // practice -> status at this commit
  // Practices present here but not at the commit before (appeared), and the reverse (regressed).
  std::vector<std::string> appeared, regressed;
};

// One finding of a repository's HEAD, as an audit shows it.
struct AuditFinding {
  std::string rule_id;
  Severity severity = Severity::Warning;
  std::string practice;  // the rule's practice slug ("" when the rule names none)
  std::string location;  // `path:line`, or the path alone for a whole-file finding
  std::string message;
  std::string summary;  // the rule's one-line summary
};

// What kind of project a repository is (its root project's kind, see engine/project_kind.h), and
// whether it is scored at all (some project of it is ML).
struct RepoKind {
  std::string kind = "application";
  bool ml = true;
};

struct RepoAudit {
  std::string name;
  std::string path;
  std::string commit;  // short id of HEAD, or "" for a plain directory
  std::string error;   // set when the repository could not be read
  RepoKind kind;
  std::string ruleset;  // signature of the rule set it was audited with (see ruleset_signature)
  Scores scores;        // overall -1 when not an ML project
  std::vector<PracticeStatus> practices;
  std::map<Severity, size_t> findings;
  size_t total_findings = 0;
  std::vector<AuditFinding> finding_list;  // HEAD's findings, sorted by practice, path, line
  bool findings_listed = true;             // false when only counts are known (a store, --no-findings JSON)
  std::vector<HistoryPoint> history;       // newest first; HEAD first for a git repository
  std::string since_last_run;              // from a store: "no change since last run", ...
};

// Where a repository to audit is, and the name it is shown under.
struct AuditTarget {
  std::string path;
  std::string name;
};

// The repository's kind from the engine's project kinds: the root project's kind (projects are
// sorted by root), scored when any of its projects is an ML project.
RepoKind repo_kind(const CheckResult& result);

// The repository named by a remote URL: `owner/name` (or `group/sub/name`) from https, ssh
// (`git@host:owner/name.git`), git:// and file URLs, without credentials or `.git`; "" when the
// URL names no such path.
std::string name_from_remote_url(const std::string& url);

// The `url` of remote "origin" in the repository's own config (work tree or bare), "" if none.
std::string origin_url(const std::string& repo_path);

// Repositories below the given paths and the lines of `list_file`: a path that is a repository
// (work tree or bare) is itself; otherwise the repositories found at any depth below it (up to
// kMaxDiscoveryDepth; never below another repository, never through a symlink), in sorted
// order; a directory holding none is audited as a plain project directory. Each is named by its
// origin remote (`owner/name`), else by its path relative to the directory it was found under
// (its own directory name when given directly). Directories that cannot be read are skipped
// with a line in `warnings`.
inline constexpr int kMaxDiscoveryDepth = 8;
std::vector<AuditTarget> discover_repositories(const std::vector<std::string>& paths,
                                               const std::string& list_file,
                                               std::vector<std::string>& warnings, std::string& error);

// The paths of discover_repositories, for callers that need no names.
std::vector<std::string> expand_repositories(const std::vector<std::string>& paths,
                                             const std::string& list_file, std::string& error);

// Audits every repository; the result is in the order of `repos`, whatever the threads did.
std::vector<RepoAudit> run_audit(const std::vector<AuditTarget>& repos, const RuleSet& rules,
                                 const AuditOptions& options);
// The same, each named by its remote or its directory name.
std::vector<RepoAudit> run_audit(const std::vector<std::string>& repos, const RuleSet& rules,
                                 const AuditOptions& options);

// Sets `appeared` / `regressed` of each point from the statuses of the point after it (the
// older commit); the oldest point has none.
void mark_practice_changes(std::vector<HistoryPoint>& history);

}  // namespace mlops
