#include "engine/engine.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>

#include "engine/evaluator.h"
#include "engine/facts_cache.h"
#include "engine/layout.h"
#include "repo/memory_snapshot.h"
#include "rules/rule_loader.h"
#include "util/glob.h"

namespace fs = std::filesystem;

namespace mlops {
namespace {

using Files = std::map<std::string, std::string>;

constexpr const char* kConditions = R"(conditions:
  ml_code:
    python_import: [sklearn, torch]
)";

std::string rule(const std::string& id, const std::string& kind, const std::string& body,
                 const std::string& practice = "documentation") {
  return "id: " + id + "\nname: rule-" + std::string(1, static_cast<char>('a' + id.back() - '0')) +
         "\npractice: " + practice + "\ncategory: code\nseverity: warning\nkind: " + kind +
         "\nsummary: s\nmessage: \"found {match}\"\nrationale: r\nremediation: x\n" + body;
}

RuleSet load(const std::vector<std::string>& rules) {
  RuleLoader l;
  l.add({"conditions.yaml", kConditions});
  for (size_t i = 0; i < rules.size(); ++i) l.add({"r" + std::to_string(i) + ".yaml", rules[i]});
  RuleSet set = l.finish();
  for (const auto& e : l.errors()) ADD_FAILURE() << e.where.path << ":" << e.where.line << ": " << e.message;
  return set;
}

const RuleResult* result(const CheckResult& r, const std::string& project, const std::string& id) {
  for (const auto& p : r.projects)
    if (p.root == project)
      for (const auto& res : p.results)
        if (res.rule_id == id) return &res;
  return nullptr;
}

std::vector<const Finding*> findings_of(const CheckResult& r, const std::string& id) {
  std::vector<const Finding*> out;
  for (const auto& f : r.findings)
    if (f.rule_id == id) out.push_back(&f);
  return out;
}

CheckOptions opts(unsigned jobs = 1) {
  CheckOptions o;
  o.jobs = jobs;
  return o;
}

const std::string kReadmeRule =
    rule("DOC001", "requirement", "anchor: [\"/setup.py\"]\ncheck:\n  file_exists: \"/README*\"\n");
const std::string kPrintRule =
    rule("COD001", "pattern", "check:\n  content:\n    files: [\"*.py\"]\n    pattern: 'print\\(\\w+\\)'\n",
         "code_in_modules");

TEST(Engine, RequirementPassesWithEvidence) {
  RuleSet rules = load({kReadmeRule});
  MemorySnapshot snap(Files{{"README.md", "# x\n"}, {"setup.py", ""}});
  CheckResult r = run_check(snap, rules, opts());
  const RuleResult* res = result(r, ".", "DOC001");
  ASSERT_NE(res, nullptr);
  EXPECT_EQ(res->outcome, Outcome::Pass);
  ASSERT_EQ(res->evidence.size(), 1u);
  EXPECT_EQ(res->evidence[0].path, "README.md");
  EXPECT_TRUE(findings_of(r, "DOC001").empty());
}

TEST(Engine, RequirementFailsAtAnchor) {
  RuleSet rules = load({kReadmeRule});
  MemorySnapshot snap(Files{{"setup.py", "x"}, {"a.py", "x"}, {"docs/README.md", "nested does not count"}});
  CheckResult r = run_check(snap, rules, opts());
  EXPECT_EQ(result(r, ".", "DOC001")->outcome, Outcome::Fail);
  auto fs = findings_of(r, "DOC001");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0]->where.path, "setup.py");
  EXPECT_EQ(fs[0]->where.line, 1);
  EXPECT_TRUE(fs[0]->project_level);
  EXPECT_EQ(fs[0]->project, ".");
  EXPECT_EQ(fs[0]->severity, Severity::Warning);
  EXPECT_FALSE(fs[0]->fingerprint.empty());
}

TEST(Engine, RequirementAnchorFallsBack) {
  RuleSet rules = load({kReadmeRule});
  MemorySnapshot snap(Files{{"pyproject.toml", "[project]\nname='x'\n"}, {"a.py", "x"}});
  CheckResult r = run_check(snap, rules, opts());
  auto fs = findings_of(r, "DOC001");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0]->where.path, "pyproject.toml");
}

TEST(Engine, NotApplicableWhenAppliesIsFalse) {
  RuleSet rules =
      load({rule("DOC001", "requirement", "applies: ml_code\ncheck:\n  file_exists: README.md\n")});
  MemorySnapshot plain(Files{{"a.py", "import os\n"}});
  CheckResult r = run_check(plain, rules, opts());
  EXPECT_EQ(result(r, ".", "DOC001")->outcome, Outcome::NotApplicable);
  EXPECT_TRUE(r.findings.empty());
  MemorySnapshot ml(Files{{"a.py", "import sklearn\n"}});
  CheckResult r2 = run_check(ml, rules, opts());
  EXPECT_EQ(result(r2, ".", "DOC001")->outcome, Outcome::Fail);
  EXPECT_TRUE(r2.projects[0].conditions.at("ml_code"));
  EXPECT_FALSE(r.projects[0].conditions.at("ml_code"));
}

TEST(Engine, NotApplicableOutsideProfile) {
  RuleSet rules =
      load({rule("DOC001", "requirement", "profiles: [production]\ncheck:\n  file_exists: README.md\n")});
  MemorySnapshot snap(Files{{"a.py", "x"}});
  CheckOptions o = opts();
  o.profile = "team";
  CheckResult r = run_check(snap, rules, o);
  EXPECT_EQ(result(r, ".", "DOC001")->outcome, Outcome::NotApplicable);
  EXPECT_TRUE(r.findings.empty());
  o.profile = "production";
  CheckResult r2 = run_check(snap, rules, o);
  EXPECT_EQ(result(r2, ".", "DOC001")->outcome, Outcome::Fail);
}

TEST(Engine, SkippedWhenRequiredRuleFails) {
  RuleSet rules = load({kReadmeRule, rule("DOC002", "requirement",
                                          "requires: [DOC001]\ncheck:\n  file_exists: CHANGELOG.md\n")});
  MemorySnapshot snap(Files{{"a.py", "x"}});
  CheckResult r = run_check(snap, rules, opts());
  EXPECT_EQ(result(r, ".", "DOC001")->outcome, Outcome::Fail);
  EXPECT_EQ(result(r, ".", "DOC002")->outcome, Outcome::Skipped);
  EXPECT_TRUE(findings_of(r, "DOC002").empty());
  MemorySnapshot good(Files{{"README.md", "x"}});
  CheckResult r2 = run_check(good, rules, opts());
  EXPECT_EQ(result(r2, ".", "DOC002")->outcome, Outcome::Fail);
}

TEST(Engine, PatternFindingsAtFileLine) {
  RuleSet rules = load({kPrintRule});
  MemorySnapshot snap(
      Files{{"src/a.py", "x = 1\nprint(x)\n"}, {"b.py", "print(y)\nprint(z)\n"}, {"c.txt", "print(q)\n"}});
  CheckResult r = run_check(snap, rules, opts());
  EXPECT_EQ(result(r, ".", "COD001")->outcome, Outcome::Fail);
  auto fs = findings_of(r, "COD001");
  ASSERT_EQ(fs.size(), 3u);
  EXPECT_EQ(fs[0]->where.path, "b.py");
  EXPECT_EQ(fs[0]->where.line, 1);
  EXPECT_EQ(fs[1]->where.line, 2);
  EXPECT_EQ(fs[2]->where.path, "src/a.py");
  EXPECT_EQ(fs[2]->where.line, 2);
  EXPECT_EQ(fs[2]->where.column, 1);
  EXPECT_EQ(fs[2]->message, "found print(x)");
  EXPECT_FALSE(fs[2]->project_level);
  EXPECT_NE(fs[0]->fingerprint, fs[1]->fingerprint);
}

TEST(Engine, PatternPassesWithoutMatches) {
  RuleSet rules = load({kPrintRule});
  MemorySnapshot snap(Files{{"a.py", "import logging\n"}});
  CheckResult r = run_check(snap, rules, opts());
  EXPECT_EQ(result(r, ".", "COD001")->outcome, Outcome::Pass);
  EXPECT_TRUE(r.findings.empty());
}

TEST(Engine, NotInsideProjectSuppressesPatternRule) {
  RuleSet rules = load({rule("COD001", "pattern",
                             "check:\n  not_inside:\n    project: {file_exists: scripts.cfg}\n"
                             "    check:\n      content:\n        pattern: 'print\\('\n")});
  MemorySnapshot with(Files{{"a.py", "print(1)\n"}, {"scripts.cfg", ""}});
  CheckResult r = run_check(with, rules, opts());
  EXPECT_EQ(result(r, ".", "COD001")->outcome, Outcome::Pass);
  EXPECT_TRUE(r.findings.empty());
  MemorySnapshot without(Files{{"a.py", "print(1)\n"}});
  EXPECT_EQ(run_check(without, rules, opts()).findings.size(), 1u);
}

TEST(Engine, InsideFileKeepsOnlyMatchesInQualifyingFiles) {
  RuleSet rules =
      load({rule("COD001", "pattern",
                 "check:\n  inside:\n    file:\n      content:\n        pattern: '^import sys'\n"
                 "    check:\n      content:\n        files: [\"*.py\"]\n        pattern: 'exit\\('\n")});
  MemorySnapshot snap(Files{{"a.py", "import sys\nexit(1)\n"}, {"b.py", "exit(2)\n"}});
  CheckResult r = run_check(snap, rules, opts());
  auto fs = findings_of(r, "COD001");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0]->where.path, "a.py");
  EXPECT_EQ(fs[0]->where.line, 2);
}

TEST(Engine, ManifestsInSrcBelongToTheProjectAroundIt) {
  RuleSet rules = load({kReadmeRule});
  MemorySnapshot snap(Files{{"pyproject.toml", "[tool.kedro]\npackage_name = 'flights'\n"},
                            {"README.md", "# flights\n"},
                            {"src/setup.py", "from setuptools import setup\nsetup(name='flights')\n"},
                            {"src/requirements.txt", "kedro==0.17.7\n"},
                            {"src/flights/nodes.py", "x = 1\n"},
                            {"svc/src/setup.py", "from setuptools import setup\nsetup(name='svc')\n"},
                            {"svc/src/svc/app.py", "y = 2\n"}});
  CheckResult r = run_check(snap, rules, opts());
  ASSERT_EQ(r.projects.size(), 2u);
  EXPECT_EQ(r.projects[0].root, ".");
  EXPECT_EQ(r.projects[1].root, "svc");  // svc/src/setup.py makes svc a project, not svc/src
  EXPECT_EQ(result(r, ".", "DOC001")->outcome, Outcome::Pass);
}

TEST(Engine, MonorepoProjects) {
  RuleSet rules =
      load({rule("CI001", "requirement", "check:\n  file_exists: \".github/workflows/*.yml\"\n", "ci"),
            kReadmeRule, kPrintRule});
  MemorySnapshot snap(Files{{".github/workflows/ci.yml", "on: push\n"},
                            {"svc-a/pyproject.toml", "[project]\nname='a'\n"},
                            {"svc-a/README.md", "# a\n"},
                            {"svc-a/app.py", "print(a)\n"},
                            {"svc-b/pyproject.toml", "[project]\nname='b'\n"},
                            {"svc-b/main.py", "x = 1\nprint(b)\n"},
                            {"tests/fixtures/pyproject.toml", "not a project"}});
  CheckResult r = run_check(snap, rules, opts());
  // tests/ lies outside both services: it forms the root project; the workflow stays shared.
  ASSERT_EQ(r.projects.size(), 3u);
  EXPECT_EQ(r.projects[0].root, ".");
  EXPECT_EQ(r.projects[1].root, "svc-a");
  EXPECT_EQ(r.projects[2].root, "svc-b");
  // The shared workflow counts for both.
  EXPECT_EQ(result(r, "svc-a", "CI001")->outcome, Outcome::Pass);
  EXPECT_EQ(result(r, "svc-b", "CI001")->outcome, Outcome::Pass);
  // README only in svc-a, anchored relative to each project.
  EXPECT_EQ(result(r, "svc-a", "DOC001")->outcome, Outcome::Pass);
  EXPECT_EQ(result(r, "svc-b", "DOC001")->outcome, Outcome::Fail);
  auto doc = findings_of(r, "DOC001");
  ASSERT_EQ(doc.size(), 2u);  // the root project (tests/) has no README either
  auto svc_b = std::find_if(doc.begin(), doc.end(), [](const Finding* f) { return f->project == "svc-b"; });
  ASSERT_NE(svc_b, doc.end());
  EXPECT_EQ((*svc_b)->where.path, "svc-b/pyproject.toml");
  auto prints = findings_of(r, "COD001");
  ASSERT_EQ(prints.size(), 2u);
  EXPECT_EQ(prints[0]->where.path, "svc-a/app.py");
  EXPECT_EQ(prints[0]->project, "svc-a");
  EXPECT_EQ(prints[1]->where.path, "svc-b/main.py");
  EXPECT_EQ(prints[1]->project, "svc-b");
}

TEST(Engine, SharedFileFindingReportedOnce) {
  RuleSet rules = load({kPrintRule});
  MemorySnapshot snap(
      Files{{"a/pyproject.toml", ""}, {"b/pyproject.toml", ""}, {"scripts/run.py", "print(x)\n"}});
  CheckResult r = run_check(snap, rules, opts());
  // scripts/ belongs to neither sub-project: it is the root project's, reported once, as its own.
  ASSERT_EQ(r.projects.size(), 3u);
  auto fs = findings_of(r, "COD001");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0]->where.path, "scripts/run.py");
  EXPECT_EQ(fs[0]->project, ".");
}

TEST(Engine, RequiresCycleDoesNotHang) {
  RuleSet rules = load({rule("DOC001", "requirement", "requires: [DOC002]\ncheck:\n  file_exists: a\n"),
                        rule("DOC002", "requirement", "requires: [DOC001]\ncheck:\n  file_exists: a\n")});
  MemorySnapshot snap(Files{{"a", ""}});
  CheckResult r = run_check(snap, rules, opts());
  ASSERT_NE(result(r, ".", "DOC001"), nullptr);
  EXPECT_NE(result(r, ".", "DOC001")->outcome, Outcome::Pass);
  EXPECT_NE(result(r, ".", "DOC002")->outcome, Outcome::Pass);
}

TEST(Engine, RootProjectWithSubProject) {
  RuleSet rules = load({kReadmeRule});
  MemorySnapshot snap(Files{{"pyproject.toml", ""}, {"README.md", ""}, {"lib/pyproject.toml", ""}});
  CheckResult r = run_check(snap, rules, opts());
  ASSERT_EQ(r.projects.size(), 2u);
  EXPECT_EQ(r.projects[0].root, ".");
  EXPECT_EQ(r.projects[1].root, "lib");
  EXPECT_EQ(result(r, ".", "DOC001")->outcome, Outcome::Pass);
  ASSERT_EQ(result(r, ".", "DOC001")->evidence.size(), 1u);
  EXPECT_FALSE(result(r, ".", "DOC001")->evidence[0].shared);
  // lib has no README of its own: the root README documents the repository, lib included.
  const RuleResult* lib = result(r, "lib", "DOC001");
  EXPECT_EQ(lib->outcome, Outcome::Pass);
  ASSERT_EQ(lib->evidence.size(), 1u);
  EXPECT_EQ(lib->evidence[0].path, "README.md");
  EXPECT_TRUE(lib->evidence[0].shared);
}

// A root without a manifest, one manifest below it and code beside it: the training scripts
// and the `web-service/` they feed (or the notebook and the Kedro project it became) are one
// project, the repository's. A second manifest makes them components of a monorepo again.
TEST(Engine, ALoneManifestBesideCodeIsPartOfTheRepositorysProject) {
  RuleSet rules = load({kReadmeRule});
  Files files{{"README.md", "# house prices\n"},
              {"model_training/train.py", "import xgboost\n"},
              {"web-service/pyproject.toml", "[tool.pytest.ini_options]\n"},
              {"web-service/predict.py", "import flask\n"}};
  CheckResult one = run_check(MemorySnapshot(files), rules, opts());
  ASSERT_EQ(one.projects.size(), 1u);
  EXPECT_EQ(one.projects[0].root, ".");
  files["batch/setup.py"] = "from setuptools import setup\nsetup(name='batch')\n";
  CheckResult two = run_check(MemorySnapshot(files), rules, opts());
  ASSERT_EQ(two.projects.size(), 3u);
  EXPECT_EQ(two.projects[1].root, "batch");
  EXPECT_EQ(two.projects[2].root, "web-service");
  // Requirements of the root's own make the root a project beside the component.
  files.erase("batch/setup.py");
  files["requirements.txt"] = "fastapi==0.111.0\n";
  CheckResult beside = run_check(MemorySnapshot(files), rules, opts());
  ASSERT_EQ(beside.projects.size(), 2u);
  EXPECT_EQ(beside.projects[1].root, "web-service");
  // Without code beside it, the sub-project is the one project and the root's files are shared.
  CheckResult alone = run_check(
      MemorySnapshot(Files{{"README.md", "# x\n"}, {"svc/pyproject.toml", ""}, {"svc/app.py", "x = 1\n"}}),
      rules, opts());
  ASSERT_EQ(alone.projects.size(), 1u);
  EXPECT_EQ(alone.projects[0].root, "svc");
}

// #14 monorepos: repository-wide practices of a sub-project are credited from the shared
// infrastructure around it (root CI, root data validation, a root dags/ directory), reported as
// shared; a training practice is each project's own, and siblings lend nothing.
TEST(Engine, SubProjectCreditedWithSharedInfrastructure) {
  RuleSet rules =
      load({rule("CI001", "requirement", "check:\n  file_exists: \".github/workflows/*.yml\"\n", "ci"),
            rule("DAT006", "requirement", "check:\n  python_import: [great_expectations, pandera]\n",
                 "data_validation"),
            rule("PIP001", "requirement", "check:\n  file_exists: \"dags/*.py\"\n", "pipeline_automation"),
            rule("TRK001", "requirement", "check:\n  python_import: [mlflow]\n", "experiment_tracking"),
            rule("DOC002", "requirement", "check:\n  file_exists: \"/MODEL_CARD.md\"\n")});
  MemorySnapshot snap(Files{{".github/workflows/ci.yml", "on: push\n"},
                            {"MODEL_CARD.md", "# card\n"},
                            {"validation/suite.py", "import great_expectations\n"},
                            {"dags/train.py", "import mlflow\n"},
                            {"svc-a/pyproject.toml", "[project]\nname='a'\n"},
                            {"svc-a/train.py", "import sklearn\n"},
                            {"svc-a/Dockerfile", "FROM python:3.12\n"},  // an application: pipelines apply
                            {"svc-b/pyproject.toml", "[project]\nname='b'\n"},
                            {"svc-b/check.py", "import pandera\n"},
                            {"svc-b/log.py", "import mlflow\n"}});
  CheckResult r = run_check(snap, rules, opts());
  ASSERT_EQ(r.projects.size(), 3u);  // validation/ and dags/ lie outside both: the root project
  auto evidence_of = [&](const std::string& project, const std::string& id) {
    const RuleResult* res = result(r, project, id);
    EXPECT_NE(res, nullptr);
    EXPECT_EQ(res->outcome, Outcome::Pass) << project << " " << id;
    return res && !res->evidence.empty() ? res->evidence[0] : Location{};
  };
  Location ci = evidence_of("svc-a", "CI001");
  EXPECT_EQ(ci.path, ".github/workflows/ci.yml");
  EXPECT_TRUE(ci.shared);
  Location dv = evidence_of("svc-a", "DAT006");
  EXPECT_EQ(dv.path, "validation/suite.py");  // the root's suite, not sibling svc-b's pandera
  EXPECT_TRUE(dv.shared);
  Location pip = evidence_of("svc-a", "PIP001");
  EXPECT_EQ(pip.path, "dags/train.py");
  EXPECT_TRUE(pip.shared);
  // svc-b validates with its own code: its evidence is its own.
  Location own = evidence_of("svc-b", "DAT006");
  EXPECT_EQ(own.path, "svc-b/check.py");
  EXPECT_FALSE(own.shared);
  // The DAG's mlflow import is not svc-a's tracking, nor is sibling svc-b's; the root model
  // card describes no sub-project's model.
  EXPECT_EQ(result(r, "svc-a", "TRK001")->outcome, Outcome::Fail);
  EXPECT_EQ(result(r, "svc-a", "DOC002")->outcome, Outcome::Fail);
  EXPECT_FALSE(evidence_of("svc-b", "TRK001").shared);
  // The root project's own evidence is never shared.
  EXPECT_FALSE(evidence_of(".", "DAT006").shared);
  EXPECT_FALSE(evidence_of(".", "PIP001").shared);
  // The project's practice keeps the mark.
  for (const auto& p : r.projects)
    for (const auto& ps : p.practices)
      if (ps.practice == "data_validation" && p.root == "svc-a") {
        ASSERT_FALSE(ps.evidence.empty());
        EXPECT_TRUE(ps.evidence[0].shared);
      }
}

// A plain single project: one project, its evidence its own (never marked shared), even for
// repository-wide files such as the CI workflow.
TEST(Engine, SingleProjectEvidenceIsNeverShared) {
  RuleSet rules =
      load({rule("CI001", "requirement", "check:\n  file_exists: \".github/workflows/*.yml\"\n", "ci"),
            kReadmeRule});
  MemorySnapshot snap(Files{{".github/workflows/ci.yml", "on: push\n"},
                            {"README.md", "# x\n"},
                            {"requirements.txt", "torch==2.3.0\n"},
                            {"src/model/train.py", "import torch\n"}});
  CheckResult r = run_check(snap, rules, opts());
  ASSERT_EQ(r.projects.size(), 1u);
  for (const char* id : {"CI001", "DOC001"}) {
    const RuleResult* res = result(r, ".", id);
    ASSERT_NE(res, nullptr);
    EXPECT_EQ(res->outcome, Outcome::Pass) << id;
    for (const auto& e : res->evidence) EXPECT_FALSE(e.shared) << id << " " << e.path;
  }
}

// Nested projects: an enclosing sub-project's files are shared infrastructure too.
TEST(Engine, NestedSubProjectSharesItsParentsInfrastructure) {
  RuleSet rules = load({rule("LNT001", "requirement", "check:\n  file_exists: \"ruff.toml\"\n", "linting")});
  MemorySnapshot snap(Files{{"pyproject.toml", ""},
                            {"platform/pyproject.toml", ""},
                            {"platform/ruff.toml", ""},
                            {"platform/models/churn/pyproject.toml", ""},
                            {"other/pyproject.toml", ""}});
  CheckResult r = run_check(snap, rules, opts());
  const RuleResult* churn = result(r, "platform/models/churn", "LNT001");
  ASSERT_NE(churn, nullptr);
  EXPECT_EQ(churn->outcome, Outcome::Pass);
  ASSERT_FALSE(churn->evidence.empty());
  EXPECT_EQ(churn->evidence[0].path, "platform/ruff.toml");
  EXPECT_TRUE(churn->evidence[0].shared);
  EXPECT_EQ(result(r, "other", "LNT001")->outcome, Outcome::Fail);  // a sibling's config: not its own
  EXPECT_EQ(result(r, ".", "LNT001")->outcome, Outcome::Fail);      // nor the root's
}

// #14: a repository of independent examples, each with its own README and requirements, is
// one project per example; a lone component with its own README and requirements, and docs/,
// stay in the project around them.
TEST(Engine, IndependentExamplesAreSplitIntoProjects) {
  RuleSet rules = load({kReadmeRule});
  MemorySnapshot snap(Files{{"README.md", "# examples\n"},
                            {"docs/README.md", "# docs\n"},
                            {"docs/requirements.txt", "sphinx==7.2.6\n"},
                            {"examples/a/README.md", "# a\n"},
                            {"examples/a/requirements.txt", "torch==2.3.0\n"},
                            {"examples/a/train.py", "import torch\n"},
                            {"examples/b/README.rst", "b\n"},
                            {"examples/b/requirements-dev.txt", "scikit-learn==1.5.0\n"},
                            {"examples/b/src/main.py", "import sklearn\n"},
                            {"examples/c/notes.md", "not an example: no README, no requirements\n"}});
  CheckResult r = run_check(snap, rules, opts());
  ASSERT_EQ(r.projects.size(), 3u);
  EXPECT_EQ(r.projects[0].root, ".");
  EXPECT_EQ(r.projects[1].root, "examples/a");
  EXPECT_EQ(r.projects[2].root, "examples/b");
  const RuleResult* b = result(r, "examples/b", "DOC001");
  ASSERT_NE(b, nullptr);
  ASSERT_FALSE(b->evidence.empty());
  EXPECT_EQ(b->evidence[0].path, "examples/b/README.rst");  // its own README, not the root's
  EXPECT_FALSE(b->evidence[0].shared);

  MemorySnapshot single(Files{{"README.md", "# app\n"},
                              {"requirements.txt", "torch==2.3.0\n"},
                              {"train.py", "import torch\n"},
                              {"serving/README.md", "# serving\n"},
                              {"serving/requirements.txt", "fastapi==0.111.0\n"},
                              {"serving/app.py", "import fastapi\n"}});
  CheckResult one = run_check(single, rules, opts());
  ASSERT_EQ(one.projects.size(), 1u);
  EXPECT_EQ(one.projects[0].root, ".");
}

TEST(Engine, OnlyFilesLimitsPatternFindings) {
  RuleSet rules = load({kPrintRule, kReadmeRule});
  MemorySnapshot snap(Files{{"a.py", "print(a)\n"}, {"b.py", "print(b)\n"}, {"c.py", "print(c)\n"}});
  CheckOptions o = opts();
  o.only_files = {"b.py", "not-listed.py"};
  CheckResult r = run_check(snap, rules, o);
  auto fs = findings_of(r, "COD001");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0]->where.path, "b.py");
  // A requirement rule unaffected by b.py is not re-evaluated.
  EXPECT_EQ(result(r, ".", "DOC001"), nullptr);
  o.only_files = {"README.md"};
  MemorySnapshot with_readme(Files{{"README.md", ""}, {"a.py", "print(a)\n"}});
  CheckResult r2 = run_check(with_readme, rules, o);
  ASSERT_NE(result(r2, ".", "DOC001"), nullptr);
  EXPECT_EQ(result(r2, ".", "DOC001")->outcome, Outcome::Pass);
  EXPECT_TRUE(findings_of(r2, "COD001").empty());
}

std::map<std::string, std::string> many_files() {
  std::map<std::string, std::string> files;
  for (int i = 0; i < 300; ++i) {
    std::string dir = i % 3 == 0 ? "svc-a/" : i % 3 == 1 ? "svc-b/" : "shared/";
    files[dir + "m" + std::to_string(i) + ".py"] =
        (i % 7 == 0 ? "import sklearn\n" : "") + std::string("x = 1\n") + (i % 5 == 0 ? "print(v)\n" : "");
  }
  files["svc-a/pyproject.toml"] = "";
  files["svc-b/pyproject.toml"] = "";
  files["svc-a/README.md"] = "";
  files["broken.yaml"] = "a: [\n";
  return files;
}

bool same_findings(const CheckResult& a, const CheckResult& b) {
  if (a.findings.size() != b.findings.size()) return false;
  for (size_t i = 0; i < a.findings.size(); ++i) {
    const Finding& x = a.findings[i];
    const Finding& y = b.findings[i];
    if (x.rule_id != y.rule_id || x.where != y.where || x.project != y.project || x.message != y.message ||
        x.fingerprint != y.fingerprint || x.subject != y.subject || x.severity != y.severity)
      return false;
  }
  return true;
}

TEST(Engine, ResultsDoNotDependOnJobs) {
  RuleSet rules = load({kReadmeRule, kPrintRule,
                        rule("DOC002", "requirement", "applies: ml_code\ncheck:\n  python_import: torch\n"),
                        rule("DOC003", "requirement", "check:\n  yaml:\n    path: a\n")});
  MemorySnapshot snap(many_files());
  CheckResult one = run_check(snap, rules, opts(1));
  CheckResult eight = run_check(snap, rules, opts(8));
  EXPECT_FALSE(one.findings.empty());
  EXPECT_TRUE(same_findings(one, eight));
  EXPECT_EQ(one.diagnostics, eight.diagnostics);
  ASSERT_EQ(one.projects.size(), eight.projects.size());
  for (size_t p = 0; p < one.projects.size(); ++p) {
    ASSERT_EQ(one.projects[p].results.size(), eight.projects[p].results.size());
    for (size_t i = 0; i < one.projects[p].results.size(); ++i) {
      EXPECT_EQ(one.projects[p].results[i].outcome, eight.projects[p].results[i].outcome);
      EXPECT_EQ(one.projects[p].results[i].evidence, eight.projects[p].results[i].evidence);
    }
  }
}

TEST(Engine, UnreadableInputGivesErrorOutcomeAndDiagnostic) {
  RuleSet rules =
      load({rule("DOC003", "requirement", "check:\n  yaml:\n    files: [params.yaml]\n    path: seed\n")});
  MemorySnapshot snap(Files{{"params.yaml", "seed: [1\n"}});
  CheckResult r = run_check(snap, rules, opts());
  EXPECT_EQ(result(r, ".", "DOC003")->outcome, Outcome::Error);
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].where.path, "params.yaml");
}

const std::string kCiRunsPytest =
    rule("CI009", "requirement", "anchor: [\"/setup.py\"]\ncheck:\n  ci_runs: '\\bpytest\\b'\n");

Outcome ci_outcome(const Files& files) {
  RuleSet rules = load({kCiRunsPytest});
  MemorySnapshot snap(files);
  CheckResult r = run_check(snap, rules, opts());
  const RuleResult* res = result(r, ".", "CI009");
  return res ? res->outcome : Outcome::Error;
}

TEST(Engine, CiRunsFollowsJobConfigThenShellScript) {
  // A workflow submits a job whose config runs a script that runs pytest (Made-With-ML's shape).
  Files files{{"setup.py", ""},
              {".github/workflows/ci.yml",
               "on: push\njobs:\n  j:\n    steps:\n      - run: anyscale job submit ops/job.yaml\n"},
              {"ops/job.yaml", "name: j\nentrypoint: bash ops/run.sh\n"},
              {"ops/run.sh", "#!/bin/bash\npytest tests\n"}};
  EXPECT_EQ(ci_outcome(files), Outcome::Pass);
  files["ops/run.sh"] = "#!/bin/bash\npython train.py\n";
  EXPECT_EQ(ci_outcome(files), Outcome::Fail);
}

TEST(Engine, CiRunsScriptsAreScopedByPathNotContent) {
  // Two scripts with the same bytes share cached facts; only the one CI names counts.
  Files files{{"setup.py", ""},
              {".github/workflows/ci.yml", "on: push\njobs:\n  j:\n    steps:\n      - run: bash a/x.sh\n"},
              {"a/x.sh", "echo build\n"},
              {"b/x.sh", "pytest\n"}};
  EXPECT_EQ(ci_outcome(files), Outcome::Fail);
  files["a/x.sh"] = "pytest\n";
  EXPECT_EQ(ci_outcome(files), Outcome::Pass);
  files["b/x.sh"] = "echo build\n";  // scripts outside the repository root are never reached
  files[".github/workflows/ci.yml"] = "on: push\njobs:\n  j:\n    steps:\n      - run: bash ../b/x.sh\n";
  EXPECT_EQ(ci_outcome(files), Outcome::Fail);
}

TEST(Engine, CiRunsGitlabIncludesAndCrossFileTemplates) {
  Files files{{"setup.py", ""},
              {".gitlab-ci.yml", "include:\n  - local: ci/a.yml\nunit:\n  extends: .tests\n"},
              {"ci/a.yml", "include: ci/b.yml\nlint:\n  script: [ruff check .]\n"},
              {"ci/b.yml", "include: ci/a.yml\n.tests:\n  script: [pytest -q]\n"}};
  EXPECT_EQ(ci_outcome(files), Outcome::Pass);
  files[".gitlab-ci.yml"] = "include:\n  - local: ci/a.yml\nbuild:\n  script: [make]\n";
  EXPECT_EQ(ci_outcome(files), Outcome::Fail);  // the template is never extended
}

TEST(Engine, CiRunsNoxAndHatchOneLevelDown) {
  Files files{{"setup.py", ""},
              {".github/workflows/ci.yml", "on: push\njobs:\n  j:\n    steps:\n      - run: nox -s lint\n"},
              {"noxfile.py",
               "import nox\n@nox.session\ndef lint(session):\n    session.run('ruff', 'check')\n"
               "@nox.session\ndef tests(session):\n    session.run('pytest')\n"}};
  EXPECT_EQ(ci_outcome(files), Outcome::Fail);
  files[".github/workflows/ci.yml"] = "on: push\njobs:\n  j:\n    steps:\n      - run: nox\n";
  EXPECT_EQ(ci_outcome(files), Outcome::Pass);  // bare nox: every session is a default one
  files[".github/workflows/ci.yml"] = "on: push\njobs:\n  j:\n    steps:\n      - run: hatch run qa:cov\n";
  files["pyproject.toml"] = "[tool.hatch.envs.default.scripts]\ncov = 'pytest --cov'\n";
  EXPECT_EQ(ci_outcome(files), Outcome::Pass);  // qa inherits the default environment's scripts
}

TEST(Engine, CiRunsIgnoresBrokenUnrelatedYaml) {
  Files files{{"setup.py", ""},
              {".github/workflows/ci.yml", "on: push\njobs:\n  j:\n    steps:\n      - run: make\n"},
              {"configs/broken.yaml", "script: [1\n"}};
  EXPECT_EQ(ci_outcome(files), Outcome::Fail);  // not Error: the YAML file feeds nothing
}

TEST(Engine, OversizedFilesAreDiagnosedNotRead) {
  RuleSet rules = load({kPrintRule});
  SnapshotOptions so;
  so.max_file_size = 10;
  MemorySnapshot snap(Files{{"big.py", "print(x)\n# padding padding\n"}}, so);
  CheckOptions o = opts();
  o.max_file_size = 10;
  CheckResult r = run_check(snap, rules, o);
  EXPECT_TRUE(r.findings.empty());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].where.path, "big.py");
}

TEST(Engine, IncludedRequirementsTooLargeToReadAreDiagnosedOnce) {
  RuleSet rules = load({rule("TST001", "pattern", "check:\n  unpinned_dependency: {}\n")});
  SnapshotOptions so;
  so.max_file_size = 40;
  MemorySnapshot snap(Files{{"requirements.txt", "-r base.in\npandas==2.2.2\n"},
                            {"base.in", "torch>=2\nnumpy>=1\nscikit-learn>=1.4\nscipy>=1\n"},
                            {"a.py", "import sklearn\n"}},
                      so);
  CheckOptions o = opts();
  o.max_file_size = 40;
  CheckResult r = run_check(snap, rules, o);
  EXPECT_TRUE(findings_of(r, "TST001").empty());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].where.path, "base.in");
  EXPECT_NE(r.diagnostics[0].message.find("read limit"), std::string::npos);
}

TEST(Engine, LargeFilesOutsideLfs) {
  RuleSet rules =
      load({rule("DAT001", "pattern", "check:\n  large_file: {files: [\"*.csv\"], min_size: 1KB}\n",
                 "large_files_managed")});
  std::string big(2048, 'x');
  std::string pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 99999\n";
  MemorySnapshot snap(Files{{".gitattributes", "lfs/*.csv filter=lfs\n"},
                            {"data.csv", big},
                            {"lfs/x.csv", big},
                            {"small.csv", "a"},
                            {"p.csv", pointer + std::string(1200, ' ')}});
  CheckResult r = run_check(snap, rules, opts());
  auto fs = findings_of(r, "DAT001");
  ASSERT_EQ(fs.size(), 2u);
  EXPECT_EQ(fs[0]->where.path, "data.csv");
  EXPECT_EQ(fs[1]->where.path, "p.csv");
}

TEST(Engine, PracticeStatusesListEveryPractice) {
  RuleSet rules = load({kReadmeRule, kPrintRule});
  MemorySnapshot snap(Files{{"README.md", ""}, {"a.py", "print(a)\n"}});
  CheckResult r = run_check(snap, rules, opts());
  ASSERT_EQ(r.projects.size(), 1u);
  const auto& ps = r.projects[0].practices;
  ASSERT_EQ(ps.size(), known_practices().size());
  for (size_t i = 0; i < ps.size(); ++i) {
    EXPECT_EQ(ps[i].practice, known_practices()[i]);
    if (ps[i].practice == "documentation") {
      EXPECT_EQ(ps[i].status, "present");
      EXPECT_EQ(ps[i].rules, (std::vector<std::string>{"DOC001"}));
      ASSERT_FALSE(ps[i].evidence.empty());
      EXPECT_EQ(ps[i].evidence[0].path, "README.md");
    } else if (ps[i].practice == "code_in_modules") {
      EXPECT_EQ(ps[i].status, "missing");
    } else {
      EXPECT_EQ(ps[i].status, "not_applicable");
    }
  }
}

const PracticeStatus* practice(const CheckResult& r, const std::string& slug) {
  for (const auto& ps : r.projects.at(0).practices)
    if (ps.practice == slug) return &ps;
  return nullptr;
}

TEST(Engine, InfoRulesDoNotMakeAPracticeMissingWhenAnotherPasses) {
  std::string card = rule("DOC002", "requirement", "check:\n  file_exists: MODEL_CARD.md\n");
  card.replace(card.find("severity: warning"), 17, "severity: info");
  RuleSet rules = load({kReadmeRule, card});
  CheckResult with_readme = run_check(MemorySnapshot(Files{{"README.md", ""}}), rules, opts());
  EXPECT_EQ(practice(with_readme, "documentation")->status, "present");
  // With nothing passing, the failing info rule still says the practice is missing.
  CheckResult bare = run_check(MemorySnapshot(Files{{"a.txt", ""}}), rules, opts());
  EXPECT_EQ(practice(bare, "documentation")->status, "missing");
}

TEST(Engine, PatternPassesAreNoEvidenceWhereTheRequirementDoesNotApply) {
  std::string split =
      rule("DAT005", "requirement", "applies:\n  file_exists: \"*.py\"\ncheck:\n  file_exists: split.py\n",
           "data_split");
  std::string seedless =
      rule("DAT004", "pattern", "check:\n  content:\n    files: [\"*.py\"]\n    pattern: 'shuffle'\n",
           "data_split");
  RuleSet rules = load({split, seedless});
  CheckResult no_code = run_check(MemorySnapshot(Files{{"README.md", ""}}), rules, opts());
  EXPECT_EQ(practice(no_code, "data_split")->status, "not_applicable");
  CheckResult with_split = run_check(MemorySnapshot(Files{{"split.py", "x = 1\n"}}), rules, opts());
  EXPECT_EQ(practice(with_split, "data_split")->status, "present");
  // A practice checked only by pattern rules is present when they find nothing.
  RuleSet only_pattern = load({seedless});
  CheckResult clean = run_check(MemorySnapshot(Files{{"a.py", "x = 1\n"}}), only_pattern, opts());
  EXPECT_EQ(practice(clean, "data_split")->status, "present");
}

// #14: the profile decides which missing practices are findings, never what is detected.
TEST(Engine, PracticeStatusDoesNotDependOnTheProfile) {
  std::string monitor = rule("MON001", "requirement",
                             "profiles: [production]\ncheck:\n  file_exists: prometheus.yml\n", "monitoring");
  RuleSet rules = load({monitor});
  CheckOptions team = opts();
  team.profile = "team";
  // A Dockerfile makes an application (research code is not asked for monitoring).
  CheckResult with =
      run_check(MemorySnapshot(Files{{"prometheus.yml", "x: 1\n"}, {"Dockerfile", "FROM x\n"}}), rules, team);
  EXPECT_EQ(result(with, ".", "MON001")->outcome, Outcome::NotApplicable);
  EXPECT_EQ(result(with, ".", "MON001")->observed, Outcome::Pass);
  EXPECT_EQ(practice(with, "monitoring")->status, "present");
  ASSERT_FALSE(practice(with, "monitoring")->evidence.empty());
  CheckResult without =
      run_check(MemorySnapshot(Files{{"a.py", "x\n"}, {"Dockerfile", "FROM x\n"}}), rules, team);
  EXPECT_EQ(practice(without, "monitoring")->status, "missing");
  EXPECT_TRUE(without.findings.empty());  // outside the profile: no finding
  CheckOptions production = opts();
  production.profile = "production";
  CheckResult gated =
      run_check(MemorySnapshot(Files{{"a.py", "x\n"}, {"Dockerfile", "FROM x\n"}}), rules, production);
  EXPECT_EQ(practice(gated, "monitoring")->status, "missing");
  EXPECT_EQ(findings_of(gated, "MON001").size(), 1u);
}

// Quality findings against an existing practice make it partial, not missing.
TEST(Engine, FindingsAgainstAnExistingPracticeMakeItPartial) {
  std::string declared =
      rule("DEP001", "requirement", "check:\n  file_exists: requirements.txt\n", "dependency_pinning");
  std::string unpinned = rule("DEP002", "pattern",
                              "check:\n  content:\n    files: [requirements.txt]\n    pattern: '^[a-z]+$'\n",
                              "dependency_pinning");
  RuleSet rules = load({declared, unpinned});
  CheckResult pinned =
      run_check(MemorySnapshot(Files{{"requirements.txt", "torch==2.3.0\n"}}), rules, opts());
  EXPECT_EQ(practice(pinned, "dependency_pinning")->status, "present");
  CheckResult some =
      run_check(MemorySnapshot(Files{{"requirements.txt", "torch==2.3.0\nnumpy\n"}}), rules, opts());
  EXPECT_EQ(practice(some, "dependency_pinning")->status, "partial");
  EXPECT_EQ(findings_of(some, "DEP002").size(), 1u);
  CheckResult none = run_check(MemorySnapshot(Files{{"a.py", "x\n"}}), rules, opts());
  EXPECT_EQ(practice(none, "dependency_pinning")->status, "missing");
}

TEST(Engine, GitTagsAreRepositoryFactsWithTagEvidence) {
  RuleSet rules =
      load({rule("MOD001", "requirement", "check:\n  git_tag: '^churn@v\\d+'\n", "model_versioning")});
  MemorySnapshot untagged(Files{{"train.py", "x = 1\n"}});
  EXPECT_EQ(result(run_check(untagged, rules, opts()), ".", "MOD001")->outcome, Outcome::Fail);
  MemorySnapshot tagged(Files{{"train.py", "x = 1\n"}});
  tagged.set_tags({"v0.1", "churn@v3", "churn@v1"});
  CheckResult r = run_check(tagged, rules, opts());
  const RuleResult* res = result(r, ".", "MOD001");
  ASSERT_EQ(res->outcome, Outcome::Pass);
  ASSERT_EQ(res->evidence.size(), 2u);
  EXPECT_EQ(res->evidence[0].path, "refs/tags/churn@v1");
  EXPECT_EQ(res->evidence[1].path, "refs/tags/churn@v3");
}

// A MemorySnapshot whose files carry content keys, so the facts cache can be used.
class KeyedSnapshot : public Snapshot {
 public:
  explicit KeyedSnapshot(std::map<std::string, std::string> files) : inner_(files) {
    entries_ = inner_.files();
    for (auto& e : entries_) e.cache_key = "k" + std::to_string(std::hash<std::string>{}(files.at(e.path)));
  }
  const std::vector<FileEntry>& files() const override { return entries_; }
  ReadResult read(const FileEntry& f, uint64_t limit) const override {
    ++reads;
    return inner_.read(f, limit);
  }
  const std::vector<Diagnostic>& diagnostics() const override { return inner_.diagnostics(); }
  std::string kind() const override { return "memory"; }
  mutable std::atomic<int> reads{0};

 private:
  MemorySnapshot inner_;
  std::vector<FileEntry> entries_;
};

TEST(Engine, FactsCacheRoundTrip) {
  RuleSet rules =
      load({kReadmeRule, kPrintRule, rule("DOC003", "requirement", "check:\n  yaml:\n    path: a\n")});
  std::random_device rd;
  fs::path file = fs::temp_directory_path() /
                  ("mlops-cache-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()) + ".bin");
  std::map<std::string, std::string> files = {{"README.md", "# r\n"},
                                              {"a.py", "print(a)\n"},
                                              {"b.py", "x = 1\n"},
                                              {"c.yaml", "a: [\n"},
                                              {"d.yaml", "a: 1\n"}};
  KeyedSnapshot snap(files);
  CheckResult fresh = run_check(snap, rules, opts());
  {
    FactsCache cache(file.string(), ruleset_signature(rules));
    cache.load();
    CheckOptions o = opts();
    o.cache = &cache;
    CheckResult first = run_check(snap, rules, o);
    EXPECT_EQ(first.cache_hits, 0u);
    EXPECT_TRUE(same_findings(fresh, first));
    std::string error;
    ASSERT_TRUE(cache.save(error)) << error;
  }
  ASSERT_TRUE(fs::exists(file));
  {
    KeyedSnapshot again(files);
    FactsCache cache(file.string(), ruleset_signature(rules));
    cache.load();
    CheckOptions o = opts(4);
    o.cache = &cache;
    CheckResult second = run_check(again, rules, o);
    EXPECT_GT(second.cache_hits, 0u);
    EXPECT_EQ(second.files_analysed, 0u);
    EXPECT_EQ(again.reads.load(), 0);
    EXPECT_TRUE(same_findings(fresh, second));
    EXPECT_EQ(fresh.diagnostics, second.diagnostics);
    ASSERT_EQ(fresh.projects.size(), second.projects.size());
    for (size_t i = 0; i < fresh.projects[0].results.size(); ++i)
      EXPECT_EQ(fresh.projects[0].results[i].outcome, second.projects[0].results[i].outcome);
  }
  {
    // A different rule set never reuses the facts.
    RuleSet other = load({kPrintRule});
    FactsCache cache(file.string(), ruleset_signature(other));
    cache.load();
    CheckOptions o = opts();
    o.cache = &cache;
    CheckResult third = run_check(snap, other, o);
    EXPECT_EQ(third.cache_hits, 0u);
  }
  {
    // A corrupt cache file is ignored.
    std::ofstream(file, std::ios::binary | std::ios::trunc) << "mlops-lint facts cache v2\n\x05garbage";
    FactsCache cache(file.string(), ruleset_signature(rules));
    cache.load();
    CheckOptions o = opts();
    o.cache = &cache;
    CheckResult fourth = run_check(snap, rules, o);
    EXPECT_EQ(fourth.cache_hits, 0u);
    EXPECT_TRUE(same_findings(fresh, fourth));
  }
  std::error_code ec;
  fs::remove(file, ec);
}

TEST(Engine, RequirementsIncludesAndConstraints) {
  RuleSet rules = load({rule("TST001", "pattern", "check:\n  unpinned_dependency: {}\n"),
                        rule("TST002", "requirement", "check:\n  dependency: [xgboost]\n")});
  MemorySnapshot snap(
      Files{{"requirements.txt", "-r reqs/base.in\n-c pins.txt\n-r requirements.txt\npandas\nnumpy>=1\n"},
            {"reqs/base.in", "-r ../requirements.txt\nxgboost\ntorch>=2\n"},
            {"pins.txt", "pandas==2.2.2\nxgboost==2.0.3\n"},
            {"a.py", "import sklearn\n"}});
  CheckOptions o;
  o.jobs = 2;
  CheckResult r = run_check(snap, rules, o);
  std::vector<std::string> unpinned;
  for (const Finding* f : findings_of(r, "TST001")) unpinned.push_back(f->where.path + ":" + f->subject);
  std::sort(unpinned.begin(), unpinned.end());
  // pins.txt pins pandas and xgboost for everything the install pulls in; the rest stays loose.
  EXPECT_EQ(unpinned, (std::vector<std::string>{"reqs/base.in:torch>=2", "requirements.txt:numpy>=1"}));
  const RuleResult* declared = result(r, ".", "TST002");
  ASSERT_NE(declared, nullptr);
  EXPECT_EQ(declared->outcome, Outcome::Pass);  // declared in the included file
}

}  // namespace
}  // namespace mlops

// file_exists narrows candidates by the literal start of a glob's last segment: every name the
// glob matches must start with it, or files would be missed.
namespace mlops {
namespace {

TEST(FileExistsIndex, LiteralPrefixAndDirectoryHoldForEveryMatchingPath) {
  using engine::anchored_directory;
  using engine::any_depth_directory;
  using engine::literal_prefix;
  using engine::literal_suffix;
  using engine::rooted_pattern_directory;
  EXPECT_EQ(literal_suffix("*_test.py"), "_test.py");
  EXPECT_EQ(literal_suffix("tests/[Tt]est_x.py"), "est_x.py");
  EXPECT_EQ(literal_suffix("test_*"), "");
  EXPECT_EQ(literal_suffix("x**y.py"), "");
  EXPECT_EQ(rooted_pattern_directory("/[Pp]ull/*"), "[Pp]ull");
  EXPECT_FALSE(rooted_pattern_directory("/README*"));
  EXPECT_FALSE(rooted_pattern_directory("docs/*"));
  EXPECT_EQ(any_depth_directory("**/configs/*.py"), "configs");
  EXPECT_EQ(any_depth_directory("**/data/**/*.py"), "data");
  EXPECT_EQ(any_depth_directory("**/test_*.py"), "");  // a file name
  EXPECT_EQ(any_depth_directory("**/conf*/x.py"), "");
  EXPECT_EQ(any_depth_directory("configs/*.py"), "");
  EXPECT_EQ(literal_prefix("test_*.py"), "test_");
  EXPECT_EQ(literal_prefix("tests/**/test_*.py"), "test_");
  EXPECT_EQ(literal_prefix("MODELCARD*"), "MODELCARD");
  EXPECT_EQ(literal_prefix("dvc.yaml"), "dvc.yaml");
  EXPECT_EQ(literal_prefix("*_test.py"), "");
  EXPECT_EQ(literal_prefix("data/test/**"), "");
  EXPECT_EQ(literal_prefix("docs/[Pp]ull*"), "");
  EXPECT_EQ(literal_prefix("model**"), "");  // may match model/a/b.txt
  EXPECT_EQ(literal_prefix("a\\*b*"), "a");
  EXPECT_EQ(anchored_directory("data/test/**"), "data/test/");
  EXPECT_EQ(anchored_directory(".github/[Pp]ull*"), ".github/");
  EXPECT_EQ(anchored_directory("/[Rr]eadme*"), "");
  EXPECT_EQ(anchored_directory("data/valid*/**"), "data/");
  EXPECT_FALSE(anchored_directory("test_*.py"));
  EXPECT_FALSE(anchored_directory("**/test_*.py"));
  EXPECT_FALSE(anchored_directory("/*/x.py"));
  const std::vector<std::string> globs = {"test_*.py",       "**/test_*.py",    "/[Rr][Ee][Aa][Dd][Mm][Ee]*",
                                          "MODELCARD*",      "model**",         "data/README*",
                                          "predict*.py",     "src/*/x*.y",      "/req*.txt",
                                          "h?ndler*.py",     "a\\*b*",          "*serv*.py",
                                          "data/test/**",    "data/valid*/**",  ".github/[Pp]ull*",
                                          "/*/x.py",         "**/data/*.csv",   "**/configs/*.py",
                                          "**/data/**/*.py", "*_test.py",       "[Hh]andler.py",
                                          "/[Dd]ata/*",      "/[Dd]at*/**/*.py"};
  const std::vector<std::string> paths = {"test_a.py",
                                          "pkg/test_b.py",
                                          "README.md",
                                          "docs/readme.txt",
                                          "MODELCARD.md",
                                          "model/a/b.txt",
                                          "modelx",
                                          "data/README",
                                          "predict.py",
                                          "src/p/xq.y",
                                          "req.txt",
                                          "sub/req_dev.txt",
                                          "handler.py",
                                          "hyndler_x.py",
                                          "a*b.c",
                                          "my_server.py",
                                          "x/test_.py",
                                          "nottest_a.py",
                                          "data/test/a/b.csv",
                                          "data/validation/x",
                                          ".github/pull_request_template.md",
                                          "q/x.py",
                                          "data/x.csv",
                                          "a/data/y.csv",
                                          "configs/a.py",
                                          "p/q/configs/b.py",
                                          "p/configs.py",
                                          "data/a/b/c.py",
                                          "x/data/c.py",
                                          "pkg/a_test.py",
                                          "Handler.py",
                                          "Data/x.csv"};
  size_t matched = 0;
  for (const auto& g : globs)
    for (const auto& p : paths) {
      if (!matches_globs({g}, p)) continue;
      ++matched;
      std::string_view base = std::string_view(p).substr(p.rfind('/') + 1);
      EXPECT_TRUE(base.starts_with(literal_prefix(g))) << g << " matches " << p;
      EXPECT_TRUE(base.ends_with(literal_suffix(g))) << g << " matches " << p;
      if (auto first = rooted_pattern_directory(g)) {
        EXPECT_TRUE(glob_match_full(*first, p.substr(0, p.find('/')))) << g << " matches " << p;
      }
      if (auto component = any_depth_directory(g); !component.empty()) {
        const std::string dir = std::string(component) + "/";
        EXPECT_TRUE(p.starts_with(dir) || p.find("/" + dir) != std::string::npos) << g << " matches " << p;
      }
      if (auto dir = anchored_directory(g)) {
        EXPECT_TRUE(std::string_view(p).starts_with(*dir)) << g << " matches " << p;
        if (g.starts_with('/') && g.find('/', 1) == std::string::npos) {
          EXPECT_EQ(p.find('/'), std::string::npos) << g << " matches " << p;
        }
      }
    }
  EXPECT_GT(matched, 20u);
}

// The indexes only choose candidates: whatever glob list is asked, files_matching finds
// exactly the files a match of every file against the list finds.
TEST(FileExistsIndex, FilesMatchingEqualsMatchingEveryFile) {
  std::vector<FileEntry> files;
  for (const char* p : {"Data/x.csv", "Handler.py", "PULL_REQUEST_TEMPLATE/a.md", "README.md", "a/data/y.csv",
                        "configs/a.py", "data/a/b/c.py", "data/test/a.csv", "docs/CODEOWNERS", "p/configs.py",
                        "p/q/configs/b.py", "pkg/a_test.py", "pkg/test_b.py", "tests/x.py", "x/data/c.py"}) {
    FileEntry f;
    f.path = p;
    files.push_back(f);
  }
  engine::Layout layout = engine::detect_projects(files);
  ASSERT_EQ(layout.projects.size(), 1u);
  const std::vector<std::vector<std::string>> lists = {
      {"*_test.py", "test_*.py", "tests/**/*.py", "**/tests/**/*.py"},
      {"/[Pp][Uu][Ll][Ll]_*/*", "/CODEOWNERS", "docs/CODEOWNERS"},
      {"config/*.py", "configs/*.py", "**/configs/*.py", "!**/tests/**"},
      {"**/data/**/*.py", "/[Dd]ata/*"},
      {"!tests/**"},
      {"[Hh]andler.py", "*.csv", "!data/**"}};
  RuleSet rules;
  std::vector<FileFacts> facts(files.size());
  engine::FileExistsCache cache;
  engine::Evaluator ev(rules, files, facts, layout, layout.projects[0], 0, &cache);
  for (const auto& globs : lists) {
    std::vector<size_t> want;
    for (size_t f : layout.projects[0].files)
      if (matches_globs(globs, layout.rel[f])) want.push_back(f);
    EXPECT_EQ(ev.files_matching(&globs, globs), want) << globs.front();
    EXPECT_FALSE(want.empty()) << globs.front();
  }
}

// A query leaf asked of a project visits only the files with a match when the run's per-query
// lists are given: the same hits, in the same order, whatever the project's share of the files.
TEST(EvaluatorQueryLeaves, FilesWithMatchesGiveTheSameHitsAsVisitingEveryFile) {
  std::vector<FileEntry> files;
  for (int i = 0; i < 400; ++i) {
    FileEntry f;
    f.path = "f" + std::to_string(1000 + i) + ".py";
    files.push_back(f);
  }
  engine::Layout layout = engine::detect_projects(files);
  RuleSet rules;
  std::vector<FileFacts> facts(files.size());
  std::vector<std::vector<size_t>> with_matches(2);
  for (size_t f : {3, 50, 51, 390}) {
    Match m;
    m.line = static_cast<int>(f);
    facts[f].query_matches.list(0).push_back(m);
    with_matches[0].push_back(f);
  }
  Expr leaf;
  leaf.op = Expr::Op::Query;
  leaf.query = 0;
  auto range = [](size_t from, size_t to) {
    std::vector<size_t> out;
    for (size_t f = from; f < to; ++f) out.push_back(f);
    return out;
  };
  // Every file; a large part (looked up by binary search); a small part (every file visited);
  // a part without matches.
  for (const auto& pf : {range(0, 400), range(0, 200), range(45, 60), range(100, 300)}) {
    engine::Project project{"", pf, {}};
    engine::Evaluator plain(rules, files, facts, layout, project, 0);
    engine::Evaluator listed(rules, files, facts, layout, project, 0);
    listed.set_files_with_matches(&with_matches);
    auto lines = [](const Eval& e) {
      std::vector<int> out;
      for (const auto& h : e.hits) out.push_back(h.match.line);
      return out;
    };
    const std::vector<int> want = lines(plain.eval(leaf));
    EXPECT_EQ(lines(listed.eval(leaf)), want) << pf.size();
    EXPECT_EQ(listed.holds(leaf), !want.empty()) << pf.size();
    EXPECT_EQ(plain.holds(leaf), !want.empty()) << pf.size();
  }
}

}  // namespace
}  // namespace mlops
