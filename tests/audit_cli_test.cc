// `mlops-lint audit`, `report` and the store end to end: repositories found and named, progress
// lines in logs, and the history a store keeps across runs.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>

#include "support/process.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;

namespace {

using mlops::test_support::TempDir;

using Result = mlops::test_support::CommandResult;
using mlops::test_support::quote;

// Runs the binary with stdout and stderr captured (neither is a terminal).
Result lint(const std::string& args) {
  static TempDir scratch;
  return mlops::test_support::run_shell("env XDG_CACHE_HOME=" + quote((scratch.path() / "cache").string()) +
                                        " " + quote(MLOPS_BINARY) + " " + args + " </dev/null");
}

void git(const fs::path& repo, const std::string& args) {
  std::string cmd = "cd " + quote(repo.string()) +
                    " && git -c user.name=t -c user.email=t@example.com -c init.defaultBranch=main "
                    "-c commit.gpgsign=false " +
                    args + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

// A small training project committed at `repo`, its origin `remote` when given.
void make_repo(const TempDir& t, const std::string& rel, const std::string& remote) {
  t.write(rel + "/train.py",
          "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n\n"
          "def train(df):\n    return LogisticRegression().fit(df[['x']], df['y'])\n");
  t.write(rel + "/README.md", "# model\n");
  fs::path repo = t.path() / rel;
  git(repo, "init -q");
  if (!remote.empty()) git(repo, "remote add origin " + remote);
  git(repo, "add -A");
  git(repo, "commit -qm first");
}

size_t count_matches(const std::string& text, const std::regex& re) {
  size_t n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) n += std::regex_match(line, re) ? 1 : 0;
  return n;
}

TEST(AuditCli, AFolderOfCheckoutsIsListedByOwnerAndNameWithAProgressLineEach) {
  TempDir t;
  for (int i = 1; i <= 8; ++i)
    make_repo(t, "org/acme+model" + std::to_string(i) + "/repo",
              "git@github.com:acme/model" + std::to_string(i) + ".git");
  Result r = lint("audit --no-cache --jobs 2 " + quote((t.path() / "org").string()));
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  for (int i = 1; i <= 8; ++i)
    EXPECT_NE(r.out.find("acme/model" + std::to_string(i) + " "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("repo "), std::string::npos) << "no repository is named after its folder: " << r.out;
  std::regex progress(R"(\[[1-8]/8\] acme/model[1-8] \d+ \(\d+\.\d s\))");
  EXPECT_EQ(count_matches(r.err, progress), 8u) << r.err;
  EXPECT_NE(r.err.find("[8/8] "), std::string::npos) << r.err;

  Result quiet = lint("audit --no-cache --quiet " + quote((t.path() / "org").string()));
  ASSERT_EQ(quiet.status, 0);
  EXPECT_EQ(quiet.err, "");
}

TEST(AuditCli, ATerminalGetsAProgressBarInsteadOfLines) {
  if (std::system("command -v script >/dev/null 2>&1") != 0) GTEST_SKIP() << "script(1) not installed";
  TempDir t;
  make_repo(t, "org/a/repo", "https://github.com/acme/a.git");
  make_repo(t, "org/b/repo", "https://github.com/acme/b.git");
  // script(1) runs the audit on a pseudo-terminal and copies what it wrote.
  Result r;
  std::string cmd = "script -qec " +
                    quote(std::string(MLOPS_BINARY) + " audit --no-cache --format json " +
                          (t.path() / "org").string() + " >/dev/null") +
                    " /dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::array<char, 4096> buf{};
  for (size_t got; (got = fread(buf.data(), 1, buf.size(), p)) > 0;) r.out.append(buf.data(), got);
  ASSERT_EQ(pclose(p), 0) << r.out;
  EXPECT_NE(r.out.find("\r\033[K[###############...............] 1/2 acme/"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("] 2/2 acme/"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("[1/2]"), std::string::npos) << "no log lines on a terminal: " << r.out;
}

TEST(AuditCli, StoreThenReportShowsTheCommitsOfEveryRun) {
  TempDir t;
  make_repo(t, "churn", "https://github.com/acme/churn.git");
  fs::path repo = t.path() / "churn";
  t.write("churn/tests/test_train.py",
          "import pandas as pd\nfrom train import train\n\n\ndef test_train():\n"
          "    assert train(pd.DataFrame({'x': [0, 1], 'y': [0, 1]})) is not None\n");
  git(repo, "add -A");
  git(repo, "commit -qm tests");
  std::string store = quote((t.path() / "audits.sqlite").string());
  ASSERT_EQ(lint("audit -q --no-cache --history 5 --store " + store + " " + quote(repo.string())).status, 0);
  t.write("churn/README.md", "# model\n\nRun `python train.py`.\n");
  git(repo, "add -A");
  git(repo, "commit -qm docs");
  ASSERT_EQ(
      lint("audit -q --no-cache --profile production --store " + store + " " + quote(repo.string())).status,
      0);

  Result report = lint("report --format json --store " + store);
  ASSERT_EQ(report.status, 0) << report.err;
  nlohmann::json j = nlohmann::json::parse(report.out);
  EXPECT_EQ(j["profile"], "production");
  ASSERT_EQ(j["repos"].size(), 1u);
  const auto& r = j["repos"][0];
  EXPECT_EQ(r["name"], "acme/churn");
  // Three commits: the two the first run scored from history, and the new HEAD.
  ASSERT_EQ(r["history"].size(), 3u) << r.dump(2);
  EXPECT_EQ(r["history"][0]["commit"], r["commit"]);
  EXPECT_FALSE(r.contains("finding_list")) << "a store keeps finding counts, not texts";
  EXPECT_GT(r["findings"].get<int>(), 0);
  std::vector<std::string> appeared = r["history"][1]["appeared"];
  EXPECT_NE(std::find(appeared.begin(), appeared.end(), "tests"), appeared.end()) << r.dump(2);

  // A run that finds nothing new says so.
  ASSERT_EQ(
      lint("audit -q --no-cache --profile production --store " + store + " " + quote(repo.string())).status,
      0);
  Result table = lint("report --store " + store);
  ASSERT_EQ(table.status, 0);
  EXPECT_NE(table.out.find("no change since last run"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("profile production"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("recorded"), std::string::npos) << table.out;
}

}  // namespace
