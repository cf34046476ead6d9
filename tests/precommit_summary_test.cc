// check --files (the pre-commit mode) with the base summary (engine/base_summary.h): on a
// generated repository, the findings and exit status are the same whether HEAD's failing
// project rules are computed (--no-cache, or a first run), read from the summary, or recomputed
// because the summary is damaged or HEAD moved.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/process.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;

namespace {

using mlops::test_support::quote;
using mlops::test_support::TempDir;
using Proc = mlops::test_support::CommandResult;

Proc sh(const std::string& dir, const std::string& cmd) {
  return mlops::test_support::run_shell("cd " + quote(dir) + " && " + cmd);
}

const std::string kGit =
    "git -c user.name=t -c user.email=t@example.com -c init.defaultBranch=main -c commit.gpgsign=false ";

// A small ML repository in the bench generator's shape: modules importing libraries, a few that
// split and fit, a hard-coded home path, notebooks, configs and a manifest.
void generate(const TempDir& d, int n) {
  const char* libs[] = {"import numpy as np\nfrom sklearn.model_selection import train_test_split\n",
                        "import torch\nfrom torch.utils.data import random_split\n",
                        "import os\nimport json\n", "import mlflow\nimport yaml\n"};
  for (int i = 0; i < n; ++i) {
    std::string body = std::string("\"\"\"Module ") + std::to_string(i) + ".\"\"\"\n" + libs[i % 4];
    body += "\ndef step(data):\n    return [x * 2 for x in data]\n";
    if (i % 10 == 0) body += "\nX_train, X_test = train_test_split(np.arange(10), test_size=0.2)\n";
    if (i % 13 == 0) body += "\nDATA = \"/home/alice/data/raw.csv\"\n";
    d.write("pkg" + std::to_string(i / 20) + "/mod" + std::to_string(i) + ".py", body);
  }
  d.write("notebooks/explore.ipynb",
          "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": [{\"cell_type\": \"code\", "
          "\"metadata\": {}, \"execution_count\": 1, \"outputs\": [], \"source\": [\"import pandas as "
          "pd\\n\"]}]}\n");
  d.write("configs/exp.yaml", "experiment: a\ntrain:\n  seed: 42\n");
  d.write("requirements.txt", "pandas==2.2.2\nscikit-learn==1.5.0\ntorch==2.3.0\nmlflow==2.13.0\n");
  d.write("README.md", "# synthetic\n");
  d.write("tests/test_mod0.py",
          "from pkg0 import mod0\n\n\ndef test_step():\n    assert mod0.step([1]) == [2]\n");
}

struct LintRun {
  int status;
  std::string out;
};

LintRun lint(const std::string& dir, const std::string& cache, const std::string& args) {
  Proc r = sh(dir, "env XDG_CACHE_HOME=" + quote(cache) + " NO_COLOR=1 " + quote(MLOPS_BINARY) + " " + args);
  return {r.status, r.out};
}

std::vector<fs::path> summaries(const fs::path& cache) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(cache, ec))
    if (e.path().extension() == ".base") out.push_back(e.path());
  return out;
}

TEST(PreCommitSummary, FindingsAreTheSameWithAndWithoutTheSummary) {
  if (sh("/", "git --version >/dev/null").status != 0) GTEST_SKIP() << "git not installed";
  TempDir d, cache, nocache;
  generate(d, 60);
  ASSERT_EQ(sh(d.str(), kGit + "init -q && " + kGit + "add -A && " + kGit + "commit -qm base").status, 0);
  // The change being committed: a file loses its tracking import, a manifest loses its pins, a
  // new module splits data, a module gains a hard-coded path.
  d.write("pkg0/mod3.py", "import os\n\ndef step(data):\n    return data\n");
  d.write("requirements.txt", "pandas\nscikit-learn\ntorch\n");
  d.write("pkg9/new.py",
          "from sklearn.model_selection import train_test_split\nA, B = train_test_split([1, 2])\n");
  d.write("pkg1/mod21.py", "import os\nDATA = \"/home/bob/x.csv\"\n");
  fs::remove_all(d.path() / "tests");  // a project rule that passed at HEAD now fails
  bool project_finding = false;
  const std::vector<std::string> sets = {
      "--files pkg0/mod3.py pkg1/mod21.py pkg9/new.py requirements.txt",
      "--files pkg0/mod0.py pkg0/mod1.py pkg0/mod2.py pkg0/mod4.py pkg0/mod5.py",
      "--files requirements.txt",
  };
  for (const auto& files : sets) {
    const std::string args = "check --format json " + files;
    LintRun reference = lint(d.str(), nocache.str(), args + " --no-cache");
    ASSERT_NE(reference.out.find("\"findings\""), std::string::npos) << reference.out;
    project_finding = project_finding || reference.out.find("\"kind\": \"project\"") != std::string::npos;
    LintRun first = lint(d.str(), cache.str(), args);  // computes HEAD's summary and stores it
    ASSERT_FALSE(summaries(cache.path()).empty());
    LintRun second = lint(d.str(), cache.str(), args);  // reads it
    EXPECT_EQ(first.status, reference.status) << files;
    EXPECT_EQ(first.out, reference.out) << files;
    EXPECT_EQ(second.status, reference.status) << files;
    EXPECT_EQ(second.out, reference.out) << files;
    // A damaged summary is not trusted: the answer is recomputed, the same.
    for (const auto& s : summaries(cache.path())) {
      std::error_code ec;
      fs::resize_file(s, fs::file_size(s, ec) / 2, ec);
    }
    LintRun damaged = lint(d.str(), cache.str(), args);
    EXPECT_EQ(damaged.out, reference.out) << files;
  }
  EXPECT_TRUE(project_finding) << "no set reports a project rule the change makes fail";
  // HEAD moves: the old summary does not describe it; the comparison follows the new commit.
  ASSERT_EQ(sh(d.str(), kGit + "add -A && " + kGit + "commit -qm change").status, 0);
  d.write("README.md", "# synthetic\n\nUpdated.\n");
  for (const auto& files : sets) {
    const std::string args = "check --format json " + files + " README.md";
    LintRun reference = lint(d.str(), nocache.str(), args + " --no-cache");
    LintRun cached = lint(d.str(), cache.str(), args);
    LintRun again = lint(d.str(), cache.str(), args);
    EXPECT_EQ(cached.out, reference.out) << files;
    EXPECT_EQ(again.out, reference.out) << files;
    EXPECT_EQ(again.status, reference.status) << files;
  }
  // Another profile is another answer: the summary stored for the team profile is not used.
  const std::string prod = "check --format json --profile production " + sets[0];
  LintRun reference = lint(d.str(), nocache.str(), prod + " --no-cache");
  EXPECT_EQ(lint(d.str(), cache.str(), prod).out, reference.out);
  EXPECT_EQ(lint(d.str(), cache.str(), prod).out, reference.out);
}

// Tags move without a commit: HEAD's answer to git_tag (MOD001 accepts a release tag such as
// `churn@v1.0.0` as a versioned model) changes when one is made or deleted, and a summary stored
// before must not be trusted after.
TEST(PreCommitSummary, ATagMadeOrDeletedAfterTheSummaryIsSeen) {
  if (sh("/", "git --version >/dev/null").status != 0) GTEST_SKIP() << "git not installed";
  TempDir d, cache, nocache;
  d.write("train.py",
          "import joblib\nfrom sklearn.linear_model import LogisticRegression\n\n"
          "model = LogisticRegression().fit([[0], [1]], [0, 1])\njoblib.dump(model, \"model.pkl\")\n");
  d.write("requirements.txt", "scikit-learn==1.5.0\njoblib==1.4.2\n");
  d.write("README.md", "# churn\n");
  ASSERT_EQ(sh(d.str(), kGit + "init -q && " + kGit + "add -A && " + kGit + "commit -qm base && " + kGit +
                            "tag churn@v1.0.0")
                .status,
            0);
  d.write("README.md", "# churn\n\nTrains the churn model.\n");
  const std::string args = "check --files README.md";
  auto mod001 = [](const LintRun& r) { return r.out.find("[MOD001]") != std::string::npos; };
  // Tagged: the model is versioned at HEAD and now.
  LintRun tagged = lint(d.str(), cache.str(), args);  // stores the summary
  EXPECT_FALSE(mod001(tagged)) << tagged.out;
  // Untagged: MOD001 fails at HEAD too, so the change does not introduce it.
  ASSERT_EQ(sh(d.str(), kGit + "tag -d churn@v1.0.0 >/dev/null").status, 0);
  LintRun reference = lint(d.str(), nocache.str(), args + " --no-cache");
  LintRun cached = lint(d.str(), cache.str(), args);
  EXPECT_FALSE(mod001(reference)) << reference.out;
  EXPECT_EQ(cached.out, reference.out);
  EXPECT_EQ(cached.status, reference.status);
}

}  // namespace
