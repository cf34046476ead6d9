// `mlops-lint fix --scaffold` end to end: on a copy of examples/neglected-project it writes the
// missing practices' files, a following check counts them, a second run writes nothing; never
// overwrites; --dry-run, --ci and the git remote; exit codes.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "support/process.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;

namespace {

using Result = mlops::test_support::CommandResult;
using mlops::test_support::quote;
using mlops::test_support::read_file;
using mlops::test_support::TempDir;

Result run(const std::string& args) {
  static TempDir cache_home;
  return mlops::test_support::run_shell("env XDG_CACHE_HOME=" + quote(cache_home.str()) + " NO_COLOR=1 " +
                                        quote(MLOPS_BINARY) + " " + args);
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A copy of the neglected example in a fresh directory (outside any git work tree).
void copy_neglected(const TempDir& d) {
  fs::copy(fs::path(MLOPS_SOURCE_DIR) / "examples/neglected-project", d.path(), fs::copy_options::recursive);
}

std::string outcome(const nlohmann::json& report, const std::string& rule) {
  for (const auto& r : report["projects"][0]["results"])
    if (r["rule"] == rule) return r["outcome"];
  return "absent";
}

const char* kScaffolded[] = {"MODEL_CARD.md", "DATA_CARD.md", ".github/workflows/ci.yml",
                             ".pre-commit-config.yaml", "params.yaml"};

TEST(FixScaffoldCli, NeglectedProjectGetsItsMissingPracticesOnce) {
  TempDir d;
  copy_neglected(d);
  Result before = run("check --no-cache --format json " + quote(d.str()));
  nlohmann::json b = nlohmann::json::parse(before.out);
  for (const char* rule : {"DOC002", "DOC003", "CI001", "LNT001", "CFG001"})
    EXPECT_EQ(outcome(b, rule), "fail") << rule;

  Result r = run("fix --scaffold missing " + quote(d.str()));
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  for (const char* path : kScaffolded) {
    EXPECT_TRUE(fs::is_regular_file(d.path() / path)) << path;
    EXPECT_TRUE(has(r.out, "wrote " + (d.path() / path).generic_string() + " (")) << path << "\n" << r.out;
  }
  EXPECT_TRUE(has(read_file(d.path() / "MODEL_CARD.md"), "- Framework(s): scikit-learn\n"));
  EXPECT_TRUE(has(read_file(d.path() / "MODEL_CARD.md"), "`accuracy` (train.py:24)"));
  EXPECT_TRUE(has(read_file(d.path() / "DATA_CARD.md"), "`data/customers.csv`"));
  EXPECT_TRUE(has(read_file(d.path() / "params.yaml"), "model:\n  n_estimators: 300\n  max_depth: 12\n"));
  EXPECT_TRUE(has(read_file(d.path() / ".github/workflows/ci.yml"), "pip install -r requirements.txt"));
  // The hook the scaffold names is one this repository publishes.
  EXPECT_TRUE(has(read_file(d.path() / ".pre-commit-config.yaml"),
                  "  - repo: https://github.com/mlops-lint/mlops-lint\n    rev: v" MLOPS_LINT_VERSION
                  "\n    hooks:\n      - id: mlops-lint\n"));
  EXPECT_TRUE(has(read_file(fs::path(MLOPS_SOURCE_DIR) / ".pre-commit-hooks.yaml"), "\n- id: mlops-lint\n"));
  // What a file cannot provide is said: CI runs no tests until there are tests.
  EXPECT_TRUE(has(r.out, "  to fill in: tests: none found")) << r.out;
  EXPECT_TRUE(has(r.out, "  to fill in: intended use\n")) << r.out;

  Result after = run("check --no-cache --format json " + quote(d.str()));
  nlohmann::json a = nlohmann::json::parse(after.out);
  for (const char* rule : {"DOC002", "DOC003", "CI001", "LNT001", "CFG001"})
    EXPECT_EQ(outcome(a, rule), "pass") << rule << "\n" << after.out;
  EXPECT_EQ(outcome(a, "CI002"), "skipped");  // waits for TST001, as the scaffold output said
  for (const char* practice : {"ci", "linting"})
    EXPECT_EQ(a["projects"][0]["practices"][practice]["status"], "present") << practice;

  std::map<std::string, std::string> bytes;
  for (const char* path : kScaffolded) bytes[path] = read_file(d.path() / path);
  Result again = run("fix --scaffold missing " + quote(d.str()));
  EXPECT_EQ(again.status, 0) << again.out << again.err;
  EXPECT_FALSE(has(again.out, "wrote ")) << again.out;
  EXPECT_TRUE(has(again.out, "nothing to scaffold")) << again.out;
  for (const char* path : kScaffolded) EXPECT_EQ(read_file(d.path() / path), bytes[path]) << path;
}

// With tests in the project, the CI written runs them as CI002 understands it, on either system.
TEST(FixScaffoldCli, WrittenCiRunsTheTestsOnGithubAndGitlab) {
  for (const char* ci : {"github", "gitlab"}) {
    TempDir d;
    copy_neglected(d);
    d.write("tests/test_train.py", "def test_x():\n    assert 1 + 1 == 2\n");
    Result r = run(std::string("fix --scaffold missing --ci ") + ci + " " + quote(d.str()));
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_FALSE(has(r.out, "tests: none found")) << r.out;
    nlohmann::json a = nlohmann::json::parse(run("check --no-cache --format json " + quote(d.str())).out);
    for (const char* rule : {"CI001", "CI002", "LNT001"})
      EXPECT_EQ(outcome(a, rule), "pass") << ci << " " << rule;
  }
}

TEST(FixScaffoldCli, DryRunPrintsAndWritesNothing) {
  TempDir d;
  copy_neglected(d);
  Result r = run("fix --scaffold DOC002 CFG001 --dry-run " + quote(d.str()));
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_TRUE(
      has(r.out, "would write " + (d.path() / "MODEL_CARD.md").generic_string() + " (DOC002):\n# Model card"))
      << r.out;
  EXPECT_TRUE(has(r.out, "n_estimators: 300")) << r.out;
  EXPECT_FALSE(fs::exists(d.path() / "MODEL_CARD.md"));
  EXPECT_FALSE(fs::exists(d.path() / "params.yaml"));
}

TEST(FixScaffoldCli, ExistingFilesAreSkippedNotOverwritten) {
  TempDir d;
  copy_neglected(d);
  d.write("MODEL_CARD.md", "# my card\n");
  Result r = run("fix --scaffold DOC002 DOC003 " + quote(d.str()));
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "skipped " + (d.path() / "MODEL_CARD.md").generic_string() +
                             " (DOC002): already exists; not overwritten\n"))
      << r.out;
  EXPECT_EQ(read_file(d.path() / "MODEL_CARD.md"), "# my card\n");
  EXPECT_TRUE(fs::is_regular_file(d.path() / "DATA_CARD.md"));
}

TEST(FixScaffoldCli, NeverWritesThroughASymlink) {
  TempDir d, outside;
  copy_neglected(d);
  outside.write("target.md", "untouched\n");
  fs::create_symlink(outside.path() / "target.md", d.path() / "MODEL_CARD.md");
  Result r = run("fix --scaffold DOC002 " + quote(d.str()));
  EXPECT_NE(r.status, 1) << r.out << r.err;
  EXPECT_EQ(read_file(outside.path() / "target.md"), "untouched\n");
  EXPECT_TRUE(fs::is_symlink(d.path() / "MODEL_CARD.md"));
}

TEST(FixScaffoldCli, GitlabFromTheRemoteUnlessToldOtherwise) {
  if (mlops::test_support::run_shell("git --version >/dev/null 2>&1").status != 0) GTEST_SKIP() << "no git";
  TempDir d;
  copy_neglected(d);
  ASSERT_EQ(
      mlops::test_support::run_shell("cd " + quote(d.str()) +
                                     " && git -c init.defaultBranch=main init -q && git remote add origin "
                                     "git@gitlab.example.com:team/churn.git")
          .status,
      0);
  Result r = run("fix --scaffold CI001 " + quote(d.str()));
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_TRUE(fs::is_regular_file(d.path() / ".gitlab-ci.yml")) << r.out;
  EXPECT_FALSE(fs::exists(d.path() / ".github"));

  TempDir g;
  copy_neglected(g);
  Result forced = run("fix --scaffold CI001 --ci github " + quote(g.str()));
  ASSERT_EQ(forced.status, 0) << forced.out << forced.err;
  EXPECT_TRUE(fs::is_regular_file(g.path() / ".github/workflows/ci.yml"));
  Result lab = run("fix --scaffold CI001 --ci gitlab " + quote(g.str()));
  ASSERT_EQ(lab.status, 0) << lab.out << lab.err;
  EXPECT_TRUE(fs::is_regular_file(g.path() / ".gitlab-ci.yml"));
}

TEST(FixScaffoldCli, UsageErrorsExitTwo) {
  TempDir d;
  copy_neglected(d);
  Result unknown = run("fix --scaffold SEC001 " + quote(d.str()));
  EXPECT_EQ(unknown.status, 2);
  EXPECT_TRUE(has(unknown.err, "no scaffold for 'SEC001'")) << unknown.err;
  EXPECT_EQ(run("fix " + quote(d.str())).status, 2);
  EXPECT_EQ(run("fix --scaffold missing " + quote((d.path() / "nope").string())).status, 2);
  EXPECT_EQ(run("fix --scaffold missing --ci bitbucket " + quote(d.str())).status, 2);
}

}  // namespace
