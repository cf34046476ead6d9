// `check --fix`, `--diff` and `--unsafe-fixes` end to end: what is written, what is shown, what
// remains, and that a second run changes nothing.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "support/process.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;

namespace {

using mlops::test_support::CommandResult;
using mlops::test_support::quote;
using mlops::test_support::read_file;
using mlops::test_support::TempDir;

CommandResult run(const std::string& args) {
  static TempDir cache_home;
  return mlops::test_support::run_shell("env XDG_CACHE_HOME=" + quote(cache_home.str()) + " NO_COLOR=1 " +
                                        quote(MLOPS_BINARY) + " " + args);
}

const char* kLock = R"(version = 1
requires-python = ">=3.11"

[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "scikit-learn"
version = "1.5.0"
source = { registry = "https://pypi.org/simple" }
)";

const char* kTrain = R"(import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

df = pd.read_csv("data/train.csv")
X_train, X_test, y_train, y_test = train_test_split(df[["x"]], df["y"], test_size=0.2)
model = LogisticRegression()
model.fit(X_train, y_train)
)";

// A small project with safe fixes (a requirement the lock resolves, a python:latest base image
// with a declared version) and an unsafe one (a seedless split).
void write_project(const TempDir& d) {
  d.write("requirements.txt", "numpy\nscikit-learn>=1.0  # models\npandas\n");
  d.write("uv.lock", kLock);
  d.write(".python-version", "3.11\n");
  d.write("Dockerfile", "FROM python:latest\nCOPY . /app\n");
  d.write("train.py", kTrain);
  ::chmod((d.path() / "requirements.txt").c_str(), 0750);
}

std::map<std::string, std::string> snapshot_of(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) out[fs::relative(e.path(), root).string()] = read_file(e.path());
  return out;
}

TEST(FixCli, DiffShowsTheSafeFixesAndWritesNothing) {
  TempDir d;
  write_project(d);
  auto before = snapshot_of(d.path());
  CommandResult r = run("check --no-cache --diff " + quote(d.str()));
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("--- a/requirements.txt\n+++ b/requirements.txt\n"), std::string::npos) << r.out;
  // Adjacent changed lines: deletions, then insertions, as GNU diff writes them.
  EXPECT_NE(r.out.find("@@ -1,3 +1,3 @@\n-numpy\n-scikit-learn>=1.0  # models\n+numpy==1.26.4\n"
                       "+scikit-learn==1.5.0  # models\n pandas\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("-FROM python:latest\n+FROM python:3.11\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("random_state"), std::string::npos) << "unsafe fixes need --unsafe-fixes";
  EXPECT_EQ(snapshot_of(d.path()), before);
  // The diff applies as it is (git apply works outside a repository too).
  TempDir out;
  out.write("fix.diff", r.out);
  CommandResult apply = mlops::test_support::run_shell("cd " + quote(d.str()) + " && git apply --check " +
                                                       quote((out.path() / "fix.diff").string()) + " 2>&1");
  EXPECT_EQ(apply.status, 0) << apply.out;
}

TEST(FixCli, FixWritesSafeFixesReportsWhatRemainsAndIsIdempotent) {
  TempDir d;
  write_project(d);
  CommandResult r = run("check --no-cache --fix --format json " + quote(d.str()));
  EXPECT_EQ(r.status, 1) << r.err;  // the seedless split (and pandas, which no lock names) remain
  EXPECT_EQ(read_file(d.path() / "requirements.txt"),
            "numpy==1.26.4\nscikit-learn==1.5.0  # models\npandas\n");
  EXPECT_EQ(read_file(d.path() / "Dockerfile"), "FROM python:3.11\nCOPY . /app\n");
  EXPECT_EQ(read_file(d.path() / "train.py"), kTrain);
  struct stat st {};
  ASSERT_EQ(::stat((d.path() / "requirements.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0750u) << "a fixed file keeps its mode";
  EXPECT_NE(r.err.find("applied 3 fixes in 2 files"), std::string::npos) << r.err;

  // The report describes the fixed files: no safe fix is left; the unsafe one still is.
  auto j = nlohmann::json::parse(r.out);
  std::set<std::string> remaining;
  for (const auto& f : j["findings"]) {
    remaining.insert(f["rule"].get<std::string>() + " " + f["path"].get<std::string>());
    if (f.contains("fix") && !f["fix"].is_null()) {
      EXPECT_EQ(f["fix"]["applicability"], "unsafe") << f.dump();
    }
  }
  EXPECT_TRUE(remaining.count("DEP002 requirements.txt")) << "pandas is unpinned and no lock names it";
  EXPECT_FALSE(remaining.count("DPL002 Dockerfile"));
  EXPECT_TRUE(remaining.count("DAT004 train.py"));

  auto after = snapshot_of(d.path());
  CommandResult again = run("check --no-cache --fix " + quote(d.str()));
  EXPECT_EQ(again.status, 1);
  EXPECT_EQ(snapshot_of(d.path()), after) << "a second --fix changes nothing";
  EXPECT_EQ(run("check --no-cache --diff " + quote(d.str())).out, "");
}

TEST(FixCli, UnsafeFixesAreAppliedOnlyWhenAsked) {
  TempDir d;
  write_project(d);
  CommandResult r = run("check --no-cache --fix --unsafe-fixes --select DAT004 " + quote(d.str()));
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(read_file(d.path() / "train.py").find("test_size=0.2, random_state=42)"), std::string::npos)
      << read_file(d.path() / "train.py");
  EXPECT_EQ(read_file(d.path() / "requirements.txt"), "numpy\nscikit-learn>=1.0  # models\npandas\n")
      << "--select limits the fixes to the selected rules";
}

TEST(FixCli, TextReportMarksFixableFindings) {
  TempDir d;
  write_project(d);
  CommandResult r = run("check --no-cache " + quote(d.str()));
  EXPECT_NE(r.out.find("warning[DEP002] [*] Unpinned requirement numpy"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[*] 3 fixable with --fix (--diff to preview); 1 more with --unsafe-fixes"),
            std::string::npos)
      << r.out;
}

TEST(FixCli, AddSuppressionsCommentsEveryFindingAndTheNextCheckIsClean) {
  TempDir d;
  d.write("requirements.txt", "numpy\nscikit-learn>=1.0\n");
  d.write("train.py", kTrain);
  const std::string args = "check --no-cache --select DEP002 ";
  CommandResult preview =
      run(args + "--diff --add-suppressions 'adopted 2026-12; pin in Q1' " + quote(d.str()));
  EXPECT_EQ(preview.status, 1) << preview.err;
  EXPECT_NE(preview.out.find("+# mlops-lint: ignore[DEP002] adopted 2026-12; pin in Q1\n numpy\n"),
            std::string::npos)
      << preview.out;
  EXPECT_EQ(read_file(d.path() / "requirements.txt"), "numpy\nscikit-learn>=1.0\n")
      << "--diff writes nothing";

  CommandResult r = run(args + "--add-suppressions 'adopted 2026-12; pin in Q1' " + quote(d.str()));
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(read_file(d.path() / "requirements.txt"),
            "# mlops-lint: ignore[DEP002] adopted 2026-12; pin in Q1\nnumpy\n"
            "# mlops-lint: ignore[DEP002] adopted 2026-12; pin in Q1\nscikit-learn>=1.0\n");
  EXPECT_NE(r.err.find("2 findings suppressed with comments in 1 file"), std::string::npos) << r.err;
  EXPECT_EQ(run(args + quote(d.str())).status, 0);
  EXPECT_EQ(run(args + "--add-suppressions '' " + quote(d.str())).status, 2) << "a reason is required";
}

// The issue's acceptance test: on a copy of the neglected example, --fix fixes every finding that
// has a safe fix, --diff shows the same edits without writing, and a second --fix changes nothing.
TEST(FixCli, NeglectedExampleIsFixedAsTheDiffSaid) {
  TempDir fixed, previewed, patch;
  fs::copy(MLOPS_SOURCE_DIR "/examples/neglected-project", fixed.path(), fs::copy_options::recursive);
  fs::copy(MLOPS_SOURCE_DIR "/examples/neglected-project", previewed.path(), fs::copy_options::recursive);
  const auto original = snapshot_of(previewed.path());

  CommandResult diff = run("check --no-cache --diff " + quote(previewed.str()));
  EXPECT_EQ(diff.status, 1) << diff.err;
  EXPECT_NE(diff.out.find("--- a/explore.ipynb"), std::string::npos) << diff.out.substr(0, 2000);
  EXPECT_EQ(snapshot_of(previewed.path()), original) << "--diff writes nothing";

  CommandResult r = run("check --no-cache --fix --format json " + quote(fixed.str()));
  EXPECT_EQ(r.status, 1) << r.err;  // the practices it lacks remain
  auto j = nlohmann::json::parse(r.out);
  for (const auto& f : j["findings"]) {
    if (!f.contains("fix") || f["fix"].is_null()) continue;
    EXPECT_NE(f["fix"]["applicability"], "safe") << "a safe fix was left unapplied: " << f.dump();
  }
  EXPECT_NE(snapshot_of(fixed.path()), original);

  // What --fix wrote is exactly what --diff showed.
  patch.write("fix.diff", diff.out);
  CommandResult apply = mlops::test_support::run_shell("cd " + quote(previewed.str()) + " && git apply " +
                                                       quote((patch.path() / "fix.diff").string()) + " 2>&1");
  ASSERT_EQ(apply.status, 0) << apply.out;
  EXPECT_EQ(snapshot_of(previewed.path()), snapshot_of(fixed.path()));

  const auto after = snapshot_of(fixed.path());
  run("check --no-cache --fix " + quote(fixed.str()));
  EXPECT_EQ(snapshot_of(fixed.path()), after) << "a second --fix changes nothing";
}

}  // namespace
