// #14 through the built-in rules and the reporters: JSON schema 2 (kind, partial, null score),
// "not an ML project" in text and markdown, SARIF run properties with the kinds.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/engine.h"
#include "repo/memory_snapshot.h"
#include "report/report.h"
#include "testing/rule_tests.h"

namespace mlops {
namespace {

struct Checked {
  RuleSet rules;
  CheckResult result;
};

Checked check(std::map<std::string, std::string> files) {
  std::vector<std::string> ids;
  std::vector<Diagnostic> errors;
  Checked c;
  c.rules = load_rules_for_testing(MLOPS_SOURCE_DIR "/rules", ids, errors);
  EXPECT_TRUE(errors.empty());
  MemorySnapshot snap(std::move(files));
  CheckOptions o;
  o.jobs = 1;
  c.result = run_check(snap, c.rules, o);
  return c;
}

TEST(PracticeReport, DocsOnlyRepositoryIsNotAnMlProjectInEveryFormat) {
  Checked c = check({{"README.md", "# Awesome MLOps\n\n- [DVC](https://dvc.org)\n"}, {"LICENSE", "MIT\n"}});
  ReportInput in{c.result, c.rules, "team", std::nullopt};
  auto j = nlohmann::json::parse(render_json(in));
  EXPECT_EQ(j["schema"], 2);
  ASSERT_EQ(j["projects"].size(), 1u);
  EXPECT_EQ(j["projects"][0]["kind"], "docs");
  EXPECT_FALSE(j["projects"][0]["kind_reasons"].empty());
  EXPECT_TRUE(j["projects"][0]["score"].is_null());
  EXPECT_EQ(j["projects"][0]["score_reason"], "not an ML project");
  EXPECT_TRUE(j["scores"]["overall"].is_null());
  EXPECT_TRUE(j["scores"]["maturity"].is_null());
  EXPECT_EQ(j["scores"]["score_reason"], "not an ML project");
  std::string text = render_text(in, false);
  EXPECT_NE(text.find("project . (docs)"), std::string::npos) << text;
  EXPECT_NE(text.find("no score: not an ML project"), std::string::npos) << text;
  EXPECT_EQ(text.find("production-ready"), std::string::npos) << text;
  EXPECT_NE(render_markdown(in).find("No score: not an ML project"), std::string::npos);
  auto sarif = nlohmann::json::parse(render_sarif(in));
  EXPECT_EQ(sarif["runs"][0]["properties"]["projects"][0]["kind"], "docs");
}

TEST(PracticeReport, SomeUnpinnedLinesAmongPinsArePartialWithAMaturityReason) {
  std::string reqs;
  for (const char* p : {"numpy==1.26.4", "pandas==2.2.2", "scikit-learn==1.5.0", "joblib==1.4.2"})
    reqs += std::string(p) + "\n";
  reqs += "matplotlib\n";
  Checked c = check({{"requirements.txt", reqs},
                     {"train.py",
                      "import sklearn.linear_model\nm = sklearn.linear_model.LogisticRegression()\n"
                      "m.fit(X, y)\n"},
                     {"README.md", "# x\n"}});
  ReportInput in{c.result, c.rules, "team", std::nullopt};
  auto j = nlohmann::json::parse(render_json(in));
  EXPECT_EQ(j["projects"][0]["kind"], "research");
  EXPECT_EQ(j["practices"]["dependency_pinning"]["status"], "partial");
  EXPECT_TRUE(j["projects"][0]["score"].is_number());
  EXPECT_FALSE(j["scores"]["maturity_reason"].get<std::string>().empty());
  std::string text = render_text(in, false);
  EXPECT_NE(text.find("partial: "), std::string::npos) << text;
  EXPECT_NE(text.find("needs"), std::string::npos) << text;
}

// The JSON report of a check, team profile.
nlohmann::json report_json(const Checked& c) {
  return nlohmann::json::parse(render_json(ReportInput{c.result, c.rules, "team", std::nullopt}));
}

// A notebook's JSON with one code cell.
std::string notebook(const std::string& code) {
  nlohmann::json nb = {{"nbformat", 4},
                       {"nbformat_minor", 5},
                       {"metadata", nlohmann::json::object()},
                       {"cells",
                        {{{"cell_type", "code"},
                          {"metadata", nlohmann::json::object()},
                          {"execution_count", 1},
                          {"outputs", nlohmann::json::array()},
                          {"source", code}}}}};
  return nb.dump();
}

// A notebook collection is not asked for data validation (teaching and Kaggle notebooks explore
// their data), but one that validates is credited with it, without a finding either way.
TEST(PracticeReport, NotebooksAreNotAskedForDataValidationButCreditedWithIt) {
  std::map<std::string, std::string> files = {{"README.md", "# Kaggle notebooks\n"}};
  for (int i = 0; i < 5; ++i)
    files["nb" + std::to_string(i) + ".ipynb"] = notebook(
        "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n"
        "df = pd.read_csv('train.csv')\nLogisticRegression().fit(df[['a']], df['y'])\n");
  auto j = report_json(check(files));
  EXPECT_EQ(j["projects"][0]["kind"], "notebooks");
  EXPECT_EQ(j["practices"]["data_validation"]["status"], "not_applicable");
  for (const auto& f : j["findings"]) EXPECT_NE(f["rule"], "DAT006");

  files["nb0.ipynb"] = notebook(
      "import pandas as pd\nimport pandera as pa\nfrom sklearn.linear_model import LogisticRegression\n"
      "schema = pa.DataFrameSchema({'a': pa.Column(float, pa.Check.ge(0))})\n"
      "df = schema.validate(pd.read_csv('train.csv'))\nLogisticRegression().fit(df[['a']], df['y'])\n");
  auto k = report_json(check(files));
  EXPECT_EQ(k["projects"][0]["kind"], "notebooks");
  EXPECT_EQ(k["practices"]["data_validation"]["status"], "present");
  for (const auto& f : k["findings"]) EXPECT_NE(f["rule"], "DAT006");
  // Explainability is not credited: the labels call a notebook's feature-importance plot
  // exploration (four notebook collections), not the practice.
  files["nb1.ipynb"] = notebook(
      "import pandas as pd\nimport shap\nfrom sklearn.linear_model import LogisticRegression\n"
      "df = pd.read_csv('train.csv')\nm = LogisticRegression().fit(df[['a']], df['y'])\n"
      "shap.Explainer(m, df[['a']])(df[['a']])\n");
  EXPECT_EQ(report_json(check(files))["practices"]["explainability"]["status"], "not_applicable");
}

// A template repository's own pins (its dev tools, locked) are credited at its root; a root
// that declares nothing is not asked for any.
TEST(PracticeReport, TemplateRootIsCreditedWithItsOwnPinsAndNotAskedForThem) {
  std::map<std::string, std::string> files = {
      {"cookiecutter.json", "{\"project_slug\": \"demo\"}\n"},
      // Code outside the templated project makes the root a project of its own.
      {"hooks/post_gen_project.py", "import os\nprint(os.getcwd())\n"},
      {"README.md", "# An ML project template\n"},
      {"{{cookiecutter.project_slug}}/train.py", "import torch\n"},
      {"{{cookiecutter.project_slug}}/pyproject.toml",
       "[project]\nname = \"{{cookiecutter.project_slug}}\"\n"},
  };
  // A manifest that declares nothing (the root's own pyproject, empty) is no pinning either.
  files["pyproject.toml"] =
      "[project]\nname = \"ml-template\"\nrequires-python = \"3.12.*\"\ndependencies = []\n";
  auto j = report_json(check(files));
  const nlohmann::json* root = nullptr;
  for (const auto& p : j["projects"])
    if (p["root"] == ".") root = &p;
  ASSERT_NE(root, nullptr) << j["projects"].dump();
  EXPECT_EQ((*root)["kind"], "template");
  EXPECT_EQ((*root)["practices"]["dependency_pinning"]["status"], "not_applicable");

  files["pyproject.toml"] =
      "[project]\nname = \"ml-template\"\nversion = \"1.0.0\"\n"
      "[dependency-groups]\ndev = [\"pytest==8.3.3\", \"pytest-cookies==0.7.0\", \"pre-commit==4.0.1\"]\n";
  files["uv.lock"] = "version = 1\n";
  auto k = report_json(check(files));
  root = nullptr;
  for (const auto& p : k["projects"])
    if (p["root"] == ".") root = &p;
  ASSERT_NE(root, nullptr);
  EXPECT_EQ((*root)["kind"], "template");
  EXPECT_EQ((*root)["practices"]["dependency_pinning"]["status"], "present") << (*root)["practices"].dump();
}

// #14 monorepos through the built-in rules: a sub-project is credited with the root's CI, data
// validation suite, Airflow DAG and README data section, marked "shared" in its JSON evidence;
// a DAG's tracking is not its tracking. (Two sub-projects: a lone manifest beside the root's
// code would be part of the root's project.)
TEST(PracticeReport, SubProjectCreditedWithSharedInfrastructureInJson) {
  Checked c = check(
      {{".github/workflows/ci.yml",
        "on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: ruff check .\n"},
       {"README.md",
        "# Churn platform\n\n## Data\n\nDaily exports of the CRM, described in the wiki.\n\n"
        "## Usage\n\n```\nmake train\n```\n"},
       {"great_expectations/validate_orders.py",
        "import great_expectations as gx\n\nctx = gx.get_context()\n"},
       {"dags/retrain.py", "from airflow import DAG\nimport mlflow\n\nmlflow.set_experiment('churn')\n"},
       {"churn/pyproject.toml",
        "[project]\nname = 'churn'\ndependencies = ['pandas==2.2.2', 'scikit-learn==1.5.0']\n"},
       {"churn/Dockerfile",
        "FROM python:3.11-slim@sha256:0000000000000000000000000000000000000000000000000000000000000000\n"},
       {"churn/train.py",
        "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n\n"
        "df = pd.read_csv('data/orders.csv')\nm = LogisticRegression()\nm.fit(df[['a']], df['y'])\n"},
       {"fraud/pyproject.toml", "[project]\nname = 'fraud'\ndependencies = ['xgboost==2.0.3']\n"}});
  ReportInput in{c.result, c.rules, "team", std::nullopt};
  auto j = nlohmann::json::parse(render_json(in));
  nlohmann::json churn;
  for (const auto& p : j["projects"])
    if (p["root"] == "churn") churn = p;
  ASSERT_FALSE(churn.is_null()) << j["projects"].dump();
  auto first_evidence = [&](const std::string& rule) {
    for (const auto& r : churn["results"])
      if (r["rule"] == rule) {
        std::string seen = (r.contains("observed") ? r["observed"] : r["outcome"]).get<std::string>();
        EXPECT_EQ(seen, "pass") << rule << r.dump();
        return r["evidence"].empty() ? nlohmann::json() : r["evidence"][0];
      }
    ADD_FAILURE() << "no result for " << rule;
    return nlohmann::json();
  };
  for (auto [rule, path] : {std::pair{"CI001", ".github/workflows/ci.yml"},
                            {"LNT001", ".github/workflows/ci.yml"},
                            {"DAT006", "great_expectations/validate_orders.py"},
                            {"PIP001", "dags/retrain.py"},
                            {"DOC001", "README.md"},
                            {"DOC003", "README.md"}}) {
    nlohmann::json e = first_evidence(rule);
    EXPECT_EQ(e["path"], path) << rule;
    EXPECT_EQ(e["shared"], true) << rule << e.dump();
  }
  EXPECT_EQ(churn["practices"]["data_validation"]["status"], "present");
  EXPECT_EQ(churn["practices"]["data_validation"]["evidence"][0]["shared"], true);
  // The DAG's mlflow run is the pipeline's, not churn's tracking.
  EXPECT_EQ(churn["practices"]["experiment_tracking"]["status"], "missing");
  // Over the repository, the file is evidence once, without the mark.
  for (const auto& e : j["practices"]["data_validation"]["evidence"])
    EXPECT_FALSE(e.contains("shared")) << e.dump();
}

// Siblings: an infrastructure project (an Airflow pipelines/ project, a validation-suite
// project: neither trains nor serves) lends its pipelines and data validation to the projects
// beside it; a sibling that trains lends nothing, and tracking is never lent.
TEST(PracticeReport, InfrastructureSiblingsLendPipelinesAndValidationOnly) {
  const std::string train =
      "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n\n"
      "df = pd.read_csv('data/x.csv')\nm = LogisticRegression()\nm.fit(df[['a']], df['y'])\n";
  std::map<std::string, std::string> files = {
      {"pipelines/pyproject.toml", "[project]\nname = 'pipelines'\n"},
      {"pipelines/dags/retrain.py",
       "from airflow import DAG\nimport mlflow\n\nmlflow.set_experiment('all')\n"},
      {"churn/pyproject.toml", "[project]\nname = 'churn'\n"},
      {"churn/Dockerfile", "FROM python:3.11\n"},
      {"churn/train.py", train},
      {"fraud/pyproject.toml", "[project]\nname = 'fraud'\n"},
      {"fraud/Dockerfile", "FROM python:3.11\n"},
      {"fraud/train.py", "import pandera\nimport mlflow\n" + train}};
  auto churn_result = [](const CheckResult& r, const std::string& rule) -> const RuleResult* {
    for (const auto& p : r.projects)
      if (p.root == "churn")
        for (const auto& res : p.results)
          if (res.rule_id == rule) return &res;
    return nullptr;
  };
  Checked c = check(files);
  const RuleResult* pip = churn_result(c.result, "PIP001");
  ASSERT_NE(pip, nullptr);
  EXPECT_EQ(pip->observed, Outcome::Pass);
  ASSERT_FALSE(pip->evidence.empty());
  EXPECT_EQ(pip->evidence[0].path, "pipelines/dags/retrain.py");
  EXPECT_TRUE(pip->evidence[0].shared);
  // fraud trains: its pandera schema is not churn's validation; the DAG's mlflow is no tracking.
  EXPECT_EQ(churn_result(c.result, "DAT006")->observed, Outcome::Fail);
  EXPECT_EQ(churn_result(c.result, "TRK001")->observed, Outcome::Fail);

  files["validation/pyproject.toml"] = "[project]\nname = 'validation'\n";
  files["validation/suites/orders.py"] =
      "import great_expectations as gx\n\nsuite = gx.ExpectationSuite('orders')\n";
  Checked v = check(files);
  const RuleResult* dv = churn_result(v.result, "DAT006");
  ASSERT_NE(dv, nullptr);
  EXPECT_EQ(dv->observed, Outcome::Pass);
  ASSERT_FALSE(dv->evidence.empty());
  EXPECT_EQ(dv->evidence[0].path, "validation/suites/orders.py");
  EXPECT_TRUE(dv->evidence[0].shared);
}

}  // namespace
}  // namespace mlops
