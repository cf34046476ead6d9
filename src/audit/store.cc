// SQLite audit store.
#include "audit/store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <iterator>
#include <map>

namespace mlops {
namespace {

// Each migration takes the schema from version i to i + 1.
const char* const kMigrations[] = {
    R"sql(
    CREATE TABLE audit_run (id INTEGER PRIMARY KEY, run_at TEXT NOT NULL, profile TEXT NOT NULL,
                            tool_version TEXT NOT NULL);
    CREATE TABLE repo_result (run_id INTEGER NOT NULL REFERENCES audit_run(id), name TEXT NOT NULL,
                              path TEXT NOT NULL, commit_id TEXT NOT NULL, score INTEGER, maturity INTEGER NOT NULL,
                              findings INTEGER NOT NULL, error TEXT NOT NULL DEFAULT '');
    CREATE TABLE practice_status (run_id INTEGER NOT NULL REFERENCES audit_run(id), repo_path TEXT NOT NULL,
                                  practice TEXT NOT NULL, status TEXT NOT NULL);
    CREATE INDEX repo_result_path ON repo_result(path);
    )sql",
};
static_assert(std::size(kMigrations) == AuditStore::kSchemaVersion, "one migration per schema version");

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    ok_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) == SQLITE_OK;
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  bool ok() const { return ok_; }
  sqlite3_stmt* get() { return stmt_; }
  void text(int i, const std::string& s) { sqlite3_bind_text(stmt_, i, s.c_str(), -1, SQLITE_TRANSIENT); }
  void integer(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void null(int i) { sqlite3_bind_null(stmt_, i); }
  int step() { return sqlite3_step(stmt_); }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string column_text(int i) {
    const unsigned char* t = sqlite3_column_text(stmt_, i);
    return t ? reinterpret_cast<const char*>(t) : "";
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  bool ok_ = false;
};

}  // namespace

AuditStore::~AuditStore() {
  sqlite3_close(db_);
}

bool AuditStore::exec(const std::string& sql, std::string& error) const {
  char* msg = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
    error = msg ? msg : "sqlite error";
    sqlite3_free(msg);
    return false;
  }
  return true;
}

bool AuditStore::read_version(int& version, std::string& error) const {
  Statement s(db_, "PRAGMA user_version");
  // This is the first read of the file: "file is not a database" and "database is locked" show here.
  int rc = s.ok() ? s.step() : SQLITE_ERROR;
  if (rc != SQLITE_ROW) {
    error = sqlite3_errmsg(db_);
    return false;
  }
  version = sqlite3_column_int(s.get(), 0);
  return true;
}

int AuditStore::schema_version() const {
  int v = -1;
  std::string ignored;
  return read_version(v, ignored) ? v : -1;
}

bool AuditStore::migrate(std::string& error, Mode mode) {
  for (;;) {
    int version = -1;
    if (!read_version(version, error)) return false;
    if (version > kSchemaVersion) {
      error = "the store has schema version " + std::to_string(version) + ", newer than this mlops-lint (" +
              std::to_string(kSchemaVersion) + ")";
      return false;
    }
    if (version < 0) {
      error = "not an mlops-lint audit store (schema version " + std::to_string(version) + ")";
      return false;
    }
    if (version == kSchemaVersion) return true;
    if (mode == Mode::kReadOnly) {
      error = version == 0 ? "not an mlops-lint audit store (no audit recorded in it)"
                           : "the store has the older schema version " + std::to_string(version) +
                                 "; record an audit in it (audit --store) to upgrade it";
      return false;
    }
    // One transaction per step, taken for writing before the version is read again: a failed
    // migration leaves the previous version, and two processes never run the same step.
    if (!exec("BEGIN IMMEDIATE", error)) return false;
    std::string ignored;
    if (!read_version(version, error)) {
      exec("ROLLBACK", ignored);
      return false;
    }
    if (version >= 0 && version < kSchemaVersion &&
        (!exec(kMigrations[version], error) ||
         !exec("PRAGMA user_version = " + std::to_string(version + 1), error))) {
      exec("ROLLBACK", ignored);
      return false;
    }
    if (!exec("COMMIT", error)) {
      exec("ROLLBACK", ignored);
      return false;
    }
  }
}

bool AuditStore::open(const std::string& path, std::string& error, Mode mode, int busy_timeout_ms) {
  if (mode == Mode::kReadOnly) {
    // SQLite would report "unable to open database file"; a mistyped path deserves plainer words.
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      error = errno == ENOENT ? "no such store" : std::string("cannot open: ") + std::strerror(errno);
      return false;
    }
    if (!S_ISREG(st.st_mode)) {
      error = "not a store file";
      return false;
    }
  }
  int flags = mode == Mode::kReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    error = "cannot open: " + std::string(db_ ? sqlite3_errmsg(db_) : "out of memory");
    return false;
  }
  // Another audit writing the store waits its turn, for a while.
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  return migrate(error, mode);
}

bool AuditStore::record(const std::vector<RepoAudit>& repos, const std::string& profile,
                        const std::string& run_at, std::string& error) {
  // One transaction for the whole run: a killed or failed audit records nothing, never half.
  if (!exec("BEGIN IMMEDIATE", error)) return false;
  auto fail = [&]() {
    if (error.empty()) error = sqlite3_errmsg(db_);
    std::string ignored;
    exec("ROLLBACK", ignored);
    return false;
  };
  Statement run(db_, "INSERT INTO audit_run(run_at, profile, tool_version) VALUES(?, ?, ?)");
  if (!run.ok()) return fail();
  run.text(1, run_at);
  run.text(2, profile);
  run.text(3, MLOPS_LINT_VERSION);
  if (run.step() != SQLITE_DONE) return fail();
  int64_t run_id = sqlite3_last_insert_rowid(db_);
  Statement repo(db_,
                 "INSERT INTO repo_result(run_id, name, path, commit_id, score, maturity, findings, error) "
                 "VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
  Statement practice(db_,
                     "INSERT INTO practice_status(run_id, repo_path, practice, status) VALUES(?, ?, ?, ?)");
  if (!repo.ok() || !practice.ok()) return fail();
  for (const auto& r : repos) {
    repo.integer(1, run_id);
    repo.text(2, r.name);
    repo.text(3, r.path);
    repo.text(4, r.commit);
    if (r.scores.overall < 0)
      repo.null(5);
    else
      repo.integer(5, r.scores.overall);
    repo.integer(6, r.scores.maturity);
    repo.integer(7, static_cast<int64_t>(r.total_findings));
    repo.text(8, r.error);
    if (repo.step() != SQLITE_DONE) return fail();
    repo.reset();
    for (const auto& p : r.practices) {
      practice.integer(1, run_id);
      practice.text(2, r.path);
      practice.text(3, p.practice);
      practice.text(4, p.status);
      if (practice.step() != SQLITE_DONE) return fail();
      practice.reset();
    }
  }
  return exec("COMMIT", error);
}

std::vector<RepoAudit> AuditStore::trends(std::string& error) const {
  std::vector<RepoAudit> out;
  std::map<std::string, size_t> index;  // path -> position in out
  Statement rows(
      db_,
      "SELECT r.run_id, a.run_at, r.name, r.path, r.commit_id, r.score, r.maturity, r.findings, r.error "
      "FROM repo_result r JOIN audit_run a ON a.id = r.run_id ORDER BY r.path, r.run_id DESC");
  if (!rows.ok()) {
    error = sqlite3_errmsg(db_);
    return out;
  }
  std::map<std::string, int64_t> latest_run;
  int rc;
  while ((rc = rows.step()) == SQLITE_ROW) {
    std::string path = rows.column_text(3);
    int score = sqlite3_column_type(rows.get(), 5) == SQLITE_NULL ? -1 : sqlite3_column_int(rows.get(), 5);
    auto [it, fresh] = index.emplace(path, out.size());
    if (fresh) {
      RepoAudit r;
      r.name = rows.column_text(2);
      r.path = path;
      r.commit = rows.column_text(4);
      r.scores.overall = score;
      r.scores.maturity = sqlite3_column_int(rows.get(), 6);
      r.total_findings = static_cast<size_t>(sqlite3_column_int64(rows.get(), 7));
      r.error = rows.column_text(8);
      latest_run[path] = sqlite3_column_int64(rows.get(), 0);
      out.push_back(std::move(r));
    }
    std::string date = rows.column_text(1).substr(0, 10);
    out[it->second].history.push_back({rows.column_text(4), date, score, sqlite3_column_int(rows.get(), 6)});
  }
  // A damaged page or a lock shows up part way: an error, never a short report.
  if (rc != SQLITE_DONE) {
    error = sqlite3_errmsg(db_);
    return {};
  }
  Statement practices(
      db_, "SELECT repo_path, practice, status FROM practice_status WHERE run_id = ? AND repo_path = ?");
  if (!practices.ok()) {
    error = sqlite3_errmsg(db_);
    return {};
  }
  for (auto& r : out) {
    practices.integer(1, latest_run[r.path]);
    practices.text(2, r.path);
    while ((rc = practices.step()) == SQLITE_ROW)
      r.practices.push_back({practices.column_text(1), practices.column_text(2), {}, {}});
    if (rc != SQLITE_DONE) {
      error = sqlite3_errmsg(db_);
      return {};
    }
    practices.reset();
    Scores s = compute_scores(r.practices);
    r.scores.areas = s.areas;
    r.scores.maturity_name = s.maturity_name;
  }
  return out;
}

}  // namespace mlops
