// The command line end to end: exit codes, text and JSON output, rules, explain, --version.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <string>

#include "rules/rule.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;

namespace {

using Result = mlops::test_support::CommandResult;
using mlops::test_support::quote;
using mlops::test_support::TempDir;

// Runs the binary with `args`; a private cache directory keeps runs from touching ~/.cache.
Result run(const std::string& args) {
  static TempDir cache_home;
  return mlops::test_support::run_shell("env XDG_CACHE_HOME=" + quote(cache_home.str()) + " NO_COLOR=1 " +
                                        quote(MLOPS_BINARY) + " " + args);
}

TEST(Cli, CleanDirectoryExitsZero) {
  TempDir d;
  d.write("notes.txt", "nothing to see\n");
  Result r = run("check --no-cache " + quote(d.str()));
  EXPECT_EQ(r.status, 0) << r.out << r.err;
}

TEST(Cli, EmptyDirectoryExitsZero) {
  TempDir d;
  Result r = run("check --no-cache " + quote(d.str()));
  EXPECT_EQ(r.status, 0) << r.out << r.err;
}

TEST(Cli, FindingsExitOneWithLocations) {
  TempDir d;
  d.write("load.py", "import pandas as pd\n\ndf = pd.read_csv(\"/home/alice/data/x.csv\")\n");
  Result r = run("check --no-cache " + quote(d.str()));
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("load.py:3:"), std::string::npos) << r.out;
  std::regex line(R"((^|\n)[^\n]*load\.py:3:\d+: warning\[DAT003\])");
  EXPECT_TRUE(std::regex_search(r.out, line)) << r.out;
}

TEST(Cli, StatisticsCountFindingsPerRule) {
  TempDir d;
  d.write("load.py",
          "import pandas as pd\n\na = pd.read_csv(\"/home/alice/data/x.csv\")\n"
          "b = pd.read_csv(\"/home/alice/data/y.csv\")\n");
  Result r = run("check --no-cache --select DAT003 --statistics " + quote(d.str()));
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_EQ(r.out, "2  warning  DAT003  absolute-data-path\n2 findings from 1 rule; 2 at or above warning\n");
}

TEST(Cli, ExitZeroAndFailOnOverrides) {
  TempDir d;
  d.write("load.py", "p = \"/home/alice/data/x.csv\"\nimport pandas\n");
  EXPECT_EQ(run("check --no-cache --exit-zero " + quote(d.str())).status, 0);
  EXPECT_EQ(run("check --no-cache --fail-on error " + quote(d.str())).status, 0);
  EXPECT_EQ(run("check --no-cache --fail-on never " + quote(d.str())).status, 0);
  EXPECT_EQ(run("check --no-cache --ignore DAT003 " + quote(d.str())).status, 0);
}

TEST(Cli, CommentsDoNotCount) {
  TempDir d;
  d.write("load.py", "# p = \"/home/alice/data/x.csv\"\nx = 1\n");
  Result r = run("check --no-cache " + quote(d.str()));
  EXPECT_EQ(r.out.find("DAT003"), std::string::npos) << r.out;
}

TEST(Cli, BrokenConfigExitsTwoWithLine) {
  TempDir d;
  d.write(".mlops-lint.yaml", "profile: team\nselct: [DAT]\n");
  d.write("a.py", "x = 1\n");
  Result r = run("check --no-cache " + quote(d.str()));
  EXPECT_EQ(r.status, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(".mlops-lint.yaml:2: unknown key 'selct'"), std::string::npos) << r.err;
}

TEST(Cli, ConfigRuleDirOutsideRootExitsTwo) {
  TempDir outside;
  TempDir d;
  d.write(".mlops-lint.yaml", "rules: [\"" + outside.str() + "\"]\n");
  Result r = run("check --no-cache " + quote(d.str()));
  EXPECT_EQ(r.status, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("outside the repository"), std::string::npos) << r.err;
}

TEST(Cli, UnknownSelectorExitsTwo) {
  TempDir d;
  Result r = run("check --no-cache --select NOPE999 " + quote(d.str()));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("NOPE999"), std::string::npos) << r.err;
}

TEST(Cli, NonexistentPathExitsTwo) {
  Result r = run("check --no-cache /nonexistent/mlops/lint/path");
  EXPECT_EQ(r.status, 2);
  EXPECT_FALSE(r.err.empty());
}

TEST(Cli, JsonReport) {
  TempDir d;
  d.write("load.py", "p = \"/home/alice/data/x.csv\"\nimport pandas\n");
  Result r = run("check --no-cache --format json " + quote(d.str()));
  EXPECT_EQ(r.status, 1) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  for (const char* key : {"tool", "root", "practices", "findings", "diagnostics", "summary"})
    EXPECT_TRUE(j.contains(key)) << key << "\n" << r.out.substr(0, 2000);
  ASSERT_TRUE(j["findings"].is_array());
  bool dat003 = false;
  for (const auto& f : j["findings"]) dat003 = dat003 || f.dump().find("DAT003") != std::string::npos;
  EXPECT_TRUE(dat003) << j["findings"].dump();
  std::string practices = j["practices"].dump();
  for (const auto& slug : mlops::known_practices())
    EXPECT_NE(practices.find("\"" + slug + "\""), std::string::npos) << slug;
}

TEST(Cli, JsonReportOfCleanDirectory) {
  TempDir d;
  Result r = run("check --no-cache --format json " + quote(d.str()));
  EXPECT_EQ(r.status, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_TRUE(j["findings"].empty());
}

TEST(Cli, CacheDirectoryIsUsedWhenCaching) {
  TempDir d;
  TempDir cache;
  d.write("load.py", "p = \"/home/alice/data/x.csv\"\nimport pandas\n");
  std::string cmd = "env XDG_CACHE_HOME=" + quote(cache.str()) + " " + quote(MLOPS_BINARY) + " check " +
                    quote(d.str()) + " >/dev/null 2>&1";
  int first = std::system(cmd.c_str());
  int second = std::system(cmd.c_str());
  EXPECT_EQ(WEXITSTATUS(first), 1);
  EXPECT_EQ(WEXITSTATUS(second), 1);
  EXPECT_TRUE(fs::exists(cache.path() / "mlops-lint"));
}

TEST(Cli, RulesListsRules) {
  Result r = run("rules");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("DAT003"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("absolute-data-path"), std::string::npos) << r.out;
}

TEST(Cli, ExplainRule) {
  Result r = run("explain DAT003");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("DAT003 absolute-data-path", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("Severity: warning"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("How to fix"), std::string::npos) << r.out;
  Result unknown = run("explain XYZ999");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("XYZ999"), std::string::npos) << unknown.err;
}

TEST(Cli, Version) {
  Result r = run("--version");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.rfind("mlops-lint ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find(MLOPS_LINT_VERSION), std::string::npos) << r.out;
}

TEST(Cli, UnknownSubcommandOrOptionFails) {
  EXPECT_NE(run("frobnicate").status, 0);
  EXPECT_NE(run("check --no-such-option").status, 0);
  EXPECT_NE(run("check --format yaml .").status, 0);
}

TEST(Cli, FilesModeLimitsFindings) {
  TempDir d;
  d.write("a.py", "p = \"/home/alice/data/a.csv\"\nimport pandas\n");
  d.write("b.py", "p = \"/home/alice/data/b.csv\"\nimport pandas\n");
  Result r = run("check --no-cache --files " + quote((d.path() / "b.py").string()) + " -- " + quote(d.str()));
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("b.py:1:"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("a.py:1:"), std::string::npos) << r.out;
}

}  // namespace
