// SQLite audit store.
#include "audit/store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>

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
    // 2: every audited commit once per (repository, commit, rule set), with its area scores and
    // practice statuses; kind and findings by severity per repository. Runs of version 1 become
    // one point each, dated by the run (their commit dates were not kept).
    R"sql(
    ALTER TABLE audit_run ADD COLUMN ruleset TEXT NOT NULL DEFAULT '';
    ALTER TABLE repo_result ADD COLUMN kind TEXT NOT NULL DEFAULT '';
    ALTER TABLE repo_result ADD COLUMN ml INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE repo_result ADD COLUMN errors INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE repo_result ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE repo_result ADD COLUMN infos INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE commit_score (repo_path TEXT NOT NULL, commit_id TEXT NOT NULL, ruleset TEXT NOT NULL,
                               time INTEGER NOT NULL, date TEXT NOT NULL, score INTEGER, maturity INTEGER NOT NULL,
                               areas TEXT NOT NULL, practices TEXT NOT NULL,
                               run_id INTEGER NOT NULL REFERENCES audit_run(id), seq INTEGER NOT NULL DEFAULT 0,
                               PRIMARY KEY (repo_path, commit_id, ruleset));
    INSERT OR IGNORE INTO commit_score
      SELECT r.path, r.commit_id, '', COALESCE(CAST(strftime('%s', a.run_at) AS INTEGER), 0), substr(a.run_at, 1, 10),
             r.score, r.maturity, '{}',
             COALESCE((SELECT json_group_object(p.practice, p.status) FROM practice_status p
                       WHERE p.run_id = r.run_id AND p.repo_path = r.path), '{}'),
             r.run_id, 0
      FROM repo_result r JOIN audit_run a ON a.id = r.run_id
      WHERE r.commit_id <> '' AND r.error = ''
      ORDER BY r.run_id DESC;
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

std::string fmt_change(int before, int after, const std::string& date) {
  auto shown = [](int v) { return v < 0 ? std::string("none") : std::to_string(v); };
  return "score " + shown(before) + " -> " + shown(after) + " since last run (" + date + ")";
}

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
  if (mode == Mode::kReadOnly) {
    // An audit killed while recording leaves a hot journal, which a read-only connection cannot
    // roll back ("attempt to write a readonly database"). Rolling it back restores the store as
    // of its last complete run, as any later writer would: done once, through a short read-write
    // connection that never creates the file.
    struct stat js {};
    if (::stat((path + "-journal").c_str(), &js) == 0 && js.st_size > 0) {
      sqlite3* rw = nullptr;
      if (sqlite3_open_v2(path.c_str(), &rw, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(rw, busy_timeout_ms);
        sqlite3_exec(rw, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
      }
      sqlite3_close(rw);
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
  // One run uses one rule set; every repository carries its signature.
  std::string ruleset = repos.empty() ? std::string() : repos.front().ruleset;
  Statement run(db_, "INSERT INTO audit_run(run_at, profile, tool_version, ruleset) VALUES(?, ?, ?, ?)");
  if (!run.ok()) return fail();
  run.text(1, run_at);
  run.text(2, profile);
  run.text(3, MLOPS_LINT_VERSION);
  run.text(4, ruleset);
  if (run.step() != SQLITE_DONE) return fail();
  int64_t run_id = sqlite3_last_insert_rowid(db_);
  Statement repo(
      db_,
      "INSERT INTO repo_result(run_id, name, path, commit_id, score, maturity, findings, error, kind, ml, "
      "errors, warnings, infos) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  Statement practice(db_,
                     "INSERT INTO practice_status(run_id, repo_path, practice, status) VALUES(?, ?, ?, ?)");
  // A commit audited again with the same rules is already known: the first record stays.
  Statement point(
      db_,
      "INSERT OR IGNORE INTO commit_score(repo_path, commit_id, ruleset, time, date, score, maturity, areas, "
      "practices, run_id, seq) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!repo.ok() || !practice.ok() || !point.ok()) return fail();
  auto severity = [](const RepoAudit& r, Severity s) {
    auto it = r.findings.find(s);
    return static_cast<int64_t>(it == r.findings.end() ? 0 : it->second);
  };
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
    repo.text(9, r.kind.kind);
    repo.integer(10, r.kind.ml ? 1 : 0);
    repo.integer(11, severity(r, Severity::Error));
    repo.integer(12, severity(r, Severity::Warning));
    repo.integer(13, severity(r, Severity::Info));
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
    if (!r.error.empty()) continue;
    for (size_t seq = 0; seq < r.history.size(); ++seq) {
      const HistoryPoint& h = r.history[seq];
      if (h.commit.empty()) continue;
      nlohmann::json areas = nlohmann::json::object(), statuses = nlohmann::json::object();
      for (const auto& [a, v] : h.areas) areas[a] = v;
      for (const auto& [slug, status] : h.practices) statuses[slug] = status;
      point.text(1, r.path);
      point.text(2, h.commit);
      point.text(3, r.ruleset);
      point.integer(4, h.time);
      point.text(5, h.date);
      if (h.score < 0)
        point.null(6);
      else
        point.integer(6, h.score);
      point.integer(7, h.maturity);
      point.text(8, areas.dump());
      point.text(9, statuses.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      point.integer(10, run_id);
      point.integer(11, static_cast<int64_t>(seq));  // first-parent order, for commits of one second
      if (point.step() != SQLITE_DONE) return fail();
      point.reset();
    }
  }
  return exec("COMMIT", error);
}

std::string AuditStore::latest_profile(std::string& error) const {
  Statement s(db_, "SELECT profile FROM audit_run ORDER BY id DESC LIMIT 1");
  if (!s.ok()) {
    error = sqlite3_errmsg(db_);
    return {};
  }
  return s.step() == SQLITE_ROW ? s.column_text(0) : std::string();
}

namespace {

// Practice statuses of one repository in one run.
std::map<std::string, std::string> run_statuses(Statement& practices, int64_t run_id,
                                                const std::string& path) {
  std::map<std::string, std::string> out;
  practices.integer(1, run_id);
  practices.text(2, path);
  while (practices.step() == SQLITE_ROW) out[practices.column_text(0)] = practices.column_text(1);
  practices.reset();
  return out;
}

// JSON of a stored point; anything unreadable reads as empty (the point still shows its score).
nlohmann::json stored_json(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  return j.is_object() ? j : nlohmann::json::object();
}

}  // namespace

std::vector<RepoAudit> AuditStore::trends(std::string& error) const {
  std::vector<RepoAudit> out;
  std::map<std::string, size_t> index;  // path -> position in out
  Statement rows(
      db_,
      "SELECT r.run_id, a.run_at, r.name, r.path, r.commit_id, r.score, r.maturity, r.findings, r.error, "
      "r.kind, r.ml, r.errors, r.warnings, r.infos, a.ruleset "
      "FROM repo_result r JOIN audit_run a ON a.id = r.run_id ORDER BY r.path, r.run_id DESC");
  if (!rows.ok()) {
    error = sqlite3_errmsg(db_);
    return out;
  }
  struct Run {
    int64_t id = 0;
    std::string date, commit, ruleset;
    int score = -1;
  };
  std::map<std::string, std::vector<Run>> runs;  // path -> its runs, newest first
  std::map<std::string, std::vector<HistoryPoint>> run_points;
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
      r.kind.kind = rows.column_text(9);
      r.kind.ml = sqlite3_column_int(rows.get(), 10) != 0;
      for (auto [col, sev] : {std::pair{11, Severity::Error}, {12, Severity::Warning}, {13, Severity::Info}})
        if (int64_t n = sqlite3_column_int64(rows.get(), col); n > 0)
          r.findings[sev] = static_cast<size_t>(n);
      r.ruleset = rows.column_text(14);
      r.findings_listed = false;  // a store keeps counts, not finding texts
      out.push_back(std::move(r));
    }
    std::string date = rows.column_text(1).substr(0, 10);
    runs[path].push_back(
        {sqlite3_column_int64(rows.get(), 0), date, rows.column_text(4), rows.column_text(14), score});
    HistoryPoint h;
    h.commit = rows.column_text(4);
    h.date = date;
    h.score = score;
    h.maturity = sqlite3_column_int(rows.get(), 6);
    run_points[path].push_back(std::move(h));
  }
  // A damaged page or a lock shows up part way: an error, never a short report.
  if (rc != SQLITE_DONE) {
    error = sqlite3_errmsg(db_);
    return {};
  }
  Statement practices(db_, "SELECT practice, status FROM practice_status WHERE run_id = ? AND repo_path = ?");
  Statement points(
      db_,
      "SELECT commit_id, ruleset, time, date, score, maturity, areas, practices FROM commit_score "
      "WHERE repo_path = ? ORDER BY time DESC, run_id DESC, seq");
  if (!practices.ok() || !points.ok()) {
    error = sqlite3_errmsg(db_);
    return {};
  }
  for (auto& r : out) {
    const auto& mine = runs[r.path];
    auto latest = run_statuses(practices, mine.front().id, r.path);
    for (const auto& [slug, status] : latest) r.practices.push_back({slug, status, {}, {}});
    // Keep the stored order of practices: the renderers list them in the known order anyway.
    Scores s = compute_scores(r.practices);
    r.scores.areas = s.areas;
    r.scores.maturity_name = r.kind.ml ? s.maturity_name : "not an ML project";
    if (!r.kind.ml)
      for (auto& a : r.scores.areas) a.score = -1;
    if (mine.size() < 2) {
      r.since_last_run = "first recorded run";
    } else {
      const Run& prev = mine[1];
      bool same = prev.commit == r.commit && prev.score == r.scores.overall &&
                  run_statuses(practices, prev.id, r.path) == latest;
      if (same)
        r.since_last_run = "no change since last run";
      else if (prev.score != r.scores.overall)
        r.since_last_run = fmt_change(prev.score, r.scores.overall, prev.date);
      else
        r.since_last_run =
            "score unchanged since last run (" + prev.date + "), at a new commit or with new statuses";
    }
    // Every commit audited for this repository, once: the current rule set's record wins.
    std::map<std::string, size_t> by_commit;
    std::vector<std::string> rulesets;
    points.text(1, r.path);
    while (points.step() == SQLITE_ROW) {
      HistoryPoint h;
      h.commit = points.column_text(0);
      std::string ruleset = points.column_text(1);
      h.time = sqlite3_column_int64(points.get(), 2);
      h.date = points.column_text(3);
      h.score =
          sqlite3_column_type(points.get(), 4) == SQLITE_NULL ? -1 : sqlite3_column_int(points.get(), 4);
      h.maturity = sqlite3_column_int(points.get(), 5);
      nlohmann::json areas = stored_json(points.column_text(6)),
                     statuses = stored_json(points.column_text(7));
      for (const auto& [a, v] : areas.items()) h.areas[a] = v.is_number_integer() ? v.get<int>() : -1;
      for (const auto& [slug, v] : statuses.items())
        if (v.is_string()) h.practices[slug] = v.get<std::string>();
      auto [it, fresh] = by_commit.emplace(h.commit, r.history.size());
      if (fresh) {
        r.history.push_back(std::move(h));
        rulesets.push_back(ruleset);
      } else if (ruleset == r.ruleset && rulesets[it->second] != r.ruleset) {
        r.history[it->second] = std::move(h);
        rulesets[it->second] = ruleset;
      }
    }
    points.reset();
    if (r.history.empty()) r.history = run_points[r.path];  // a plain directory: one point per run
    mark_practice_changes(r.history);
  }
  return out;
}

}  // namespace mlops
