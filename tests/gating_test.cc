// Pull-request and pre-commit gating end to end (--diff-base, --files against HEAD), paths from
// the repository root when a subdirectory is scanned, the CI formats' shapes (SARIF security
// tags, JUnit against its schema, GitLab check names) and the CLI conventions of issue #16.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "support/process.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;

namespace {

using mlops::test_support::TempDir;

using Proc = mlops::test_support::CommandResult;
using mlops::test_support::quote;

std::string slurp(const fs::path& p) {
  return mlops::test_support::read_file(p);
}

// Runs a shell command in `dir`; `env` comes first (the tests' cache stays private).
Proc sh(const std::string& dir, const std::string& cmd) {
  return mlops::test_support::run_shell("cd " + quote(dir) + " && " + cmd);
}

// The binary, with a private cache and no colour unless a test asks for it.
Proc lint(const std::string& dir, const std::string& args, const std::string& env = "NO_COLOR=1") {
  static TempDir cache;
  return sh(dir,
            "env XDG_CACHE_HOME=" + quote(cache.str()) + " " + env + " " + quote(MLOPS_BINARY) + " " + args);
}

const std::string kGit =
    "git -c user.name=t -c user.email=t@example.com -c init.defaultBranch=main -c commit.gpgsign=false ";

void git(const TempDir& d, const std::string& args) {
  Proc r = sh(d.str(), kGit + args);
  ASSERT_EQ(r.status, 0) << args << ": " << r.err;
}

bool have_git() {
  return sh("/", "git --version >/dev/null").status == 0;
}

// A repository with a committed main branch: a training script with findings, no tests.
void make_repo(const TempDir& d) {
  d.write("train.py",
          "import pandas as pd\nfrom sklearn.model_selection import train_test_split\n\n"
          "df = pd.read_csv(\"/home/alice/data/train.csv\")\n"
          "a, b = train_test_split(df)\n");
  d.write("requirements.txt", "pandas\nscikit-learn\n");
  d.write("README.md", "# churn\n");
  git(d, "init -q");
  git(d, "add -A");
  git(d, "commit -qm base");
}

std::set<std::string> finding_keys(const std::string& json_text) {
  std::set<std::string> out;
  nlohmann::json j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded()) return {"<not json>"};
  for (const auto& f : j["findings"])
    out.insert(f["rule"].get<std::string>() + "@" + f["path"].get<std::string>());
  return out;
}

TEST(DiffBase, ReportsExactlyWhatTheBranchIntroduces) {
  if (!have_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  make_repo(d);
  Proc all_at_main = lint(d.str(), "check --format json .");
  ASSERT_EQ(all_at_main.status, 1) << all_at_main.err;
  ASSERT_FALSE(finding_keys(all_at_main.out).empty());

  git(d, "checkout -qb feature");
  d.write("load.py", "import pandas as pd\n\nx = pd.read_csv(\"/mnt/shared/extra.csv\")\n");
  d.write("train.py", "# a comment moves every line down\n" + slurp(d.path() / "train.py"));
  git(d, "add -A");
  git(d, "commit -qm feature");
  Proc r = lint(d.str(), "check --format json --diff-base main .");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(finding_keys(r.out), (std::set<std::string>{"DAT003@load.py"})) << r.out;
  // The merge base counts, not main's tip: a later commit on main changes nothing here.
  git(d, "checkout -q main");
  d.write("other.py", "y = \"/home/alice/other.csv\"\nimport pandas\n");
  git(d, "add -A");
  git(d, "commit -qm main-moves-on");
  git(d, "checkout -q feature");
  Proc again = lint(d.str(), "check --format json --diff-base main .");
  EXPECT_EQ(finding_keys(again.out), (std::set<std::string>{"DAT003@load.py"})) << again.out;
  // Moving a file adds no finding.
  git(d, "mv train.py training.py");
  git(d, "commit -qm rename");
  Proc moved = lint(d.str(), "check --format json --diff-base main .");
  EXPECT_EQ(finding_keys(moved.out), (std::set<std::string>{"DAT003@load.py"})) << moved.out;
  // Uncommitted work counts as the branch's too.
  d.write("wip.py", "z = \"/home/alice/wip.csv\"\nimport pandas\n");
  Proc wip = lint(d.str(), "check --format json --diff-base main .");
  EXPECT_EQ(finding_keys(wip.out), (std::set<std::string>{"DAT003@load.py", "DAT003@wip.py"})) << wip.out;
}

TEST(DiffBase, ProjectFindingsCountOnlyWhenTheirStatusChanges) {
  if (!have_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  d.write("tests/test_train.py", "import train\n\ndef test_split():\n    assert train\n");
  make_repo(d);
  git(d, "checkout -qb feature");
  git(d, "rm -rq tests");
  git(d, "commit -qm drop-tests");
  Proc r = lint(d.str(), "check --format json --diff-base main .");
  EXPECT_EQ(r.status, 1) << r.err;
  std::set<std::string> keys = finding_keys(r.out);
  bool tests_missing = false;
  for (const auto& k : keys) tests_missing = tests_missing || k.starts_with("TST001@");
  EXPECT_TRUE(tests_missing) << r.out;
  for (const auto& k : keys) EXPECT_TRUE(k.starts_with("TST")) << k << " was already failing on main";
}

TEST(DiffBase, UnknownRefOrNoRepositoryExitsTwo) {
  TempDir plain;
  plain.write("a.py", "x = 1\n");
  Proc outside = lint(plain.str(), "check --diff-base main .");
  EXPECT_EQ(outside.status, 2);
  EXPECT_NE(outside.err.find("not inside a git work tree"), std::string::npos) << outside.err;
  if (!have_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  make_repo(d);
  Proc r = lint(d.str(), "check --diff-base no-such-branch .");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("no-such-branch"), std::string::npos) << r.err;
}

TEST(PreCommitMode, ProjectFindingsBlockOnlyWhenTheChangeFlipsThem) {
  if (!have_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  d.write("tests/test_train.py", "import train\n\ndef test_split():\n    assert train\n");
  d.write("util.py", "def add(a, b):\n    return a + b\n");
  make_repo(d);
  // A docstring edit: project rules that already fail at HEAD do not block the commit.
  d.write("util.py", "def add(a, b):\n    \"\"\"Adds.\"\"\"\n    return a + b\n");
  Proc doc = lint(d.str(), "check --format json --files util.py");
  EXPECT_EQ(doc.status, 0) << doc.out << doc.err;
  EXPECT_TRUE(finding_keys(doc.out).empty()) << doc.out;
  // Findings in the staged file itself are all reported.
  Proc own = lint(d.str(), "check --format json --files train.py");
  EXPECT_TRUE(finding_keys(own.out).count("DAT003@train.py")) << own.out;
  for (const auto& k : finding_keys(own.out)) EXPECT_TRUE(k.ends_with("@train.py")) << k;
  // Deleting the tests flips TST001: that blocks.
  git(d, "rm -rq tests");
  Proc gone = lint(d.str(), "check --format json --files util.py");
  EXPECT_EQ(gone.status, 1) << gone.out;
  bool tst = false;
  for (const auto& k : finding_keys(gone.out)) tst = tst || k.starts_with("TST001@");
  EXPECT_TRUE(tst) << gone.out;
  // No score is shown for a partial evaluation.
  Proc text = lint(d.str(), "check --files util.py");
  EXPECT_EQ(text.out.find("score "), std::string::npos) << text.out;
}

TEST(PreCommitMode, BaselineStalenessOnlyForCheckedFilesAndNoBaselineWrites) {
  TempDir d;
  d.write("a.py", "p = \"/home/alice/data/a.csv\"\nimport pandas\n");
  d.write("b.py", "q = \"/home/alice/data/b.csv\"\nimport pandas\n");
  fs::path base = d.path() / "baseline.json";
  EXPECT_EQ(lint(d.str(), "check --select DAT003 --write-baseline " + quote(base.string()) + " .").status, 1);
  Proc one = lint(d.str(), "check --select DAT003 --baseline " + quote(base.string()) + " --files a.py -- .");
  EXPECT_EQ(one.status, 0) << one.out << one.err;
  EXPECT_EQ(one.out.find("no longer match"), std::string::npos) << one.out;
  d.write("a.py", "import pandas\n");  // fixed: its entry is stale, b.py's is not
  Proc fixed =
      lint(d.str(), "check --select DAT003 --baseline " + quote(base.string()) + " --files a.py -- .");
  EXPECT_NE(fixed.out.find("1 baseline entry no longer matches"), std::string::npos) << fixed.out;
  Proc write = lint(d.str(), "check --write-baseline " + quote(base.string()) + " --files a.py -- .");
  EXPECT_EQ(write.status, 2);
  EXPECT_NE(write.err.find("cannot be combined"), std::string::npos) << write.err;
}

TEST(RepositoryPaths, SubdirectoryScanNamesFilesFromTheRoot) {
  if (!have_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  d.write("ml/app/train.py", "import pandas as pd\ndf = pd.read_csv(\"/home/alice/data/x.csv\")\n");
  d.write("README.md", "# repo\n");
  git(d, "init -q");
  git(d, "add -A");
  git(d, "commit -qm init");
  fs::path sarif = d.path() / "out.sarif";
  Proc r = lint(d.str(), "check --select DAT003 --format sarif --output " + quote(sarif.string()) +
                             " --format gitlab --output gl.json --format github ml/app");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("::warning file=ml/app/train.py,line=2"), std::string::npos) << r.out;
  nlohmann::json gl = nlohmann::json::parse(slurp(d.path() / "gl.json"));
  ASSERT_EQ(gl.size(), 1u);
  EXPECT_EQ(gl[0]["location"]["path"], "ml/app/train.py");
  nlohmann::json j = nlohmann::json::parse(slurp(sarif));
  ASSERT_EQ(j["runs"][0]["results"].size(), 1u);
  const auto& loc = j["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(loc["uri"], "ml/app/train.py");
  EXPECT_EQ(loc["uriBaseId"], "%SRCROOT%");
  if (sh("/", "/usr/bin/python3 -c 'import jsonschema'").status == 0) {
    std::string schema = std::string(MLOPS_SOURCE_DIR) + "/tests/data/sarif-schema-2.1.0.json";
    Proc v = sh(
        "/",
        "/usr/bin/python3 -c 'import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), "
        "json.load(open(sys.argv[2]))); print(\"valid\")' " +
            quote(sarif.string()) + " " + quote(schema));
    EXPECT_EQ(v.out, "valid\n") << v.err;
  }
  // From inside the subdirectory too, and in text.
  Proc inside = lint((d.path() / "ml/app").string(), "check --select DAT003 .");
  EXPECT_NE(inside.out.find("ml/app/train.py:2:"), std::string::npos) << inside.out;
  // And --diff-base compares the same subdirectory of the base tree.
  Proc diff = lint(d.str(), "check --select DAT003 --diff-base HEAD ml/app");
  EXPECT_EQ(diff.status, 0) << diff.out << diff.err;
}

TEST(CiFormats, SarifTagsSecurityRulesWithASeverity) {
  TempDir d;
  d.write("train.py",
          "import wandb\nwandb.login(key=\"9b1d0c7e5a3f2e8d6c4b2a0918273645fedcba98\")\n"
          "df = open(\"/home/alice/data/x.csv\")\n");
  Proc r = lint(d.str(), "check --format sarif .");
  nlohmann::json j = nlohmann::json::parse(r.out);
  bool saw_sec = false, saw_other = false;
  for (const auto& rule : j["runs"][0]["tool"]["driver"]["rules"]) {
    const auto& props = rule["properties"];
    std::string id = rule["id"];
    bool security = false;
    for (const auto& t : props["tags"]) security = security || t == "security";
    if (id == "SEC001") {
      saw_sec = true;
      EXPECT_TRUE(security);
      EXPECT_EQ(props["security-severity"], "9.0");
    } else if (id == "DAT003") {
      saw_other = true;
      EXPECT_FALSE(security);
      EXPECT_FALSE(props.contains("security-severity"));
    }
  }
  EXPECT_TRUE(saw_sec && saw_other) << r.out.substr(0, 3000);
}

TEST(CiFormats, JunitFollowsTheCommonSchemaAndNamesTheUsersFile) {
  TempDir d;
  d.write("train.py", "import pandas as pd\ndf = pd.read_csv(\"/home/alice/data/x.csv\")\n");
  fs::path junit = d.path() / "junit.xml";
  Proc r = lint(d.str(), "check --format junit --output " + quote(junit.string()) + " .");
  EXPECT_EQ(r.status, 1) << r.err;
  std::string xml = slurp(junit);
  EXPECT_NE(xml.find("file=\"train.py\" line=\"2\""), std::string::npos) << xml;
  EXPECT_EQ(xml.find(".yaml\""), std::string::npos) << "points at a rule file: " << xml;
  for (const char* attr : {"tests=", "failures=", "errors=", "skipped=", "time="})
    EXPECT_NE(xml.find(attr), std::string::npos) << attr;
  if (sh("/", "command -v xmllint >/dev/null").status != 0)
    GTEST_SKIP() << "xmllint not installed (Debian package libxml2-utils)";
  std::string xsd = std::string(MLOPS_SOURCE_DIR) + "/tests/data/junit.xsd";
  Proc v = sh("/", "xmllint --noout --schema " + quote(xsd) + " " + quote(junit.string()));
  EXPECT_EQ(v.status, 0) << v.err;
}

TEST(CiFormats, GitlabCheckNamesCarryTheToolPrefix) {
  TempDir d;
  d.write("train.py", "import pandas as pd\ndf = pd.read_csv(\"/home/alice/data/x.csv\")\n");
  Proc r = lint(d.str(), "check --select DAT003 --format gitlab .");
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["check_name"], "mlops-lint/DAT003");
}

TEST(CliConventions, DidYouMeanForFlagsAndCommands) {
  TempDir d;
  Proc flag = lint(d.str(), "check --fromat json .");
  EXPECT_EQ(flag.status, 2);
  EXPECT_NE(flag.err.find("did you mean '--format'?"), std::string::npos) << flag.err;
  Proc cmd = lint(d.str(), "chekc .");
  EXPECT_EQ(cmd.status, 2);
  EXPECT_NE(cmd.err.find("did you mean 'check'?"), std::string::npos) << cmd.err;
  Proc explain = lint(d.str(), "explain DAT003 --fromat json");
  EXPECT_NE(explain.err.find("did you mean '--format'?"), std::string::npos) << explain.err;
  Proc far = lint(d.str(), "check --zzzzzzzzzz .");
  EXPECT_EQ(far.status, 2);
  EXPECT_EQ(far.err.find("did you mean"), std::string::npos) << far.err;
}

TEST(CliConventions, ColourFollowsNoColorForceColorAndTheFlag) {
  TempDir d;
  d.write("a.py", "p = \"/home/alice/data/a.csv\"\nimport pandas\n");
  const std::string esc = "\x1b[";
  EXPECT_NE(lint(d.str(), "check --select DAT003 .", "FORCE_COLOR=1").out.find(esc), std::string::npos);
  EXPECT_EQ(lint(d.str(), "check --select DAT003 .", "FORCE_COLOR=1 NO_COLOR=1").out.find(esc),
            std::string::npos);
  EXPECT_EQ(lint(d.str(), "check --select DAT003 --color never .", "FORCE_COLOR=1").out.find(esc),
            std::string::npos);
  EXPECT_NE(lint(d.str(), "check --select DAT003 --color always .", "NO_COLOR=1").out.find(esc),
            std::string::npos);
  EXPECT_EQ(lint(d.str(), "check --select DAT003 .", "FORCE_COLOR=").out.find(esc), std::string::npos);
}

TEST(CliConventions, ExtendSelectAddsToSelect) {
  TempDir d;
  d.write("a.py", "p = \"/home/alice/data/a.csv\"\nimport pandas\n");
  Proc only = lint(d.str(), "check --select DOC001 --format json .");
  EXPECT_FALSE(finding_keys(only.out).count("DAT003@a.py")) << only.out;
  Proc more = lint(d.str(), "check --select DOC001 --extend-select DAT003 --format json .");
  EXPECT_TRUE(finding_keys(more.out).count("DAT003@a.py")) << more.out;
  EXPECT_EQ(lint(d.str(), "check --extend-select NOPE999 .").status, 2);
}

TEST(CliConventions, TwoFormatsOnStdoutAreAUsageError) {
  TempDir d;
  Proc r = lint(d.str(), "check --format json --format sarif .");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("both write to stdout"), std::string::npos) << r.err;
  EXPECT_EQ(lint(d.str(), "check --format json --format sarif --output - --output out.sarif .").status, 0);
  // GitHub workflow commands are read from the log line by line: they may share it.
  EXPECT_EQ(lint(d.str(), "check --format github --format text .").status, 0);
}

TEST(CliConventions, ShowSettingsNamesWhereEachValueCameFrom) {
  TempDir d;
  d.write("org/base.yaml", "fail-on: error\n");
  d.write(".mlops-lint.yaml", "extend: org/base.yaml\nprofile: research\nignore: [DOC002]\n");
  Proc r = lint(d.str(), "check --show-settings --select DAT .");
  EXPECT_EQ(r.status, 0) << r.err;
  std::string cfg = (d.path() / ".mlops-lint.yaml").string();
  EXPECT_NE(r.out.find("profile: research    # " + cfg + ":2\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ignore: [DOC002]    # " + cfg + ":3\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fail-on: error    # " + (d.path() / "org/base.yaml").string() + ":1\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("select: [DAT]    # command line\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("max-file-size: 10485760    # default\n"), std::string::npos) << r.out;
  Proc more = lint(d.str(), "check --show-settings --ignore DOC003 .");
  EXPECT_NE(more.out.find("ignore: [DOC002, DOC003]    # " + cfg + ":3 + command line\n"), std::string::npos)
      << more.out;
}

TEST(CliConventions, ShowFilesListsWhatACheckReads) {
  TempDir d;
  d.write("a.py", "x = 1\n");
  d.write("vendor/lib.py", "y = 2\n");
  d.write(".mlops-lint.yaml", "exclude: [\"vendor/**\"]\n");
  Proc r = lint(d.str(), "check --show-files .");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("a.py\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("vendor/lib.py"), std::string::npos) << r.out;
  // A file name carrying a terminal escape sequence is printed harmlessly.
  d.write("evil\x1b]0;pwned\x07.py", "x = 1\n");
  Proc evil = lint(d.str(), "check --show-files .");
  EXPECT_EQ(evil.out.find('\x1b'), std::string::npos) << evil.out;
  // Shown the way every other output shows control bytes (util/escape.h).
  EXPECT_NE(evil.out.find("evil\\x1b]0;pwned\\x07.py\n"), std::string::npos) << evil.out;
}

TEST(CliConventions, RulesAndExplainAsJson) {
  TempDir d;
  Proc rules = lint(d.str(), "rules --format json");
  EXPECT_EQ(rules.status, 0);
  nlohmann::json list = nlohmann::json::parse(rules.out, nullptr, false);
  ASSERT_TRUE(list.is_array()) << rules.out.substr(0, 500);
  bool dat003 = false;
  for (const auto& r : list) dat003 = dat003 || (r["id"] == "DAT003" && r["name"] == "absolute-data-path");
  EXPECT_TRUE(dat003);
  Proc explain = lint(d.str(), "explain DAT003 --format json");
  EXPECT_EQ(explain.status, 0);
  nlohmann::json e = nlohmann::json::parse(explain.out, nullptr, false);
  ASSERT_TRUE(e.is_object()) << explain.out;
  EXPECT_EQ(e["id"], "DAT003");
  EXPECT_FALSE(e["remediation"].get<std::string>().empty());
  EXPECT_EQ(lint(d.str(), "explain NOPE999 --format json").status, 2);
}

}  // namespace
