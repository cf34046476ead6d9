// A record of audits in SQLite: every run's repositories, scores and practice statuses, so
// trends can be shown across runs. The schema is versioned (PRAGMA user_version) and migrated.
#pragma once
#include <string>
#include <vector>

#include "audit/audit.h"

struct sqlite3;

namespace mlops {

class AuditStore {
 public:
  static constexpr int kSchemaVersion = 2;
  // kReadWrite creates or migrates the store (audit --store); kReadOnly wants an existing store at
  // this schema version and never changes or creates the file (report).
  enum class Mode { kReadWrite, kReadOnly };

  // Opens the store. A file that is not a database, one locked by another process for longer
  // than `busy_timeout_ms`, a schema from a newer mlops-lint or, read-only, a missing file fails
  // with `error` saying why (SQLite's own message where it has one).
  bool open(const std::string& path, std::string& error, Mode mode = Mode::kReadWrite,
            int busy_timeout_ms = 5000);
  ~AuditStore();

  // Records one audit run (`run_at`: ISO-8601 UTC) and every commit of each repository's history,
  // once per (repository, commit, rule set).
  bool record(const std::vector<RepoAudit>& repos, const std::string& profile, const std::string& run_at,
              std::string& error);

  // The latest state of every repository, each with its history (newest first): every commit
  // recorded across runs once, and `since_last_run` comparing its last two runs; ready for the
  // audit renderers.
  std::vector<RepoAudit> trends(std::string& error) const;

  // The profile of the latest recorded run ("" for an empty store).
  std::string latest_profile(std::string& error) const;

  // The schema version (PRAGMA user_version), or -1 when it cannot be read.
  int schema_version() const;

 private:
  bool exec(const std::string& sql, std::string& error) const;
  bool read_version(int& version, std::string& error) const;
  bool migrate(std::string& error, Mode mode);
  sqlite3* db_ = nullptr;
};

}  // namespace mlops
