// The store's history: every audited commit once per (repository, commit, rule set), runs
// compared, the profile named, and stores of the previous schema still readable.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include "audit/store.h"

namespace mlops {
namespace {

std::string temp_db(const char* name) {
  auto p = std::filesystem::temp_directory_path() /
           (std::string(name) + "-" + std::to_string(::getpid()) + ".sqlite");
  std::filesystem::remove(p);
  return p.string();
}

HistoryPoint point(const std::string& commit, int64_t time, int score, const std::string& tests) {
  HistoryPoint h;
  h.commit = commit;
  h.time = time;
  h.date = "2026-11-" + std::to_string(10 + time % 10);
  h.score = score;
  h.areas = {{"code", score}};
  h.practices = {{"tests", tests}, {"ci", "missing"}};
  return h;
}

// An audited repository whose history holds the given points (newest first).
RepoAudit audited(const std::vector<HistoryPoint>& history, const std::string& ruleset = "rules-1") {
  RepoAudit r;
  r.name = "acme/churn";
  r.path = "/r/churn";
  r.commit = history.front().commit;
  r.ruleset = ruleset;
  r.kind = {"trains models", true};
  r.scores.overall = history.front().score;
  r.practices = {{"tests", history.front().practices.at("tests"), {}, {}}, {"ci", "missing", {}, {}}};
  r.findings[Severity::Warning] = 2;
  r.total_findings = 2;
  r.history = history;
  return r;
}

int64_t rows(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* s = nullptr;
  int64_t n = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
    n = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return n;
}

TEST(AuditStoreHistory, KeepsEveryAuditedCommitOncePerRuleSet) {
  std::string path = temp_db("history");
  AuditStore s;
  std::string error;
  ASSERT_TRUE(s.open(path, error)) << error;
  auto c1 = point("c1", 1, 40, "missing"), c2 = point("c2", 2, 40, "missing"),
       c3 = point("c3", 3, 60, "present");
  auto c4 = point("c4", 4, 60, "present");
  ASSERT_TRUE(s.record({audited({c3, c2, c1})}, "team", "2026-11-20T10:00:00Z", error)) << error;
  ASSERT_TRUE(s.record({audited({c4, c3})}, "team", "2026-11-21T10:00:00Z", error)) << error;
  EXPECT_EQ(rows(path, "SELECT COUNT(*) FROM commit_score"), 4);
  auto trends = s.trends(error);
  ASSERT_TRUE(error.empty()) << error;
  ASSERT_EQ(trends.size(), 1u);
  const RepoAudit& r = trends[0];
  std::vector<std::string> commits;
  for (const auto& h : r.history) commits.push_back(h.commit);
  EXPECT_EQ(commits, (std::vector<std::string>{"c4", "c3", "c2", "c1"}));  // c1, c2 from the first run
  EXPECT_EQ(r.history[1].appeared, std::vector<std::string>{"tests"});
  EXPECT_EQ(r.history[1].areas.at("code"), 60);
  EXPECT_EQ(r.kind.kind, "trains models");
  EXPECT_EQ(r.findings.at(Severity::Warning), 2u);
  EXPECT_EQ(r.since_last_run,
            "score unchanged since last run (2026-11-20), at a new commit or with new statuses");

  // The same commit again with the same rules: nothing new, and the report says so.
  ASSERT_TRUE(s.record({audited({c4})}, "production", "2026-11-22T10:00:00Z", error)) << error;
  EXPECT_EQ(rows(path, "SELECT COUNT(*) FROM commit_score"), 4);
  trends = s.trends(error);
  EXPECT_EQ(trends[0].since_last_run, "no change since last run");
  EXPECT_EQ(trends[0].history.size(), 4u);
  EXPECT_EQ(s.latest_profile(error), "production");

  // Another rule set records the commit again, but the history shows each commit once.
  ASSERT_TRUE(
      s.record({audited({point("c4", 4, 70, "present")}, "rules-2")}, "team", "2026-11-23T10:00:00Z", error));
  EXPECT_EQ(rows(path, "SELECT COUNT(*) FROM commit_score"), 5);
  trends = s.trends(error);
  ASSERT_EQ(trends[0].history.size(), 4u);
  EXPECT_EQ(trends[0].history[0].score, 70);  // the current rule set's record
  EXPECT_EQ(trends[0].since_last_run, "score 60 -> 70 since last run (2026-11-22)");
  std::filesystem::remove(path);
}

TEST(AuditStoreHistory, AStoreOfTheFirstSchemaIsMigratedWithItsRuns) {
  std::string path = temp_db("schema1");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  // The DDL and rows a store of schema version 1 holds.
  const char* v1 = R"sql(
    CREATE TABLE audit_run (id INTEGER PRIMARY KEY, run_at TEXT NOT NULL, profile TEXT NOT NULL,
                            tool_version TEXT NOT NULL);
    CREATE TABLE repo_result (run_id INTEGER NOT NULL REFERENCES audit_run(id), name TEXT NOT NULL,
                              path TEXT NOT NULL, commit_id TEXT NOT NULL, score INTEGER, maturity INTEGER NOT NULL,
                              findings INTEGER NOT NULL, error TEXT NOT NULL DEFAULT '');
    CREATE TABLE practice_status (run_id INTEGER NOT NULL REFERENCES audit_run(id), repo_path TEXT NOT NULL,
                                  practice TEXT NOT NULL, status TEXT NOT NULL);
    CREATE INDEX repo_result_path ON repo_result(path);
    INSERT INTO audit_run VALUES (1, '2026-10-01T08:00:00Z', 'team', '0.1.0'), (2, '2026-10-08T08:00:00Z', 'team', '0.1.0');
    INSERT INTO repo_result VALUES (1, 'churn', '/r/churn', 'aaa', 40, 0, 7, ''), (2, 'churn', '/r/churn', 'bbb', 60, 1, 5, '');
    INSERT INTO practice_status VALUES (1, '/r/churn', 'tests', 'missing'), (2, '/r/churn', 'tests', 'present');
    PRAGMA user_version = 1;
  )sql";
  ASSERT_EQ(sqlite3_exec(db, v1, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);

  AuditStore s;
  std::string error;
  ASSERT_TRUE(s.open(path, error)) << error;
  EXPECT_EQ(s.schema_version(), AuditStore::kSchemaVersion);
  auto trends = s.trends(error);
  ASSERT_TRUE(error.empty()) << error;
  ASSERT_EQ(trends.size(), 1u);
  EXPECT_EQ(trends[0].commit, "bbb");
  EXPECT_EQ(trends[0].scores.overall, 60);
  ASSERT_EQ(trends[0].history.size(), 2u);
  EXPECT_EQ(trends[0].history[0].commit, "bbb");
  EXPECT_EQ(trends[0].history[0].date, "2026-10-08");
  EXPECT_EQ(trends[0].history[0].appeared, std::vector<std::string>{"tests"});
  EXPECT_EQ(trends[0].history[1].score, 40);
  EXPECT_EQ(s.latest_profile(error), "team");
  // And it takes new runs.
  ASSERT_TRUE(
      s.record({audited({point("ccc", 1800000000, 80, "present")})}, "team", "2026-11-20T10:00:00Z", error))
      << error;
  trends = s.trends(error);
  ASSERT_EQ(trends[0].history.size(), 3u);
  EXPECT_EQ(trends[0].history[0].commit, "ccc");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace mlops
