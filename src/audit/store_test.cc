#include "audit/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

namespace mlops {
namespace {

std::string temp_db(const char* name) {
  auto p = std::filesystem::temp_directory_path() / (std::string(name) + "-" + std::to_string(::getpid()) + ".sqlite");
  std::filesystem::remove(p);
  return p.string();
}

RepoAudit repo(const std::string& path, int score, const std::string& commit) {
  RepoAudit r;
  r.name = std::filesystem::path(path).filename().string();
  r.path = path;
  r.commit = commit;
  r.scores.overall = score;
  r.scores.maturity = 1;
  r.total_findings = 3;
  r.practices = {{"tests", score > 50 ? "present" : "missing", {}, {}}, {"ci", "missing", {}, {}}};
  return r;
}

TEST(AuditStore, CreatesTheSchemaAndRecordsTrendsAcrossRuns) {
  std::string path = temp_db("store");
  {
    AuditStore s;
    std::string error;
    ASSERT_TRUE(s.open(path, error)) << error;
    EXPECT_EQ(s.schema_version(), AuditStore::kSchemaVersion);
    ASSERT_TRUE(s.record({repo("/r/churn", 40, "aaa"), repo("/r/vision", 70, "bbb")}, "team", "2026-11-01T10:00:00Z", error));
  }
  AuditStore s;  // reopened: no migration, data kept
  std::string error;
  ASSERT_TRUE(s.open(path, error)) << error;
  ASSERT_TRUE(s.record({repo("/r/churn", 60, "ccc")}, "team", "2026-11-20T10:00:00Z", error));
  auto trends = s.trends(error);
  ASSERT_TRUE(error.empty()) << error;
  ASSERT_EQ(trends.size(), 2u);
  EXPECT_EQ(trends[0].path, "/r/churn");
  EXPECT_EQ(trends[0].scores.overall, 60);  // the latest run
  EXPECT_EQ(trends[0].commit, "ccc");
  ASSERT_EQ(trends[0].history.size(), 2u);  // newest first
  EXPECT_EQ(trends[0].history[0].date, "2026-11-20");
  EXPECT_EQ(trends[0].history[1].score, 40);
  ASSERT_EQ(trends[0].practices.size(), 2u);
  EXPECT_EQ(trends[1].history.size(), 1u);
  std::filesystem::remove(path);
}

TEST(AuditStore, RefusesAStoreFromANewerVersion) {
  std::string path = temp_db("future");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  AuditStore s;
  std::string error;
  EXPECT_FALSE(s.open(path, error));
  EXPECT_NE(error.find("newer"), std::string::npos) << error;
  std::filesystem::remove(path);
}

TEST(AuditStore, MigratesAnEmptyVersionZeroFile) {
  std::string path = temp_db("v0");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE unrelated(x)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  AuditStore s;
  std::string error;
  ASSERT_TRUE(s.open(path, error)) << error;
  EXPECT_EQ(s.schema_version(), AuditStore::kSchemaVersion);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace mlops
