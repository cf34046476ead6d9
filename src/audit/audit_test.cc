#include "audit/audit.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "audit/audit_report.h"
#include "rules/rule_loader.h"

namespace fs = std::filesystem;

namespace mlops {
namespace {

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("mlops-audit-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    std::vector<Diagnostic> errors;
    rules_ = load_rules({}, errors);
    ASSERT_TRUE(errors.empty());
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  void git(const fs::path& repo, const std::string& args) {
    std::string cmd = "cd '" + repo.string() +
                      "' && git -c user.name=t -c user.email=t@example.com -c init.defaultBranch=main " +
                      "-c commit.gpgsign=false " + args + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }
  // A training project; with `tests`, a second commit adds tests that call its code.
  fs::path make_repo(const std::string& name, bool tests) {
    fs::path repo = root_ / name;
    write(repo / "train.py",
          "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n\n"
          "def train(df):\n    return LogisticRegression().fit(df[['x']], df['y'])\n");
    write(repo / "README.md", "# model\n");
    git(repo, "init -q");
    git(repo, "add -A");
    git(repo, "commit -qm first");
    if (tests) {
      write(repo / "tests/test_train.py",
            "import pandas as pd\nfrom train import train\n\n\ndef test_train():\n"
            "    assert train(pd.DataFrame({'x': [0, 1], 'y': [0, 1]})) is not None\n");
      git(repo, "add -A");
      git(repo, "commit -qm tests");
    }
    return repo;
  }

  fs::path root_;
  RuleSet rules_;
};

TEST_F(AuditTest, DirectoryOfRepositoriesIsExpandedInSortedOrder) {
  make_repo("b-repo", false);
  make_repo("a-repo", false);
  std::string error;
  auto repos = expand_repositories({root_.string()}, "", error);
  ASSERT_TRUE(error.empty()) << error;
  ASSERT_EQ(repos.size(), 2u);
  EXPECT_EQ(fs::path(repos[0]).filename(), "a-repo");
  EXPECT_EQ(fs::path(repos[1]).filename(), "b-repo");
  expand_repositories({(root_ / "missing").string()}, "", error);
  EXPECT_FALSE(error.empty());
}

TEST_F(AuditTest, HistoryIsReadFromCommitsAndScoresImprove) {
  fs::path repo = make_repo("improving", true);
  AuditOptions opts;
  opts.history = 5;
  opts.use_cache = false;
  auto audits = run_audit({repo.string()}, rules_, opts);
  ASSERT_EQ(audits.size(), 1u);
  const RepoAudit& a = audits[0];
  ASSERT_TRUE(a.error.empty()) << a.error;
  EXPECT_EQ(a.commit.size(), 12u);
  ASSERT_EQ(a.history.size(), 2u);  // newest first
  EXPECT_GT(a.history[0].score, a.history[1].score);
  EXPECT_EQ(a.history[0].score, a.scores.overall);
  auto tests = std::find_if(a.practices.begin(), a.practices.end(),
                            [](const PracticeStatus& p) { return p.practice == "tests"; });
  ASSERT_NE(tests, a.practices.end());
  EXPECT_EQ(tests->status, "present");
}

TEST_F(AuditTest, BareRepositoriesNeedNoCheckout) {
  fs::path repo = make_repo("src", true);
  std::string cmd =
      "git clone -q --bare '" + repo.string() + "' '" + (root_ / "bare.git").string() + "' >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  AuditOptions opts;
  opts.use_cache = false;
  auto audits = run_audit({(root_ / "bare.git").string()}, rules_, opts);
  ASSERT_TRUE(audits[0].error.empty()) << audits[0].error;
  EXPECT_EQ(audits[0].name, "bare");
  AuditOptions opts2 = opts;
  auto worktree = run_audit({repo.string()}, rules_, opts2);
  EXPECT_EQ(audits[0].scores.overall, worktree[0].scores.overall);
}

TEST_F(AuditTest, ReportsHaveTheDocumentedShapeAndHtmlIsSelfContained) {
  fs::path odd = make_repo("<b>&x", false);
  fs::path good = make_repo("good", true);
  AuditOptions opts;
  opts.use_cache = false;
  opts.history = 2;
  auto audits = run_audit({odd.string(), good.string()}, rules_, opts);
  nlohmann::json j = nlohmann::json::parse(render_audit("json", audits, "team"));
  ASSERT_EQ(j["repos"].size(), 2u);
  for (const auto& r : j["repos"])
    for (const char* key :
         {"name", "path", "commit", "score", "maturity", "categories", "practices", "findings", "history"})
      EXPECT_TRUE(r.contains(key)) << key;
  std::string csv = render_audit("csv", audits, "team");
  EXPECT_EQ(csv.rfind("name,path,commit,score,maturity,findings,data_versioning", 0), 0u);
  std::string html = render_audit("html", audits, "team");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  EXPECT_EQ(html.find("<b>&x"), std::string::npos) << "repository names are escaped";
  EXPECT_NE(html.find("&lt;b&gt;&amp;x"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos) << "a trend line for the repository with history";
}

}  // namespace
}  // namespace mlops

namespace mlops {

TEST(AuditShards, AreDisjointAndCoverTheSortedList) {
  std::vector<std::string> repos = {"e", "a", "d", "c", "b"};
  std::vector<std::string> seen;
  for (size_t i = 1; i <= 3; ++i) {
    auto part = shard_repositories(repos, i, 3);
    seen.insert(seen.end(), part.begin(), part.end());
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(shard_repositories(repos, 1, 3), (std::vector<std::string>{"a", "d"}));
}

TEST(AuditMerge, JsonReportsRoundTrip) {
  RepoAudit r;
  r.name = "churn";
  r.path = "/r/churn";
  r.commit = "abc";
  r.scores = compute_scores({{"tests", "present", {}, {}}, {"ci", "missing", {}, {}}});
  r.practices = {{"tests", "present", {}, {}}, {"ci", "missing", {}, {}}};
  r.total_findings = 4;
  r.history = {{"abc", "2026-11-20", 50, 0}};
  std::vector<RepoAudit> back;
  std::string error;
  ASSERT_TRUE(parse_audit_json(render_audit("json", {r}, "team"), back, error)) << error;
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].path, "/r/churn");
  EXPECT_EQ(back[0].scores.overall, r.scores.overall);
  EXPECT_EQ(back[0].total_findings, 4u);
  ASSERT_EQ(back[0].history.size(), 1u);
  EXPECT_EQ(back[0].history[0].score, 50);
  EXPECT_EQ(render_audit("json", back, "team"), render_audit("json", {r}, "team"));
  EXPECT_FALSE(parse_audit_json("{\"not\": 1}", back, error));
}

}  // namespace mlops
