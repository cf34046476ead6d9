#include "audit/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace mlops {
namespace {

std::string temp_db(const char* name) {
  auto p = std::filesystem::temp_directory_path() /
           (std::string(name) + "-" + std::to_string(::getpid()) + ".sqlite");
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
    ASSERT_TRUE(s.record({repo("/r/churn", 40, "aaa"), repo("/r/vision", 70, "bbb")}, "team",
                         "2026-11-01T10:00:00Z", error));
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

TEST(AuditStore, ATextFileIsAnErrorNotAnEmptyStore) {
  std::string path = temp_db("text");
  std::ofstream(path) << "this is not a database, just some notes\n" << std::string(4096, 'x');
  for (auto mode : {AuditStore::Mode::kReadWrite, AuditStore::Mode::kReadOnly}) {
    AuditStore s;
    std::string error;
    EXPECT_FALSE(s.open(path, error, mode));
    EXPECT_NE(error.find("not a database"), std::string::npos) << error;
    EXPECT_EQ(s.schema_version(), -1);
  }
  std::filesystem::remove(path);
}

TEST(AuditStore, ALockedStoreIsAnErrorAfterTheBusyTimeout) {
  std::string path = temp_db("locked");
  {
    AuditStore s;
    std::string error;
    ASSERT_TRUE(s.open(path, error)) << error;
    ASSERT_TRUE(s.record({repo("/r/a", 40, "aaa")}, "team", "2026-11-01T10:00:00Z", error)) << error;
  }
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  for (auto mode : {AuditStore::Mode::kReadWrite, AuditStore::Mode::kReadOnly}) {
    AuditStore s;
    std::string error;
    EXPECT_FALSE(s.open(path, error, mode, 20));
    EXPECT_NE(error.find("locked"), std::string::npos) << error;
  }
  sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(holder);
  AuditStore s;  // free again
  std::string error;
  ASSERT_TRUE(s.open(path, error, AuditStore::Mode::kReadOnly)) << error;
  EXPECT_EQ(s.trends(error).size(), 1u);
  std::filesystem::remove(path);
}

TEST(AuditStore, ReadOnlyNeverCreatesOrChangesAFile) {
  std::string path = temp_db("missing");
  AuditStore missing;
  std::string error;
  EXPECT_FALSE(missing.open(path, error, AuditStore::Mode::kReadOnly));
  EXPECT_EQ(error, "no such store");
  EXPECT_FALSE(std::filesystem::exists(path));

  // An empty file is a valid empty database, but not a store: refused, left as it was.
  std::ofstream(path).close();
  AuditStore empty;
  EXPECT_FALSE(empty.open(path, error, AuditStore::Mode::kReadOnly));
  EXPECT_NE(error.find("not an mlops-lint audit store"), std::string::npos) << error;
  EXPECT_EQ(std::filesystem::file_size(path), 0u);
  std::filesystem::remove(path);
}

TEST(AuditStore, ReadOnlyRefusesAStoreFromANewerVersion) {
  std::string path = temp_db("future-ro");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 7", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  AuditStore s;
  std::string error;
  EXPECT_FALSE(s.open(path, error, AuditStore::Mode::kReadOnly));
  EXPECT_NE(error.find("schema version 7, newer"), std::string::npos) << error;
  std::filesystem::remove(path);
}

TEST(AuditStore, ANegativeVersionIsAnErrorNotAMigration) {
  std::string path = temp_db("negative");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = -1", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  AuditStore s;
  std::string error;
  EXPECT_FALSE(s.open(path, error));
  EXPECT_NE(error.find("not an mlops-lint audit store"), std::string::npos) << error;
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace mlops
