// plan_scaffolds on in-memory repositories: what the cards, CI workflow, hooks and params.yaml say,
// which practices `missing` picks, and that an existing file is never planned over.
#include "fix/scaffold.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "repo/memory_snapshot.h"
#include "rules/builtin/builtin_rules.h"
#include "rules/rule_loader.h"

namespace mlops {
namespace {

using Files = std::map<std::string, std::string>;

const RuleSet& builtin_rules() {
  static const RuleSet rules = [] {
    std::vector<Diagnostic> errors;
    RuleSet r = load_rules({}, errors);
    EXPECT_TRUE(errors.empty());
    return r;
  }();
  return rules;
}

struct Planned {
  std::vector<ScaffoldFile> files;
  const ScaffoldFile* find(const std::string& path) const {
    for (const auto& f : files)
      if (f.path == path) return &f;
    return nullptr;
  }
};

Planned plan(const Files& files, ScaffoldRequest request) {
  MemorySnapshot snapshot(files);
  CheckResult result = run_check(snapshot, builtin_rules(), CheckOptions{});
  return {plan_scaffolds(snapshot, result, builtin_rules(), request)};
}

ScaffoldRequest ids(std::vector<std::string> rule_ids) {
  ScaffoldRequest r;
  r.ids = std::move(rule_ids);
  r.project_name = "demo";
  r.tool_version = "9.8.7";
  return r;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const char* kTorchTrain = R"(import mlflow
import numpy as np
import pandas as pd
import torch
from torch import nn

DATA = "data/extra.parquet"

class Net(nn.Module):
    pass

def main():
    df = pd.read_csv("data/train.csv")
    extra = pd.read_parquet(DATA)
    arr = np.load("data/features.npy")
    cfg = open("config.txt").read()
    model = nn.Linear(3, 1)
    opt = torch.optim.Adam(model.parameters(), lr=0.001, weight_decay=1e-5)
    loss = model(torch.zeros(3)).sum()
    loss.backward()
    mlflow.log_metric("val_loss", 0.5)
    mlflow.log_metrics({"f1": 0.7, 'precision': 0.8, "nested": {"x": 1}})
    torch.save(model, open("model.pt", "wb"))

if __name__ == "__main__":
    main()
)";

TEST(Scaffold, ModelCardNamesFrameworkEntryPointMetricsAndDataPaths) {
  Planned p = plan({{"train.py", kTorchTrain},
                    {"utils.py", "import torch\n\ndef fit(m):\n    m.fit()\n"},
                    {"keras_model.py",
                     "from tensorflow import keras\nm = keras.Sequential()\n"
                     "m.compile(optimizer='adam', metrics=['accuracy', \"AUC\"])\n"
                     "print(f\"rmse: {err}\")\n"}},
                   ids({"DOC002"}));
  ASSERT_EQ(p.files.size(), 1u);
  const ScaffoldFile& card = p.files[0];
  EXPECT_EQ(card.path, "MODEL_CARD.md");
  EXPECT_EQ(card.rule_id, "DOC002");
  EXPECT_TRUE(card.skip_reason.empty());
  const std::string& s = card.contents;
  EXPECT_TRUE(has(s, "# Model card: demo\n")) << s;
  EXPECT_TRUE(has(s, "- Framework(s): PyTorch, TensorFlow\n")) << s;
  // train.py is preferred over utils.py, which also trains.
  EXPECT_TRUE(has(s, "- Training entry point(s): `python train.py`\n")) << s;
  EXPECT_TRUE(has(s, "- Model class(es): `Net`\n")) << s;
  EXPECT_FALSE(has(s, "utils.py")) << s;
  for (const char* metric :
       {"`val_loss` (train.py:21)", "`f1` (train.py:22)", "`precision` (train.py:22)",
        "`accuracy` (keras_model.py:3)", "`AUC` (keras_model.py:3)", "`rmse` (keras_model.py:4)"})
    EXPECT_TRUE(has(s, metric)) << metric << "\n" << s;
  EXPECT_FALSE(has(s, "`x`")) << "only top-level keys are metric names\n" << s;
  for (const char* path : {"`data/train.csv` (train.py:13)", "`data/extra.parquet` (train.py:14)",
                           "`data/features.npy` (train.py:15)"})
    EXPECT_TRUE(has(s, path)) << path << "\n" << s;
  EXPECT_FALSE(has(s, "config.txt")) << "not data\n" << s;
  EXPECT_FALSE(has(s, "model.pt")) << "written, and a model\n" << s;
  for (const char* section : {"## Intended use\n\nTODO", "## Limitations\n\nTODO",
                              "## Ethical considerations\n\nTODO", "## Evaluation data\n\nTODO"})
    EXPECT_TRUE(has(s, section)) << section;
  auto& todo = card.still_to_fill;
  EXPECT_NE(std::find(todo.begin(), todo.end(), "intended use"), todo.end());
  EXPECT_NE(std::find(todo.begin(), todo.end(), "limitations"), todo.end());
}

TEST(Scaffold, PathsJoinedFromLiteralsCount) {
  Planned p = plan({{"train.py",
                     "import os\nfrom pathlib import Path\nimport pandas as pd\nimport torch\n"
                     "a = pd.read_csv(Path(\"data\") / \"a.csv\")\n"
                     "b = pd.read_parquet(os.path.join(\"data\", \"raw\", \"b.parquet\"))\n"
                     "c = pd.read_csv(Path(root) / \"c.csv\")\n"}},
                   ids({"DOC002"}));
  ASSERT_EQ(p.files.size(), 1u);
  EXPECT_TRUE(has(p.files[0].contents, "`data/a.csv` (train.py:5)")) << p.files[0].contents;
  EXPECT_TRUE(has(p.files[0].contents, "`data/raw/b.parquet` (train.py:6)")) << p.files[0].contents;
  EXPECT_FALSE(has(p.files[0].contents, "c.csv")) << p.files[0].contents;
}

TEST(Scaffold, CallTextCutInsideAStringEndsTheScan) {
  // The analyser keeps 2,000 characters of a call's text: a dict cut inside a string value must
  // still give the keys before it (and the scan must end).
  std::string big(3000, 'x');
  Planned p =
      plan({{"train.py", "import wandb\nwandb.log({\"loss\": 1, \"note\": \"" + big + "\", \"late\": 2})\n"}},
           ids({"DOC002"}));
  ASSERT_EQ(p.files.size(), 1u);
  EXPECT_TRUE(has(p.files[0].contents, "`loss` (train.py:2)")) << p.files[0].contents;
  EXPECT_TRUE(has(p.files[0].contents, "`note` (train.py:2)")) << p.files[0].contents;
}

TEST(Scaffold, ModelCardSaysWhatItCouldNotFind) {
  Planned p = plan({{"notes.py", "x = 1\n"}}, ids({"DOC002"}));
  ASSERT_EQ(p.files.size(), 1u);
  EXPECT_TRUE(has(p.files[0].contents, "Framework(s): TODO")) << p.files[0].contents;
  auto& todo = p.files[0].still_to_fill;
  EXPECT_NE(std::find(todo.begin(), todo.end(), "the training entry point (none found)"), todo.end());
  EXPECT_NE(std::find(todo.begin(), todo.end(), "the metrics (none found logged in the code)"), todo.end());
}

TEST(Scaffold, NotebookCodeCountsWithCellLocations) {
  std::string nb = R"({"cells": [{"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [],
    "source": ["import xgboost as xgb\n", "import pandas as pd\n", "df = pd.read_csv('data/a.csv')\n"]}],
    "metadata": {}, "nbformat": 4, "nbformat_minor": 5})";
  Planned p = plan({{"explore.ipynb", nb}}, ids({"DOC002"}));
  ASSERT_EQ(p.files.size(), 1u);
  EXPECT_TRUE(has(p.files[0].contents, "Framework(s): XGBoost")) << p.files[0].contents;
  EXPECT_TRUE(has(p.files[0].contents, "`data/a.csv` (explore.ipynb cell 1)")) << p.files[0].contents;
}

TEST(Scaffold, ParamsHoldConstructorLiterals) {
  Planned p = plan({{"train.py",
                     "from sklearn.ensemble import RandomForestClassifier\n"
                     "from sklearn.preprocessing import StandardScaler\n"
                     "s = StandardScaler(with_mean=False)\n"
                     "m = RandomForestClassifier(n_estimators=100, max_depth=5, criterion=\"gini\", "
                     "oob_score=True, max_features=None, min_samples_leaf=1_000)\n"
                     "m.fit(X, y)\n"}},
                   ids({"CFG001"}));
  ASSERT_EQ(p.files.size(), 1u);
  EXPECT_EQ(p.files[0].path, "params.yaml");
  const std::string& s = p.files[0].contents;
  EXPECT_TRUE(has(s, "NOT WIRED IN YET")) << s;
  EXPECT_TRUE(has(s,
                  "# RandomForestClassifier at train.py:4\nmodel:\n  n_estimators: 100\n  max_depth: 5\n"
                  "  criterion: 'gini'\n  oob_score: true\n  max_features: null\n  min_samples_leaf: 1000\n"))
      << s;
  EXPECT_FALSE(has(s, "with_mean")) << "a scaler is not a model\n" << s;
}

TEST(Scaffold, ParamsKeyEachConstructorWhenThereAreSeveral) {
  Planned p = plan({{"train.py",
                     "import xgboost\nfrom sklearn.linear_model import LogisticRegression\n"
                     "a = LogisticRegression(C=0.5)\nb = xgboost.XGBClassifier(max_depth=3, eta=0.1, "
                     "reg_lambda=1e2, reg_alpha=5E-3)\n"
                     "c = LogisticRegression(C=2)\n"}},
                   ids({"CFG001"}));
  ASSERT_EQ(p.files.size(), 1u);
  const std::string& s = p.files[0].contents;
  EXPECT_TRUE(has(s, "model_logistic_regression:\n  C: 0.5\n")) << s;
  EXPECT_TRUE(has(
      s, "model_xgb_classifier:\n  max_depth: 3\n  eta: 0.1\n  reg_lambda: 1.0e+2\n  reg_alpha: 5.0e-3\n"))
      << s;
  EXPECT_TRUE(has(s, "model_logistic_regression_2:\n  C: 2\n")) << s;
}

TEST(Scaffold, DataCardListsDataFilesAndTheirVersioning) {
  Planned p = plan({{"train.py", "import pandas as pd\n"},
                    {"data/raw.csv.dvc", "outs:\n- md5: abc\n  path: raw.csv\n"},
                    {"data/small.csv", "a,b\n1,2\n"},
                    {"data/README.md", "about\n"},
                    {"features/x.parquet", "PAR1"},
                    {"model.pkl", "x"}},
                   ids({"DOC003"}));
  ASSERT_EQ(p.files.size(), 1u);
  EXPECT_EQ(p.files[0].path, "DATA_CARD.md");
  const std::string& s = p.files[0].contents;
  EXPECT_TRUE(has(s, "| `data/raw.csv` | - | DVC (`data/raw.csv.dvc`) |\n")) << s;
  EXPECT_TRUE(has(s, "| `data/small.csv` | 8 B | git |\n")) << s;
  EXPECT_TRUE(has(s, "| `features/x.parquet` | 4 B |")) << s;
  EXPECT_FALSE(has(s, "model.pkl")) << s;
  EXPECT_FALSE(has(s, "README")) << s;
  // Sorted: data/raw.csv before data/small.csv before features/.
  EXPECT_LT(s.find("data/raw.csv`"), s.find("data/small.csv"));
  EXPECT_LT(s.find("data/small.csv"), s.find("features/x.parquet"));
  for (const char* section :
       {"## Source\n\nTODO", "## Licence and terms of use\n\nTODO", "## Splits\n\nTODO"})
    EXPECT_TRUE(has(s, section)) << section;
}

TEST(Scaffold, NeverPlansOverAnExistingFile) {
  Planned p =
      plan({{"train.py", "import torch\n"}, {"MODEL_CARD.md", "# mine\n"}, {"params.yaml", "lr: 1\n"}},
           ids({"DOC002", "CFG001", "LNT001"}));
  ASSERT_EQ(p.files.size(), 3u);
  const ScaffoldFile* card = p.find("MODEL_CARD.md");
  ASSERT_TRUE(card);
  EXPECT_EQ(card->skip_reason, "already exists; not overwritten");
  EXPECT_TRUE(card->contents.empty());
  const ScaffoldFile* params = p.find("params.yaml");
  ASSERT_TRUE(params);
  EXPECT_FALSE(params->skip_reason.empty());
  const ScaffoldFile* hooks = p.find(".pre-commit-config.yaml");
  ASSERT_TRUE(hooks);
  EXPECT_TRUE(hooks->skip_reason.empty());
  EXPECT_TRUE(has(hooks->contents,
                  "repo: https://github.com/mlops-lint/mlops-lint\n    rev: v9.8.7\n    hooks:\n"
                  "      - id: mlops-lint\n"))
      << hooks->contents;
  EXPECT_TRUE(has(hooks->contents, "      - id: ruff\n")) << hooks->contents;
}

TEST(Scaffold, GithubWorkflowInstallsManifestsAndRunsTests) {
  Planned p = plan({{"train.py", "import torch\n"},
                    {"requirements.txt", "torch==2.1\n"},
                    {"requirements-dev.txt", "pytest==8\n"},
                    {"pyproject.toml", "[project]\nname = \"x\"\nrequires-python = \">=3.10\"\n"},
                    {"tests/test_train.py", "def test_x():\n    assert 1\n"}},
                   ids({"CI001"}));
  ASSERT_EQ(p.files.size(), 1u);
  const ScaffoldFile& ci = p.files[0];
  EXPECT_EQ(ci.path, ".github/workflows/ci.yml");
  EXPECT_EQ(ci.rule_id, "CI001");
  EXPECT_TRUE(has(ci.contents, "python-version: \"3.10\"")) << ci.contents;
  EXPECT_TRUE(has(ci.contents,
                  "          python -m pip install --upgrade pip\n"
                  "          pip install -r requirements-dev.txt\n"
                  "          pip install -r requirements.txt\n"
                  "          pip install .\n"
                  "          pip install pytest\n"))
      << ci.contents;
  EXPECT_TRUE(has(ci.contents, "          python -m pytest\n")) << ci.contents;
  EXPECT_TRUE(ci.still_to_fill.empty());
}

TEST(Scaffold, GitlabPipelineWithoutTestsCompilesAndSaysSo) {
  ScaffoldRequest r = ids({"CI001"});
  r.ci = CiProvider::GitLab;
  Planned p = plan({{"train.py", "import torch\n"}, {"requirements.txt", "torch\n"}}, r);
  ASSERT_EQ(p.files.size(), 1u);
  const ScaffoldFile& ci = p.files[0];
  EXPECT_EQ(ci.path, ".gitlab-ci.yml");
  EXPECT_TRUE(has(ci.contents,
                  "test:\n  image: python:3.11\n  script:\n    - python -m pip install --upgrade pip\n"
                  "    - pip install -r requirements.txt\n    - python -m compileall -q .\n"))
      << ci.contents;
  EXPECT_TRUE(has(ci.contents, "# TODO: no tests found")) << ci.contents;
  EXPECT_FALSE(has(ci.contents, "pytest\n")) << ci.contents;
  ASSERT_EQ(ci.still_to_fill.size(), 2u);
  EXPECT_TRUE(has(ci.still_to_fill[0], "tests: none found"));
  EXPECT_TRUE(has(ci.still_to_fill[1], "3.11 assumed"));
}

TEST(Scaffold, CiIsNotWrittenBelowTheRepositoryRoot) {
  ScaffoldRequest r = ids({"CI001"});
  r.at_repository_root = false;
  Planned p = plan({{"train.py", "import torch\n"}}, r);
  ASSERT_EQ(p.files.size(), 1u);
  EXPECT_FALSE(p.files[0].skip_reason.empty());
  EXPECT_TRUE(p.files[0].contents.empty());
}

TEST(Scaffold, MissingPicksOnlyFailingPractices) {
  Files files = {{"train.py",
                  "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n"
                  "df = pd.read_csv('data/d.csv')\nm = LogisticRegression(C=1.0)\nm.fit(df, df)\n"},
                 {"requirements.txt", "pandas==2.0\n"},
                 {"MODEL_CARD.md", "# card\n"},
                 {"tests/test_a.py", "def test_a():\n    assert True\n"},
                 {".github/workflows/ci.yml",
                  "on: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n"}};
  ScaffoldRequest r;
  r.missing = true;
  Planned p = plan(files, r);
  std::vector<std::string> paths;
  for (const auto& f : p.files) paths.push_back(f.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"DATA_CARD.md", ".pre-commit-config.yaml", "params.yaml"}));
  // Planning is deterministic.
  Planned again = plan(files, r);
  ASSERT_EQ(again.files.size(), p.files.size());
  for (size_t i = 0; i < p.files.size(); ++i) EXPECT_EQ(again.files[i].contents, p.files[i].contents);
}

TEST(Scaffold, CiRunsTestsAloneAddsAWorkflowBesideTheExistingOne) {
  Files files = {
      {"train.py", "import torch\n"},
      {"tests/test_a.py", "def test_a():\n    assert True\n"},
      {".github/workflows/lint.yml",
       "on: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ruff check\n"}};
  ScaffoldRequest r;
  r.missing = true;
  Planned p = plan(files, r);
  const ScaffoldFile* ci = p.find(".github/workflows/tests.yml");
  ASSERT_TRUE(ci);
  EXPECT_EQ(ci->rule_id, "CI002");
  EXPECT_TRUE(has(ci->contents, "python -m pytest")) << ci->contents;
  EXPECT_FALSE(p.find(".github/workflows/ci.yml"));
}

TEST(Scaffold, UnknownIdsAreLeftOut) {
  Planned p = plan({{"train.py", "import torch\n"}}, ids({"SEC001", "XYZ"}));
  EXPECT_TRUE(p.files.empty());
  const auto& known = scaffoldable_rules();
  EXPECT_TRUE(std::is_sorted(known.begin(), known.end()));
  for (const auto& id : known) EXPECT_TRUE(builtin_rules().find(id)) << id;
}

}  // namespace
}  // namespace mlops
