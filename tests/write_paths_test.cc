// Everything the binary writes, against a hostile repository: --output, --write-baseline, init
// and generate-docs never write through a planted symlink, generate-docs deletes only its own
// pages, and the audit store is never created or trusted by mistake.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/process.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;

namespace {

using mlops::test_support::TempDir;

using Result = mlops::test_support::CommandResult;
using mlops::test_support::quote;

// The binary with stdout and stderr together in `out`.
Result run(const std::string& args) {
  static TempDir cache_home;
  return mlops::test_support::run_shell("env XDG_CACHE_HOME=" + quote(cache_home.str()) + " NO_COLOR=1 " +
                                        quote(MLOPS_BINARY) + " " + args + " 2>&1");
}

std::string slurp(const fs::path& p) {
  return mlops::test_support::read_file(p);
}

// A repository with one finding, plus a directory outside it holding a file to protect.
struct Hostile {
  TempDir repo, outside;
  Hostile() {
    repo.write("train.py", "import pandas as pd\ndf = pd.read_csv(\"/home/alice/x.csv\")\n");
    outside.write("victim", "precious\n");
  }
  fs::path victim() const { return outside.path() / "victim"; }
  void plant(const std::string& rel) const { fs::create_symlink(victim(), repo.path() / rel); }
};

TEST(WritePaths, OutputAndBaselineNeverGoThroughASymlinkInTheRepository) {
  Hostile h;
  h.plant("mlops-lint.sarif");
  h.plant("baseline.json");
  Result out = run("check --format sarif --output " + quote((h.repo.path() / "mlops-lint.sarif").string()) +
                   " " + quote(h.repo.str()));
  EXPECT_EQ(out.status, 2) << out.out;
  EXPECT_NE(out.out.find("mlops-lint.sarif is a symlink inside the scanned repository"), std::string::npos)
      << out.out;
  Result base = run("check --write-baseline " + quote((h.repo.path() / "baseline.json").string()) + " " +
                    quote(h.repo.str()));
  EXPECT_EQ(base.status, 2) << base.out;
  // A directory of the repository replaced by a symlink to outside.
  fs::create_directory_symlink(h.outside.path(), h.repo.path() / "reports");
  Result dir = run("check --format json --output " + quote((h.repo.path() / "reports" / "victim").string()) +
                   " " + quote(h.repo.str()));
  EXPECT_EQ(dir.status, 2) << dir.out;
  EXPECT_EQ(slurp(h.victim()), "precious\n");
}

TEST(WritePaths, TheUsersOwnSymlinkOutsideTheRepositoryIsFollowed) {
  Hostile h;
  TempDir artifacts;
  fs::create_symlink(h.victim(), artifacts.path() / "report.json");
  Result r = run("check --format json --output " + quote((artifacts.path() / "report.json").string()) + " " +
                 quote(h.repo.str()));
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_TRUE(fs::is_symlink(artifacts.path() / "report.json"));
  EXPECT_NE(slurp(h.victim()).find("DAT003"), std::string::npos);
}

TEST(WritePaths, InitNeverWritesThroughSymlinksAndForceReplacesOnlyRegularFiles) {
  Hostile h;
  h.plant(".mlops-lint.yaml");
  fs::create_directory_symlink(h.outside.path(), h.repo.path() / ".github");
  Result r = run("init --force --ci github " + quote(h.repo.str()));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("symlink"), std::string::npos) << r.out;
  EXPECT_EQ(slurp(h.victim()), "precious\n");
  EXPECT_FALSE(fs::exists(h.outside.path() / "workflows"));

  TempDir plain;
  plain.write(".mlops-lint.yaml", "profile: research\n");
  EXPECT_EQ(run("init " + quote(plain.str())).status, 2);
  EXPECT_EQ(slurp(plain.path() / ".mlops-lint.yaml"), "profile: research\n");
  Result forced = run("init --force --ci gitlab " + quote(plain.str()));
  EXPECT_EQ(forced.status, 0) << forced.out;
  EXPECT_NE(slurp(plain.path() / ".mlops-lint.yaml").find("fail-on"), std::string::npos);
  EXPECT_TRUE(fs::is_regular_file(plain.path() / ".gitlab" / "mlops-lint.gitlab-ci.yml"));
}

TEST(WritePaths, GenerateDocsRemovesOnlyItsOwnStalePages) {
  TempDir docs, outside;
  docs.write("NOTES.md", "my own notes\n");
  ASSERT_EQ(run("generate-docs " + quote(docs.str())).status, 0);
  EXPECT_TRUE(fs::exists(docs.path() / "DAT003.md"));
  EXPECT_EQ(slurp(docs.path() / "NOTES.md"), "my own notes\n");
  // A page a former version wrote, listed in the manifest, for a rule that is gone.
  docs.write("OLD999.md", "stale\n");
  std::ofstream(docs.path() / ".mlops-lint-generated", std::ios::app) << "OLD999.md\n../escape.md\n";
  outside.write("escape.md", "not ours\n");
  ASSERT_EQ(run("generate-docs " + quote(docs.str())).status, 0);
  EXPECT_FALSE(fs::exists(docs.path() / "OLD999.md"));
  EXPECT_EQ(slurp(outside.path() / "escape.md"), "not ours\n");  // names with a '/' are ignored
  EXPECT_EQ(slurp(docs.path() / "NOTES.md"), "my own notes\n");
  EXPECT_TRUE(fs::exists(docs.path() / "DAT003.md"));
  EXPECT_EQ(slurp(docs.path() / ".mlops-lint-generated").find("OLD999"), std::string::npos);
  // A page replaced by a symlink is not written through.
  outside.write("victim", "precious\n");
  fs::remove(docs.path() / "DAT001.md");
  fs::create_symlink(outside.path() / "victim", docs.path() / "DAT001.md");
  EXPECT_EQ(run("generate-docs " + quote(docs.str())).status, 2);
  EXPECT_EQ(slurp(outside.path() / "victim"), "precious\n");
}

TEST(WritePaths, ReportNeedsAnExistingReadableStore) {
  TempDir d;
  fs::path missing = d.path() / "typo.sqlite";
  Result r = run("report --store " + quote(missing.string()));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("typo.sqlite: no such store"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(missing));

  d.write("notes.sqlite", "not a database at all, but long enough to have a header........\n");
  fs::path text = d.path() / "notes.sqlite";
  for (const std::string& cmd : {"report --store " + quote(text.string()),
                                 "audit --store " + quote(text.string()) + " " + quote(d.str())}) {
    Result bad = run(cmd);
    EXPECT_EQ(bad.status, 2) << cmd << "\n" << bad.out;
    EXPECT_NE(bad.out.find("notes.sqlite: file is not a database"), std::string::npos) << bad.out;
  }

  TempDir repo;
  repo.write("train.py", "import torch\n");
  fs::path store = d.path() / "audits.sqlite";
  ASSERT_EQ(run("audit --store " + quote(store.string()) + " " + quote(repo.str())).status, 0);
  Result ok = run("report --store " + quote(store.string()));
  EXPECT_EQ(ok.status, 0) << ok.out;
  EXPECT_NE(ok.out.find("1 repository"), std::string::npos) << ok.out;
}

}  // namespace
