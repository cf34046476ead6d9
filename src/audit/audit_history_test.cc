// An audit's history reuses facts across commits (blob ids, in memory or on disk) and parses of
// CI commands across evaluations: each point must still say exactly what a scan of that commit
// alone says. The reference here is an audit with HEAD checked out at each commit in turn.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "rules/builtin/builtin_rules.h"
#include "rules/rule_loader.h"

namespace fs = std::filesystem;

namespace mlops {
namespace {

class AuditHistory : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("mlops-audit-history-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    std::vector<Diagnostic> errors;
    rules_ = load_rules({}, errors);
    ASSERT_TRUE(errors.empty());
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const std::string& rel, const std::string& text) {
    fs::path p = repo_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  std::string run(const std::string& args) {
    std::string cmd = "cd '" + repo_.string() +
                      "' && git -c user.name=t -c user.email=t@example.com -c init.defaultBranch=main "
                      "-c commit.gpgsign=false -c advice.detachedHead=false " +
                      args + " 2>/dev/null";
    std::string out;
    if (FILE* f = ::popen(cmd.c_str(), "r")) {
      char buf[256];
      while (size_t n = std::fread(buf, 1, sizeof buf, f)) out.append(buf, n);
      EXPECT_EQ(::pclose(f), 0) << cmd;
    }
    return out;
  }
  void commit(const std::string& message) {
    run("add -A");
    run("commit -qm '" + message + "'");
  }

  // Seven commits that move practices both ways and change CI and build files between them, so
  // that reused facts and reused CI parses would show if they leaked from one commit to another.
  void make_history() {
    repo_ = root_ / "project";
    fs::create_directories(repo_);
    run("init -q");
    write("train.py",
          "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n\n"
          "def train(df):\n    return LogisticRegression().fit(df[['x']], df['y'])\n");
    write("README.md", "# model\n");
    commit("train");
    write("tests/test_train.py",
          "import pandas as pd\nfrom train import train\n\n\ndef test_train():\n"
          "    assert train(pd.DataFrame({'x': [0, 1], 'y': [0, 1]})) is not None\n");
    commit("tests");
    write(".github/workflows/ci.yml",
          "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
          "      - uses: actions/checkout@v4\n      - run: pip install pytest\n");
    commit("ci installs pytest only");
    write(".github/workflows/ci.yml",
          "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
          "      - uses: actions/checkout@v4\n      - run: pip install pytest\n      - run: make test\n");
    write("Makefile", "test:\n\tpytest -q tests\n");
    commit("ci runs the tests through make");
    write("requirements.txt", "pandas==2.2.2\nscikit-learn==1.5.0\n");
    write("train.py",
          "import random\nimport numpy as np\nimport pandas as pd\n"
          "from sklearn.linear_model import LogisticRegression\n\nrandom.seed(0)\nnp.random.seed(0)\n\n"
          "def train(df):\n    return LogisticRegression(random_state=0).fit(df[['x']], df['y'])\n");
    commit("pins and seeds");
    run("tag v1");
    write("Makefile", "test:\n\techo no tests\n");
    commit("make test runs nothing");
    fs::remove_all(repo_ / "tests");
    write("README.md", "# model\n\nTrains a logistic regression on x.\n");
    commit("tests removed");
  }

  fs::path root_, repo_;
  RuleSet rules_;
};

void expect_same_point(const HistoryPoint& got, const RepoAudit& alone) {
  const HistoryPoint& want = alone.history.at(0);
  EXPECT_EQ(got.commit, want.commit);
  EXPECT_EQ(got.score, want.score) << got.commit;
  EXPECT_EQ(got.maturity, want.maturity) << got.commit;
  EXPECT_EQ(got.areas, want.areas) << got.commit;
  EXPECT_EQ(got.practices, want.practices) << got.commit;
}

// Sets an environment variable for the scope of a test, restoring it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST_F(AuditHistory, EachPointEqualsAnIndependentScanOfItsCommit) {
  make_history();
  ScopedEnv cache_home("XDG_CACHE_HOME", (root_ / "cache").string());
  AuditOptions uncached;
  uncached.use_cache = false;
  uncached.history = 20;
  AuditOptions cached = uncached;
  cached.use_cache = true;
  // Uncached (facts shared in memory), a cold cache file, then the same file warm.
  const auto in_memory = run_audit({repo_.string()}, rules_, uncached);
  const auto cold = run_audit({repo_.string()}, rules_, cached);
  const auto warm = run_audit({repo_.string()}, rules_, cached);
  ASSERT_EQ(in_memory.size(), 1u);
  ASSERT_TRUE(in_memory[0].error.empty()) << in_memory[0].error;
  ASSERT_EQ(in_memory[0].history.size(), 7u);

  const std::vector<std::string> commits = [&] {
    std::vector<std::string> ids;
    std::string out = run("rev-list --first-parent HEAD");
    for (size_t at = 0; at < out.size();) {
      size_t nl = out.find('\n', at);
      ids.push_back(out.substr(at, nl - at));
      at = nl == std::string::npos ? out.size() : nl + 1;
    }
    return ids;
  }();
  ASSERT_EQ(commits.size(), 7u);
  std::set<int> scores;
  for (size_t i = 0; i < commits.size(); ++i) {
    run("checkout -q " + commits[i]);
    AuditOptions one;
    one.use_cache = false;  // nothing shared with the runs above
    const auto alone = run_audit({repo_.string()}, rules_, one);
    ASSERT_TRUE(alone[0].error.empty()) << alone[0].error;
    ASSERT_EQ(alone[0].history.size(), 1u);
    for (const auto* history : {&in_memory, &cold, &warm})
      expect_same_point((*history)[0].history[i], alone[0]);
    scores.insert(alone[0].history[0].score);
  }
  run("checkout -q main");
  // The commits do differ: a history that repeated one point would not pass unnoticed.
  EXPECT_GE(scores.size(), 3u);
}

}  // namespace
}  // namespace mlops
