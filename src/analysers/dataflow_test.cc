// The intra-file data flow: the three questions on .py files and notebooks, unpacking, kills,
// scopes, order, aliases, and the budgets on hostile input.
#include "analysers/dataflow.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mlops {
namespace {

// A .py source run through one question.
template <typename Q>
DfAnswer on_py(const std::string& src, Q question) {
  PythonParse parse(src);
  return question(DfCode{&parse, nullptr}, DfCalls::defaults());
}

struct Cell {
  std::string source;
  int count = -1;  // -1: never executed
};

std::string notebook_json(const std::vector<Cell>& cells) {
  nlohmann::json nb = {{"metadata", nlohmann::json::object()}, {"nbformat", 4}, {"nbformat_minor", 5}};
  nlohmann::json list = nlohmann::json::array();
  for (const Cell& c : cells) {
    nlohmann::json lines = nlohmann::json::array();
    size_t at = 0;
    while (at < c.source.size()) {
      size_t end = c.source.find('\n', at);
      end = end == std::string::npos ? c.source.size() : end + 1;
      lines.push_back(c.source.substr(at, end - at));
      at = end;
    }
    list.push_back({{"cell_type", "code"},
                    {"metadata", nlohmann::json::object()},
                    {"outputs", nlohmann::json::array()},
                    {"execution_count", c.count < 0 ? nlohmann::json(nullptr) : nlohmann::json(c.count)},
                    {"source", lines}});
  }
  nb["cells"] = list;
  return nb.dump(1);
}

template <typename Q>
DfAnswer on_notebook(const std::vector<Cell>& cells, Q question) {
  NotebookResult nb = extract_notebook(notebook_json(cells));
  EXPECT_EQ(nb.error, "");
  PythonParse parse(nb.code.source);
  return question(DfCode{&parse, &nb.code}, DfCalls::defaults());
}

const auto kLeak = [](const DfCode& c, const DfCalls& k) { return fit_before_split(c, k); };
const auto kUnevaluated = [](const DfCode& c, const DfCalls& k) { return test_split_not_evaluated(c, k); };
const auto kTestFitted = [](const DfCode& c, const DfCalls& k) { return test_split_fitted(c, k); };
const auto kTrainEvaluated = [](const DfCode& c, const DfCalls& k) { return evaluated_on_train_split(c, k); };

const char* kImports =
    "import pandas as pd\n"
    "from sklearn.preprocessing import StandardScaler\n"
    "from sklearn.model_selection import train_test_split\n"
    "from sklearn.linear_model import LogisticRegression\n"
    "from sklearn.metrics import accuracy_score\n";

// ---- 1. fit before split ----------------------------------------------------------------

TEST(Dataflow, ScalerFittedOnWholeDataBeforeSplit) {
  std::string src = std::string(kImports) +
                    "df = pd.read_csv('data.csv')\n"        // 6
                    "X = df.drop(columns=['label'])\n"      // 7
                    "y = df['label']\n"                     // 8
                    "scaler = StandardScaler()\n"           // 9
                    "X_scaled = scaler.fit_transform(X)\n"  // 10
                    "X_train, X_test, y_train, y_test = train_test_split(X_scaled, y)\n";
  DfAnswer a = on_py(src, kLeak);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].at.line, 10);
  EXPECT_EQ(a.findings[0].text, "scaler.fit_transform(X)");
  EXPECT_EQ(a.findings[0].related.line, 11);
  EXPECT_EQ(a.findings[0].path, (std::vector<std::string>{"df", "X"}));
  EXPECT_FALSE(a.truncated);
}

TEST(Dataflow, FitOnColumnsOfTheFrameThenSplitOfTheFrame) {
  // The scaler learns from every row of df, test rows included.
  std::string src = std::string(kImports) +
                    "df = pd.read_csv('data.csv')\n"
                    "df[['a', 'b']] = StandardScaler().fit_transform(df[['a', 'b']])\n"
                    "train, test = train_test_split(df, test_size=0.2)\n";
  DfAnswer a = on_py(src, kLeak);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].at.line, 7);
}

TEST(Dataflow, PartOfTheFrameFittedButNotWrittenBackIsNoLeak) {
  // A scaler fitted on one column for a plot; the frame is later split for a model that never
  // sees the scaler's output.
  std::string src = std::string(kImports) +
                    "df = pd.read_csv('houses.csv')\n"
                    "X = df[['area']]\n"
                    "X_std = StandardScaler().fit_transform(X)\n"
                    "X = df[['area', 'rooms']]\n"
                    "X_train, X_test, y_train, y_test = train_test_split(X, df['price'])\n";
  EXPECT_TRUE(on_py(src, kLeak).findings.empty());
  // The same fit applied to the whole frame and split: a leak.
  std::string direct = std::string(kImports) +
                       "df = pd.read_csv('houses.csv')\n"
                       "X = StandardScaler().fit_transform(df[['area']])\n"
                       "X_train, X_test = train_test_split(X)\n";
  EXPECT_EQ(on_py(direct, kLeak).findings.size(), 1u);
}

TEST(Dataflow, FitAfterSplitIsFine) {
  std::string src = std::string(kImports) +
                    "df = pd.read_csv('data.csv')\n"
                    "X, y = df.drop(columns=['label']), df['label']\n"
                    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                    "scaler = StandardScaler().fit(X_train)\n"
                    "X_train = scaler.transform(X_train)\n"
                    "X_test = scaler.transform(X_test)\n";
  EXPECT_TRUE(on_py(src, kLeak).findings.empty());
}

TEST(Dataflow, OrderMattersSplitThenFitOnWholeDataIsNotThisQuestion) {
  std::string src = std::string(kImports) +
                    "df = pd.read_csv('data.csv')\n"
                    "train, test = train_test_split(df)\n"
                    "StandardScaler().fit(df)\n";
  EXPECT_TRUE(on_py(src, kLeak).findings.empty());
}

TEST(Dataflow, ReassignmentKillsTheTaint) {
  std::string src = std::string(kImports) +
                    "df = pd.read_csv('data.csv')\n"
                    "StandardScaler().fit(df)\n"
                    "df = make_fresh_frame()\n"  // unknown call: a different value
                    "train, test = train_test_split(df)\n";
  EXPECT_TRUE(on_py(src, kLeak).findings.empty());
}

TEST(Dataflow, AliasesResolveTheFitAndTheSplit) {
  std::string src =
      "import pandas\n"
      "from sklearn.preprocessing import MinMaxScaler as MMS\n"
      "import sklearn.model_selection as ms\n"
      "data = pandas.read_parquet('x.parquet')\n"
      "data = MMS().fit_transform(data)\n"
      "parts = ms.train_test_split(data)\n";
  DfAnswer a = on_py(src, kLeak);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].at.line, 5);
  EXPECT_EQ(a.findings[0].related.line, 6);
}

TEST(Dataflow, TargetEncoderIsNotALeak) {
  std::string src =
      "import pandas as pd\n"
      "from sklearn.preprocessing import LabelEncoder\n"
      "from sklearn.model_selection import train_test_split\n"
      "df = pd.read_csv('d.csv')\n"
      "y = LabelEncoder().fit_transform(df['label'])\n"
      "X_train, X_test, y_train, y_test = train_test_split(df, y)\n";
  EXPECT_TRUE(on_py(src, kLeak).findings.empty());
}

TEST(Dataflow, FunctionScopesAreSeparate) {
  // The fit is in one function, the split in another: no value flows between them here.
  std::string src = std::string(kImports) +
                    "df = pd.read_csv('data.csv')\n"
                    "def prepare(df):\n"
                    "    return StandardScaler().fit_transform(df)\n"
                    "def split(df):\n"
                    "    return train_test_split(df)\n";
  EXPECT_TRUE(on_py(src, kLeak).findings.empty());
  // Within one function body the flow is found, reported at its own lines.
  std::string inside = std::string(kImports) +
                       "def main():\n"
                       "    frame = pd.read_csv('data.csv')\n"
                       "    scaled = StandardScaler().fit_transform(frame)\n"
                       "    return train_test_split(scaled)\n";
  DfAnswer a = on_py(inside, kLeak);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].at.line, 8);
}

TEST(Dataflow, LeakInNotebookAcrossCells) {
  std::vector<Cell> cells = {{kImports, 1},
                             {"df = pd.read_csv('train.csv')\nX = df.drop('y', axis=1)\n", 2},
                             {"%matplotlib inline\nX = StandardScaler().fit_transform(X)\n", 3},
                             {"X_tr, X_te, y_tr, y_te = train_test_split(X, df['y'])\n", 4}};
  DfAnswer a = on_notebook(cells, kLeak);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].at.cell, 3);
  EXPECT_EQ(a.findings[0].at.cell_line, 2);
  EXPECT_GT(a.findings[0].at.line, 1);  // the .ipynb line
  EXPECT_EQ(a.findings[0].related.cell, 4);
}

TEST(Dataflow, NotebookRunsInExecutionOrder) {
  // In document order the fit comes first; the counts say the split ran before it.
  std::vector<Cell> cells = {{kImports, 1},
                             {"df = pd.read_csv('train.csv')\n", 2},
                             {"df = StandardScaler().fit_transform(df)\n", 4},
                             {"train, test = train_test_split(df)\n", 3}};
  EXPECT_TRUE(on_notebook(cells, kLeak).findings.empty());
  // Without counts on every cell, document order: the fit comes first.
  cells[3].count = -1;
  EXPECT_EQ(on_notebook(cells, kLeak).findings.size(), 1u);
}

// ---- 2. the test split never evaluated --------------------------------------------------

const char* kSplit =
    "df = pd.read_csv('data.csv')\n"
    "X_train, X_test, y_train, y_test = train_test_split(df.drop(columns=['y']), df['y'])\n"
    "model = LogisticRegression().fit(X_train, y_train)\n";

TEST(Dataflow, TestSplitNeverEvaluated) {
  // Fitted on the train part (line 8), the test part (split at line 7) never used.
  DfAnswer a = on_py(std::string(kImports) + kSplit, kUnevaluated);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].at.line, 7);
  EXPECT_EQ(a.findings[0].related.line, 8);
  EXPECT_TRUE(on_py(std::string(kImports) + kSplit, kTrainEvaluated).findings.empty());
}

TEST(Dataflow, OnlyAModelFitCountsAsTraining) {
  // Scalers, decompositions and clusterings fitted on the train part train no model to score.
  for (const char* fit : {"StandardScaler().fit(X_train)\n", "PCA(n_components=2).fit(X_train)\n",
                          "KMeans(n_clusters=3).fit(X_train)\n"}) {
    std::string src = std::string(kImports) +
                      "from sklearn.decomposition import PCA\n"
                      "from sklearn.cluster import KMeans\n"
                      "X_train, X_test = train_test_split(pd.read_csv('d.csv'))\n" +
                      fit;
    EXPECT_TRUE(on_py(src, kUnevaluated).findings.empty()) << fit;
  }
}

TEST(Dataflow, NumpyStackingCarriesItsParts) {
  // `np.c_[X_valid, y_valid]` written out: the held-out part goes somewhere (a later step).
  std::string src = std::string(kImports) +
                    "import numpy as np\n"
                    "X_train, X_valid, y_train, y_valid = train_test_split(X, y)\n"
                    "LogisticRegression().fit(X_train, y_train)\n"
                    "np.savetxt('valid.csv', np.c_[X_valid, y_valid])\n";
  EXPECT_TRUE(on_py(src, kUnevaluated).findings.empty());
}

TEST(Dataflow, OnlyTheTrainSplitEvaluated) {
  std::string src =
      std::string(kImports) + kSplit + "print('train accuracy', model.score(X_train, y_train))\n";
  DfAnswer a = on_py(src, kTrainEvaluated);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].at.line, 9);
  EXPECT_EQ(a.findings[0].related.line, 7);
  // One finding for one problem: question 2 leaves a train-evaluated split to question 4.
  EXPECT_TRUE(on_py(src, kUnevaluated).findings.empty());
}

TEST(Dataflow, TestSplitEvaluatedThroughPredictions) {
  std::string src = std::string(kImports) + kSplit +
                    "print(model.score(X_train, y_train))\n"
                    "preds = model.predict(X_test)\n"
                    "print(f'test accuracy {accuracy_score(y_test, preds):.3f}')\n";
  EXPECT_TRUE(on_py(src, kUnevaluated).findings.empty());
  EXPECT_TRUE(on_py(src, kTrainEvaluated).findings.empty());
}

TEST(Dataflow, TestSplitThatEscapesIsNotClaimedUnevaluated) {
  // Passed to a function the analysis does not follow: it may evaluate.
  std::string src = std::string(kImports) + kSplit +
                    "print(model.score(X_train, y_train))\n"
                    "report(model, X_test, y_test)\n";
  EXPECT_TRUE(on_py(src, kUnevaluated).findings.empty());
  EXPECT_TRUE(on_py(src, kTrainEvaluated).findings.empty());
  // Nor when nothing is fitted on the train part (a split written to files).
  std::string written = std::string(kImports) +
                        "X_train, X_test = train_test_split(pd.read_csv('d.csv'))\n"
                        "print(len(X_train))\n";
  EXPECT_TRUE(on_py(written, kUnevaluated).findings.empty());
  // A test part thrown away on purpose (`_`) is not held out.
  std::string discarded = std::string(kImports) +
                          "X_train, _, y_train, _ = train_test_split(X, y)\n"
                          "LogisticRegression().fit(X_train, y_train).score(X_train, y_train)\n";
  EXPECT_TRUE(on_py(discarded, kUnevaluated).findings.empty());
  EXPECT_TRUE(on_py(discarded, kTrainEvaluated).findings.empty());
}

TEST(Dataflow, TestSplitNeverEvaluatedInNotebook) {
  std::vector<Cell> cells = {{kImports, -1}, {kSplit, -1}};
  DfAnswer a = on_notebook(cells, kUnevaluated);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].at.cell, 2);
  EXPECT_EQ(a.findings[0].at.cell_line, 2);
  cells.push_back({"model.score(X_train, y_train)\n", -1});
  DfAnswer train = on_notebook(cells, kTrainEvaluated);
  ASSERT_EQ(train.findings.size(), 1u);
  EXPECT_EQ(train.findings[0].at.cell, 3);
  cells.push_back({"accuracy_score(y_test, model.predict(X_test))\n", -1});
  EXPECT_TRUE(on_notebook(cells, kUnevaluated).findings.empty());
  EXPECT_TRUE(on_notebook(cells, kTrainEvaluated).findings.empty());
}

// ---- 3. the test split reaches a fit ----------------------------------------------------

TEST(Dataflow, TestSplitReachesFitThroughConcat) {
  std::string src = std::string(kImports) +
                    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"  // 6
                    "X_all = pd.concat([X_train, X_test])\n"
                    "y_all = pd.concat([y_train, y_test])\n"
                    "LogisticRegression().fit(X_all, y_all)\n";  // 9
  DfAnswer a = on_py(src, kTestFitted);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].at.line, 9);
  EXPECT_EQ(a.findings[0].related.line, 6);
  EXPECT_EQ(a.findings[0].path, (std::vector<std::string>{"X_test", "X_all"}));
}

TEST(Dataflow, TestSplitUsedOnlyForValidationAndTransformIsFine) {
  std::string src = std::string(kImports) +
                    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                    "scaler = StandardScaler().fit(X_train)\n"
                    "X_test_s = scaler.transform(X_test)\n"
                    "model.fit(scaler.transform(X_train), y_train, eval_set=[(X_test_s, y_test)])\n"
                    "model.score(X_test_s, y_test)\n";
  EXPECT_TRUE(on_py(src, kTestFitted).findings.empty());
}

TEST(Dataflow, RefitOnAllDataAfterTheHeldOutScoreIsFine) {
  std::string src =
      std::string(kImports) +
      "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
      "model = LogisticRegression().fit(X_train, y_train)\n"
      "print(accuracy_score(y_test, model.predict(X_test)))\n"
      "final = LogisticRegression().fit(pd.concat([X_train, X_test]), pd.concat([y_train, y_test]))\n";
  EXPECT_TRUE(on_py(src, kTestFitted).findings.empty());
}

TEST(Dataflow, RefittingTheScalerOnTheTestSplit) {
  std::vector<Cell> cells = {{kImports, 1},
                             {"X_train, X_test, y_train, y_test = train_test_split(X, y)\n", 2},
                             {"X_test = StandardScaler().fit_transform(X_test)\n", 3}};
  DfAnswer a = on_notebook(cells, kTestFitted);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].at.cell, 3);
}

TEST(Dataflow, OneRunAnswersAllThreeQuestions) {
  std::string src = std::string(kImports) +
                    "df = pd.read_csv('data.csv')\n"
                    "X = StandardScaler().fit_transform(df.drop(columns=['y']))\n"         // 7: leak
                    "X_train, X_test, y_train, y_test = train_test_split(X, df['y'])\n"    // 8
                    "model = LogisticRegression().fit(pd.concat([X_train, X_test]), y)\n"  // 9: test fitted
                    "print(model.score(X_train, y_train))\n";
  PythonParse parse(src);
  DfAnswers all = ml_questions({&parse, nullptr});
  ASSERT_EQ(all.fit_before_split.findings.size(), 1u);
  EXPECT_EQ(all.fit_before_split.findings[0].at.line, 7);
  // The test part went into a fit: it is not "never used", so question 2 stays silent.
  EXPECT_TRUE(all.test_split_not_evaluated.findings.empty());
  ASSERT_EQ(all.test_split_fitted.findings.size(), 1u);
  EXPECT_EQ(all.test_split_fitted.findings[0].at.line, 9);
  EXPECT_EQ(fit_before_split({&parse, nullptr}).findings.size(), 1u);
  EXPECT_EQ(test_split_fitted({&parse, nullptr}).findings.size(), 1u);
}

// ---- Shapes from the fresh precision study ------------------------------------------------

TEST(Dataflow, UnusedScalerOutputIsNoLeak) {
  // The scaled copy is never used; the unscaled data is split.
  std::string src = std::string(kImports) +
                    "X = pd.read_csv('stars.csv')\n"
                    "features_scaled = StandardScaler().fit_transform(X)\n"
                    "X_train, X_test = train_test_split(X)\n";
  EXPECT_TRUE(on_py(src, kLeak).findings.empty());
}

TEST(Dataflow, OnlyTheFitWhoseOutputIsSplitLeaks) {
  // The scaler's output is split (a leak); the PCA fitted on it only for a variance plot is not.
  std::string src = std::string(kImports) +
                    "from sklearn.decomposition import PCA\n"
                    "X = pd.read_csv('bookings.csv')\n"        // 7
                    "X = StandardScaler().fit_transform(X)\n"  // 8
                    "pca = PCA(n_components=5)\n"
                    "pca.fit(X)\n"  // 10
                    "print(pca.explained_variance_ratio_)\n"
                    "X_train, X_test = train_test_split(X)\n";
  DfAnswer a = on_py(src, kLeak);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].at.line, 8);
  // Applied with transform before the split, the PCA leaks too.
  std::string applied = src + "X_p = pca.transform(X)\nA, B = train_test_split(X_p)\n";
  EXPECT_EQ(on_py(applied, kLeak).findings.size(), 2u);
}

TEST(Dataflow, SplittingTheHeldOutPartAgainMakesNoTrainPart) {
  // A validation and a test set carved from the held-out part: scoring the validation set is
  // no training-set score, and the first split's held-out part is used.
  std::string src = std::string(kImports) +
                    "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3)\n"
                    "X_valid, X_test, y_valid, y_test = train_test_split(X_test, y_test, test_size=0.5)\n"
                    "model = LogisticRegression().fit(X_train, y_train)\n"
                    "print(accuracy_score(y_valid, model.predict(X_valid)))\n";
  EXPECT_TRUE(on_py(src, kTrainEvaluated).findings.empty());
  EXPECT_TRUE(on_py(src, kUnevaluated).findings.empty());
}

TEST(Dataflow, PermutationImportanceScoresRatherThanFits) {
  std::string src = std::string(kImports) +
                    "from eli5.sklearn import PermutationImportance\n"
                    "X_train, X_val, y_train, y_val = train_test_split(X, y)\n"
                    "model = LogisticRegression().fit(X_train, y_train)\n"
                    "perm = PermutationImportance(model).fit(X_val, y_val)\n";
  EXPECT_TRUE(on_py(src, kTestFitted).findings.empty());
}

TEST(Dataflow, SplitPartsPackedInAListAreNotFollowed) {
  std::string src = std::string(kImports) +
                    "x_train, x_test, y_train, y_test = train_test_split(X, y)\n"
                    "parts = [x_train, x_test, y_train, y_test]\n"
                    "a, b, c, d = parts\n"
                    "LogisticRegression().fit(a, c)\n";
  EXPECT_TRUE(on_py(src, kTestFitted).findings.empty());
}

TEST(Dataflow, TwoFoldCrossValidationByHandIsNoTestFit) {
  std::string src = std::string(kImports) +
                    "X1, X2, y1, y2 = train_test_split(X, y, test_size=0.5)\n"
                    "print(LogisticRegression().fit(X2, y2).score(X1, y1))\n"
                    "print(LogisticRegression().fit(X1, y1).score(X2, y2))\n";
  EXPECT_TRUE(on_py(src, kTestFitted).findings.empty());
}

TEST(Dataflow, ValidationDataOfAFitIsAnEvaluation) {
  std::string src = std::string(kImports) +
                    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                    "model.fit(X_train, y_train, epochs=5, validation_data=(X_test, y_test))\n";
  EXPECT_TRUE(on_py(src, kUnevaluated).findings.empty());
}

TEST(Dataflow, PartlyRerunNotebookClaimsNoAbsence) {
  // The scoring cell ran (count 3) before the split was re-run (count 5): in execution order the
  // test part is never scored, in document order it is. No claim either way.
  std::vector<Cell> cells = {{kImports, 1},
                             {"X_train, X_test, y_train, y_test = train_test_split(X, y)\n", 5},
                             {"model = LogisticRegression().fit(X_train, y_train)\n", 6},
                             {"accuracy_score(y_test, model.predict(X_test))\n", 3}};
  EXPECT_TRUE(on_notebook(cells, [](const DfCode& c, const DfCalls& k) {
                return ml_questions(c, k).test_split_not_evaluated;
              }).findings.empty());
}

TEST(Dataflow, CrossValidationFoldOfTheTrainPartIsHeldOut) {
  // The validation rows of each fold are held out from that fold's fit: scoring them is no
  // training-set score, with or without enumerate and with .iloc.
  for (const char* loop : {"for tr, va in kf.split(X_train, y_train):\n",
                           "for k, (tr, va) in enumerate(kf.split(X_train)):\n"}) {
    std::string src = std::string(kImports) + "from sklearn.model_selection import KFold\n" +
                      "X_train, X_test, y_train, y_test = train_test_split(X, y)\n" + "kf = KFold(5)\n" +
                      loop +
                      "    m = LogisticRegression().fit(X_train.iloc[tr], y_train.iloc[tr])\n"
                      "    print(accuracy_score(y_train.iloc[va], m.predict(X_train.iloc[va])))\n";
    EXPECT_TRUE(on_py(src, kTrainEvaluated).findings.empty()) << loop;
  }
  // Scoring the fold's own training rows is still a training-set score.
  std::string src = std::string(kImports) +
                    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                    "for tr, va in kf.split(X_train):\n"
                    "    m = LogisticRegression().fit(X_train[tr], y_train[tr])\n"
                    "    print(m.score(X_train[tr], y_train[tr]))\n";
  EXPECT_EQ(on_py(src, kTrainEvaluated).findings.size(), 1U);
  // A string's split is no fold loop.
  std::string words = std::string(kImports) +
                      "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                      "for a, b in 'x y'.split():\n"
                      "    pass\n"
                      "m = LogisticRegression().fit(X_train, y_train)\n"
                      "print(m.score(X_train[b], y_train[b]))\n";
  EXPECT_EQ(on_py(words, kTrainEvaluated).findings.size(), 1U);
}

TEST(Dataflow, NestedSplitOfTheTrainPartWithTheTestPartScored) {
  std::string src = std::string(kImports) +
                    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                    "X_train, X_val, y_train, y_val = train_test_split(X_train, y_train)\n"
                    "m = LogisticRegression().fit(X_train, y_train)\n"
                    "print(m.score(X_train, y_train))\n"
                    "print(m.score(X_test, y_test))\n";
  EXPECT_TRUE(on_py(src, kTrainEvaluated).findings.empty());
  // Without the outer test score the training score is all there is.
  std::string only_train = std::string(kImports) +
                           "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                           "X_train, X_val, y_train, y_val = train_test_split(X_train, y_train)\n"
                           "m = LogisticRegression().fit(X_train, y_train)\n"
                           "print(m.score(X_train, y_train))\n";
  EXPECT_FALSE(on_py(only_train, kTrainEvaluated).findings.empty());
}

TEST(Dataflow, ColumnTransformerIsNoModel) {
  std::string src = std::string(kImports) +
                    "from sklearn.compose import ColumnTransformer\n"
                    "from sklearn.impute import SimpleImputer\n"
                    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                    "trf = ColumnTransformer([('i', SimpleImputer(), ['Age'])], remainder='passthrough')\n"
                    "trf.fit(X_train)\n"
                    "X_train = trf.transform(X_train)\n"
                    "X_test = trf.transform(X_test)\n";
  EXPECT_TRUE(on_py(src, kUnevaluated).findings.empty());
}

TEST(Dataflow, FitGivenBothPartsOfASplitScoresTheHeldOutOne) {
  // lazypredict trains on the train part and scores the test part in one call.
  std::string src = std::string(kImports) +
                    "from lazypredict.Supervised import LazyRegressor\n"
                    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                    "models, predictions = LazyRegressor().fit(X_train, X_test, y_train, y_test)\n";
  EXPECT_TRUE(on_py(src, kTestFitted).findings.empty());
  EXPECT_TRUE(on_py(src, kUnevaluated).findings.empty());
  // A concatenation of both parts is still trained on.
  std::string concat =
      std::string(kImports) +
      "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
      "LogisticRegression().fit(pd.concat([X_train, X_test]), pd.concat([y_train, y_test]))\n";
  EXPECT_EQ(on_py(concat, kTestFitted).findings.size(), 1U);
}

TEST(Dataflow, OtherLibrariesPreprocessingIsNoModel) {
  // feature_engine / category_encoders transformers fitted on the train part and applied to the
  // test part: no model is trained, nothing to evaluate.
  for (const char* fit : {"from feature_engine.imputation import MeanMedianImputer\n"
                          "imp = MeanMedianImputer(imputation_method='median')\n",
                          "import category_encoders as ce\n"
                          "imp = ce.OrdinalEncoder(cols=['city'])\n"}) {
    std::string src = std::string(kImports) + fit +
                      "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                      "imp.fit(X_train)\n"
                      "X_train = imp.transform(X_train)\n"
                      "X_test = imp.transform(X_test)\n";
    EXPECT_TRUE(on_py(src, kUnevaluated).findings.empty()) << fit;
  }
}

TEST(Dataflow, ExplainerFittedOnTheTestPartIsNoTraining) {
  std::string src = std::string(kImports) +
                    "from alibi.explainers import CounterfactualProto\n"
                    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                    "m = LogisticRegression().fit(X_train, y_train)\n"
                    "cf = CounterfactualProto(m.predict_proba, shape=(1, 4))\n"
                    "cf.fit(X_test.values)\n";
  EXPECT_TRUE(on_py(src, kTestFitted).findings.empty());
}

TEST(Dataflow, AnImageDataGeneratorFittedOnTheTestPartIsNoTraining) {
  // Augmentation settings only: fit() learns nothing from the rows it is shown.
  std::string src = std::string(kImports) +
                    "from tensorflow.keras.preprocessing.image import ImageDataGenerator\n"
                    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                    "train_gen = ImageDataGenerator(rotation_range=20, horizontal_flip=True)\n"
                    "test_gen = ImageDataGenerator(rotation_range=20)\n"
                    "train_gen.fit(X_train)\n"
                    "test_gen.fit(X_test)\n";
  EXPECT_TRUE(on_py(src, kTestFitted).findings.empty());
  // The model fitted on the test part is still found.
  EXPECT_EQ(on_py(src + "m = LogisticRegression().fit(X_test, y_test)\n", kTestFitted).findings.size(), 1U);
}

TEST(Dataflow, RebindingAFittedObjectMakesAnotherObject) {
  // The first scaler's output is never split; the name is then given a new scaler, whose own
  // output is: one leak, at the second fit.
  std::string src = std::string(kImports) +
                    "df = pd.read_csv('wine.csv')\n"
                    "ss = StandardScaler()\n"
                    "subset_scaled = ss.fit_transform(df[['a', 'b']])\n"
                    "ss = StandardScaler()\n"
                    "X = ss.fit_transform(df)\n"
                    "X_train, X_test = train_test_split(X)\n";
  DfAnswer a = on_py(src, kLeak);
  ASSERT_EQ(a.findings.size(), 1U);
  EXPECT_EQ(a.findings[0].at.line, 10);
}

TEST(Dataflow, SplitWithOneSideThrownAwayIsASubsample) {
  // `_, X, _, y = split(...)` keeps 10% of the train part: neither a held-out part nor training
  // data of a split; the next split's parts are what count.
  std::string src = std::string(kImports) +
                    "X_train, X_test, y_train, y_test = train_test_split(X0, y0)\n"
                    "_, X, _, y = train_test_split(X_train, y_train, test_size=0.1)\n"
                    "X_a, X_b, y_a, y_b = train_test_split(X, y)\n"
                    "m = LogisticRegression().fit(X_a, y_a)\n"
                    "print(m.score(X_b, y_b), m.score(X_test, y_test))\n";
  EXPECT_TRUE(on_py(src, kTestFitted).findings.empty());
  EXPECT_TRUE(on_py(src, kUnevaluated).findings.empty());
  // A part named to be dropped is dropped as `_` is.
  std::string named =
      std::string(kImports) +
      "x_grid, x_not_use, y_grid, y_not_use = train_test_split(x_train, y_train, test_size=0.9)\n"
      "LogisticRegression().fit(x_grid, y_grid)\n";
  EXPECT_TRUE(on_py(named, kUnevaluated).findings.empty());
}

TEST(Dataflow, ExecMayReadAnyName) {
  std::string src = std::string(kImports) +
                    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                    "clf = LogisticRegression().fit(X_train, y_train)\n"
                    "for part in ['train', 'test']:\n"
                    "    exec('y_pred_' + part + ' = clf.predict(X_' + part + ')')\n";
  EXPECT_TRUE(on_py(src, kUnevaluated).findings.empty());
}

TEST(Dataflow, PairwiseDistancesAreNoScore) {
  std::string src = std::string(kImports) +
                    "from sklearn.metrics.pairwise import euclidean_distances\n"
                    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                    "nn = LogisticRegression().fit(X_train, y_train)\n"
                    "print(euclidean_distances(X_train[:3]))\n";
  EXPECT_TRUE(on_py(src, kTrainEvaluated).findings.empty());
}

TEST(Dataflow, InnerSplitUnusedWhileTheOuterTestPartIsScored) {
  std::string src = std::string(kImports) +
                    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                    "X_small, X_rest, y_small, y_rest = train_test_split(X_train, y_train, train_size=0.2)\n"
                    "m = LogisticRegression().fit(X_small, y_small)\n"
                    "print(m.score(X_test, y_test))\n";
  EXPECT_TRUE(on_py(src, kUnevaluated).findings.empty());
}

TEST(Dataflow, ScoredOnADatasetsOwnTestSet) {
  // A subsample of the training set is split off; the model is scored on the dataset's own test
  // set (not a split's part). A later split that is never scored is still reported.
  std::string src = std::string(kImports) +
                    "(x_train, y_train), (x_test, y_test) = load_mnist()\n"
                    "x_small, x_rest, y_small, y_rest = train_test_split(x_train, y_train, test_size=0.98)\n"
                    "m = LogisticRegression().fit(x_small, y_small)\n"
                    "print(accuracy_score(y_test, m.predict(x_test)))\n"
                    "A_train, A_test, b_train, b_test = train_test_split(x_train, y_train)\n"
                    "LogisticRegression().fit(A_train, b_train)\n";
  DfAnswer a = on_py(src, kUnevaluated);
  ASSERT_EQ(a.findings.size(), 1U);
  EXPECT_EQ(a.findings[0].at.line, 10);
}

TEST(Dataflow, AFunctionReadingModuleNamesMayEvaluateThem) {
  std::string src = std::string(kImports) +
                    "from sklearn.metrics import mean_absolute_error\n"
                    "def showsize():\n"
                    "    print(mean_absolute_error(y_test, rf.predict(X_test)))\n"
                    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                    "rf = LogisticRegression().fit(X_train, y_train)\n"
                    "showsize()\n";
  EXPECT_TRUE(on_py(src, kUnevaluated).findings.empty());
  // A function that reads none of them changes nothing.
  std::string other = std::string(kImports) +
                      "def banner():\n"
                      "    print('done')\n"
                      "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                      "LogisticRegression().fit(X_train, y_train)\n"
                      "banner()\n";
  EXPECT_EQ(on_py(other, kUnevaluated).findings.size(), 1U);
}

TEST(Dataflow, SelectorsAndImputersOfAnyLibraryAreNoModel) {
  std::string src = std::string(kImports) +
                    "from tpot.builtins import FeatureSetSelector\n"
                    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                    "selector = FeatureSetSelector(subset_list='subsets.csv', sel_subset='A')\n"
                    "selector.fit(X_train, y_train)\n";
  EXPECT_TRUE(on_py(src, kUnevaluated).findings.empty());
}

TEST(Dataflow, AHomeMadePreprocessingStepIsNoModel) {
  std::string src = std::string(kImports) +
                    "from sklearn.base import BaseEstimator, TransformerMixin\n"
                    "class PreProcessing(BaseEstimator, TransformerMixin):\n"
                    "    def fit(self, df, y=None):\n"
                    "        return self\n"
                    "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=42)\n"
                    "prep = PreProcessing()\n"
                    "prep.fit(X_train, y_train)\n";
  EXPECT_TRUE(on_py(src, kUnevaluated).findings.empty());
  // Whatever its name, by its base.
  std::string by_base = std::string(kImports) +
                        "from sklearn.base import TransformerMixin\n"
                        "class CleanColumns(TransformerMixin):\n"
                        "    def fit(self, df, y=None):\n"
                        "        return self\n"
                        "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                        "CleanColumns().fit(X_train, y_train)\n";
  EXPECT_TRUE(on_py(by_base, kUnevaluated).findings.empty());
  // A home-made model is still a model.
  std::string model = std::string(kImports) +
                      "class MeanModel:\n"
                      "    def fit(self, X, y):\n"
                      "        self.mean = y.mean()\n"
                      "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                      "m = MeanModel()\n"
                      "m.fit(X_train, y_train)\n";
  EXPECT_EQ(on_py(model, kUnevaluated).findings.size(), 1U);
}

TEST(Dataflow, AStatelessTransformerFittedOnTheTestPartLearnsNothing) {
  std::string stateless = std::string(kImports) +
                          "from sklearn.preprocessing import PolynomialFeatures\n"
                          "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                          "pf = PolynomialFeatures(degree=2)\n"
                          "X_train = pf.fit_transform(X_train)\n"
                          "X_test = pf.fit_transform(X_test)\n";
  EXPECT_TRUE(on_py(stateless, kTestFitted).findings.empty());
  // A scaler refitted on the test part learns its statistics.
  std::string scaler = std::string(kImports) +
                       "from sklearn.preprocessing import StandardScaler\n"
                       "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                       "sc = StandardScaler()\n"
                       "X_train = sc.fit_transform(X_train)\n"
                       "X_test = sc.fit_transform(X_test)\n";
  EXPECT_EQ(on_py(scaler, kTestFitted).findings.size(), 1U);
}

TEST(Dataflow, PredictionsWrittenIntoAnArrayFillInValuesAndScoreNothing) {
  // Imputing a feature from the others: the regressor fills in the rows it was not fitted on.
  std::string src = std::string(kImports) +
                    "from sklearn.neighbors import KNeighborsRegressor\n"
                    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                    "knn = KNeighborsRegressor().fit(X_train[present, :2], X_train[present, 2])\n"
                    "X_train[missing, 2] = knn.predict(X_train[missing, :2])\n"
                    "print(cross_val_score(LogisticRegression(), X_train, y_train))\n";
  EXPECT_TRUE(on_py(src, kTrainEvaluated).findings.empty());
  // Predicting the train part and scoring it is still an evaluation on training data.
  std::string scored = std::string(kImports) +
                       "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                       "m = LogisticRegression().fit(X_train, y_train)\n"
                       "pred = m.predict(X_train)\n";
  EXPECT_EQ(on_py(scored, kTrainEvaluated).findings.size(), 1U);
  // A test part predicted into a column is still used (a discretiser checked on it).
  std::string test_used = std::string(kImports) +
                          "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                          "tree = LogisticRegression().fit(X_train[['a']], y_train)\n"
                          "X_test['a_tree'] = tree.predict(X_test[['a']])\n";
  EXPECT_TRUE(on_py(test_used, kUnevaluated).findings.empty());
}

TEST(Dataflow, ASeededSplitWrittenAgainIsTheSameSplit) {
  std::string src =
      std::string(kImports) +
      "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)\n"
      "m = LogisticRegression().fit(X_train, y_train)\n"
      "print(accuracy_score(y_test, m.predict(X_test)))\n"
      "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2,\n"
      "                                                    random_state=42)\n"
      "m2 = LogisticRegression().fit(X_train, y_train)\n"
      "print(m2.coef_)\n";
  EXPECT_TRUE(on_py(src, kUnevaluated).findings.empty());
  // Another seed is another split: its held-out part is unscored.
  std::string other = src;
  other.replace(other.rfind("random_state=42"), 15, "random_state=7");
  EXPECT_EQ(on_py(other, kUnevaluated).findings.size(), 1U);
  // A twin scored only later scores another model: this split's own model is never scored.
  std::string later = std::string(kImports) +
                      "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\n"
                      "tree = LogisticRegression().fit(X_train, y_train)\n"
                      "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\n"
                      "gb = LogisticRegression(C=2.0).fit(X_train, y_train)\n"
                      "print(gb.score(X_test, y_test))\n";
  EXPECT_EQ(on_py(later, kUnevaluated).findings.size(), 1U);
}

TEST(Dataflow, ASplitKeepingASliverTakesASample) {
  // A 1 % training sample to show optimisation bias; the model is scored on the first split.
  std::string src = std::string(kImports) +
                    "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=123)\n"
                    "X_small, X_rest, y_small, y_rest = train_test_split(X_train, y_train, test_size=0.99)\n"
                    "m = LogisticRegression().fit(X_small, y_small)\n"
                    "print(X_rest.shape)\n"
                    "print(m.score(X_test, y_test))\n";
  EXPECT_TRUE(on_py(src, kUnevaluated).findings.empty());
  // A usual test size holds out a test set.
  std::string usual = std::string(kImports) +
                      "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25)\n"
                      "m = LogisticRegression().fit(X_train, y_train)\n";
  EXPECT_EQ(on_py(usual, kUnevaluated).findings.size(), 1U);
}

TEST(Dataflow, ATrainingScoreBesideAHeldOutEstimateIsNoFinding) {
  // Beside a cross-validation of the same part: the rule's own remedy.
  std::string cv = std::string(kImports) +
                   "from sklearn.model_selection import cross_val_score\n"
                   "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                   "m = LogisticRegression()\n"
                   "print(cross_val_score(m, X_train, y_train, cv=10).mean())\n"
                   "m.fit(X_train, y_train)\n"
                   "print(m.score(X_train, y_train))\n";
  EXPECT_TRUE(on_py(cv, kTrainEvaluated).findings.empty());
  // Beside a score on the dataset's own test set (the split only took a validation part).
  std::string other = std::string(kImports) +
                      "X_test = pd.read_csv('test.csv')\n"
                      "y_test = X_test.pop('y')\n"
                      "X_train, X_val, y_train, y_val = train_test_split(X, y)\n"
                      "m = LogisticRegression().fit(X_train, y_train)\n"
                      "print(m.score(X_train, y_train))\n"
                      "print(accuracy_score(y_test, m.predict(X_test)))\n";
  EXPECT_TRUE(on_py(other, kTrainEvaluated).findings.empty());
  // A training score alone is still reported.
  std::string alone = std::string(kImports) +
                      "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                      "m = LogisticRegression().fit(X_train, y_train)\n"
                      "print(m.score(X_train, y_train))\n";
  EXPECT_EQ(on_py(alone, kTrainEvaluated).findings.size(), 1U);
}

TEST(Dataflow, CalibrationOnAHeldOutPartIsNoTestFit) {
  std::string src = std::string(kImports) +
                    "from sklearn.calibration import CalibratedClassifierCV\n"
                    "X_fit, X_cal, y_fit, y_cal = train_test_split(X, y)\n"
                    "m = LogisticRegression().fit(X_fit, y_fit)\n"
                    "CalibratedClassifierCV(m, cv='prefit').fit(X_cal, y_cal)\n";
  EXPECT_TRUE(on_py(src, kTestFitted).findings.empty());
}

TEST(Dataflow, OversamplingBeforeTheSplitLeaks) {
  std::string src = std::string(kImports) +
                    "from imblearn.over_sampling import SMOTE\n"
                    "df = pd.read_csv('churn.csv')\n"
                    "X, y = df.drop(columns=['y']), df['y']\n"
                    "smote = SMOTE(sampling_strategy='minority')\n"
                    "X_sm, y_sm = smote.fit_resample(X, y)\n"
                    "X_train, X_test, y_train, y_test = train_test_split(X_sm, y_sm, stratify=y_sm)\n";
  EXPECT_EQ(on_py(src, kLeak).findings.size(), 1U);
  // Undersampling only drops rows; oversampling the train part after the split is the fix.
  for (const char* fine : {"from imblearn.under_sampling import RandomUnderSampler\n"
                           "df = pd.read_csv('churn.csv')\n"
                           "X, y = df.drop(columns=['y']), df['y']\n"
                           "X_u, y_u = RandomUnderSampler().fit_resample(X, y)\n"
                           "X_train, X_test, y_train, y_test = train_test_split(X_u, y_u)\n",
                           "from imblearn.over_sampling import SMOTE\n"
                           "df = pd.read_csv('churn.csv')\n"
                           "X, y = df.drop(columns=['y']), df['y']\n"
                           "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                           "X_sm, y_sm = SMOTE().fit_resample(X_train, y_train)\n"}) {
    EXPECT_TRUE(on_py(std::string(kImports) + fine, kLeak).findings.empty()) << fine;
  }
}

// ---- Sources to sinks, as a rule states them ---------------------------------------------

DfTaint download_to_unpickle() {
  return {{"huggingface_hub.hf_hub_download", "requests.get", "urllib.request.urlretrieve"},
          {"pickle.load", "pickle.loads", "joblib.load", "torch.load"},
          {},
          {{"weights_only", "True"}}};
}

DfAnswer taint_py(const std::string& src) {
  PythonParse parse(src);
  return source_reaches_sink(DfCode{&parse, nullptr}, download_to_unpickle());
}

TEST(Dataflow, DownloadedFileReachesUnpickling) {
  DfAnswer a = taint_py(
      "import joblib\n"
      "from huggingface_hub import hf_hub_download\n"
      "path = hf_hub_download(repo_id='org/model', filename='model.joblib')\n"  // 3
      "model = joblib.load(path)\n");                                           // 4
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].at.line, 4);
  EXPECT_EQ(a.findings[0].related.line, 3);
  EXPECT_EQ(a.findings[0].path, (std::vector<std::string>{"path"}));
}

TEST(Dataflow, DownloadThroughOpenersAndAttributes) {
  // A response's bytes, and a path opened in a `with`.
  DfAnswer a = taint_py(
      "import io, pickle, requests, torch\n"
      "from urllib.request import urlretrieve\n"
      "r = requests.get(URL)\n"
      "model = pickle.loads(r.content)\n"  // 4
      "local, _ = urlretrieve(URL2, 'ckpt.pt')\n"
      "with open(local, 'rb') as f:\n"
      "    state = torch.load(f)\n"                                   // 7
      "net = torch.load(io.BytesIO(requests.get(URL3).content))\n");  // 8
  ASSERT_EQ(a.findings.size(), 3u);
  EXPECT_EQ(a.findings[0].at.line, 4);
  EXPECT_EQ(a.findings[1].at.line, 7);
  EXPECT_EQ(a.findings[2].at.line, 8);
}

TEST(Dataflow, SafeLoadsAndOtherValuesAreNotSinks) {
  EXPECT_TRUE(taint_py("import torch, requests\n"
                       "f = requests.get(URL).content\n"
                       "state = torch.load(io.BytesIO(f), weights_only=True)\n"
                       "model = torch.load('local.pt')\n"
                       "path = 'models/m.pkl'\n"
                       "import joblib\n"
                       "joblib.load(path)\n")
                  .findings.empty());
  // Reassigned before the load: the downloaded value is gone.
  EXPECT_TRUE(taint_py("import joblib, requests\n"
                       "p = requests.get(URL)\n"
                       "p = 'model.pkl'\n"
                       "joblib.load(p)\n")
                  .findings.empty());
}

// ---- The model's edges ------------------------------------------------------------------

TEST(Dataflow, UnpackingIsPositional) {
  // Two arrays: test at position 1; the train part at 0 is not the test set.
  std::string src = std::string(kImports) +
                    "a_train, a_test = train_test_split(X)\n"
                    "LogisticRegression().fit(a_train, y)\n";
  EXPECT_TRUE(on_py(src, kTestFitted).findings.empty());
  std::string swapped = std::string(kImports) +
                        "a_train, a_test = train_test_split(X)\n"
                        "first, second = a_test, a_train\n"
                        "LogisticRegression().fit(first, y)\n";
  EXPECT_EQ(on_py(swapped, kTestFitted).findings.size(), 1u);
  // Six outputs (three arrays): positions 1, 3 and 5 are test parts.
  std::string three = std::string(kImports) +
                      "a, b, c, d, e, f = train_test_split(X, y, groups)\n"
                      "m.fit(a, c)\n"
                      "m.fit(f)\n";
  DfAnswer a = on_py(three, kTestFitted);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].at.line, 8);
}

TEST(Dataflow, StarUnpackingAndLoopsDropTheTaint) {
  std::string star = std::string(kImports) +
                     "X_train, *rest = train_test_split(X, y)\n"
                     "m.fit(rest)\n";
  EXPECT_TRUE(on_py(star, kTestFitted).findings.empty());
  // A name rebound in a loop holds a different value each time round.
  std::string loop = std::string(kImports) +
                     "X_train, X_test = train_test_split(X)\n"
                     "for i in range(3):\n"
                     "    X_test = X_test.sample(frac=0.5)\n"
                     "m.fit(X_test)\n";
  EXPECT_TRUE(on_py(loop, kTestFitted).findings.empty());
  // Inside the loop body the flow is still seen.
  std::string in_loop = std::string(kImports) +
                        "X_train, X_test = train_test_split(X)\n"
                        "for m in models:\n"
                        "    m.fit(X_test)\n";
  EXPECT_EQ(on_py(in_loop, kTestFitted).findings.size(), 1u);
}

TEST(Dataflow, FlowsCarryPathAndLocations) {
  std::string src = std::string(kImports) +
                    "raw = pd.read_csv('a.csv')\n"
                    "clean = raw.dropna()\n"
                    "feats = clean[['a', 'b']].values\n"
                    "feats += 1\n"
                    "sink_here(feats)\n";
  PythonParse parse(src);
  DataflowSpec spec;
  spec.sources = {{"data", {"pandas.read_csv"}, DfOutputs::Result, false}};
  spec.sinks = {{"s", {"sink_here"}, DfWatch::Positional, 0, true, {}}};
  spec.propagators = default_propagators();
  DataflowResult r = analyse_dataflow({&parse, nullptr}, spec);
  ASSERT_EQ(r.flows.size(), 1u);
  EXPECT_EQ(r.flows[0].source_at.line, 6);
  EXPECT_EQ(r.flows[0].source_text, "pd.read_csv('a.csv')");
  EXPECT_EQ(r.flows[0].sink_at.line, 10);
  EXPECT_EQ(r.flows[0].sink_at.column, 1);
  EXPECT_EQ(r.flows[0].path, (std::vector<std::string>{"raw", "clean", "feats"}));
  EXPECT_EQ(r.origins.size(), 1u);
  EXPECT_TRUE(r.origins[0].escaped == false);
  // Watching position 1 instead: nothing there.
  spec.sinks[0].position = 1;
  EXPECT_TRUE(analyse_dataflow({&parse, nullptr}, spec).flows.empty());
}

TEST(Dataflow, LargeFilesContinueAcrossParseChunks) {
  // Over kPythonChunkBytes the parse comes a chunk of statements at a time: module names carry on.
  std::string src = std::string(kImports) + "X_train, X_test = train_test_split(X)\n";
  while (src.size() < 2 * kPythonChunkBytes) src += "filler_value = compute(1, 2, 3)  # padding line\n";
  src += "m.fit(X_test)\n";
  DfAnswer a = on_py(src, kTestFitted);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].related.line, 6);
  EXPECT_FALSE(a.truncated);
}

TEST(Dataflow, MethodsAndAttributesAreNotFollowed) {
  // Stored on self, the test part may be evaluated in another method: no "never evaluated".
  std::string src = std::string(kImports) +
                    "class Experiment:\n"
                    "    def run(self, X, y):\n"
                    "        X_train, self.X_test, y_train, self.y_test = train_test_split(X, y)\n"
                    "        X_tr, X_te, y_tr, y_te = train_test_split(X, y)\n"
                    "        self.held_out = (X_te, y_te)\n"
                    "        self.model.fit(X_tr, y_tr)\n"
                    "        return self.model.score(X_tr, y_tr)\n";
  EXPECT_TRUE(on_py(src, kUnevaluated).findings.empty());
}

// ---- Budgets ------------------------------------------------------------------------------

TEST(Dataflow, DeepNestingStaysBounded) {
  std::string src = std::string(kImports) + "X_train, X_test = train_test_split(X)\nm.fit(";
  for (int i = 0; i < 50000; ++i) src += "f(";
  src += "X_test";
  for (int i = 0; i < 50000; ++i) src += ")";
  src += ")\n";
  DfAnswer a = on_py(src, kTestFitted);
  EXPECT_TRUE(a.findings.empty());  // f is unknown: the value is not followed through it
}

TEST(Dataflow, HugeTupleAndManyNamesHitLimitsNotCrashes) {
  std::string wide = std::string(kImports);
  for (size_t i = 0; i < kMaxDfTargets + 10; ++i) wide += "v" + std::to_string(i) + ",";
  wide += " = train_test_split(X)\n";
  DfAnswer a = on_py(wide, kTestFitted);
  EXPECT_TRUE(a.findings.empty());
  EXPECT_TRUE(a.truncated);
  EXPECT_NE(a.note.find("unpacking"), std::string::npos);

  std::string names = std::string(kImports) + "df = pd.read_csv('x')\n";
  for (size_t i = 0; i < kMaxDfNamesPerScope + 5; ++i) names += "n" + std::to_string(i) + " = df\n";
  DataflowSpec spec;
  spec.sources = {{"data", {"pandas.read_csv"}, DfOutputs::Result, false}};
  PythonParse parse(names);
  DataflowResult r = analyse_dataflow({&parse, nullptr}, spec);
  EXPECT_TRUE(r.truncated);
  EXPECT_NE(r.note.find("tracked names"), std::string::npos);
}

TEST(Dataflow, ManyStatementsStayLinear) {
  // 100,000 statements threading one value: the flow is found, no bound is hit (the cost is
  // measured by the benchmark and bounded by the fuzz target's timeout, not asserted here).
  std::string src = std::string(kImports) + "X_train, X_test = train_test_split(X)\nv = X_test\n";
  for (int i = 1; i < 100000; ++i) src += "v = v.copy()\n";
  src += "m.fit(v)\n";
  DfAnswer a = on_py(src, kTestFitted);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].path, (std::vector<std::string>{"X_test", "v"}));
  EXPECT_FALSE(a.truncated);
  // 30,000 names holding the value: past kMaxDfNamesPerScope names are not tracked, and the
  // result says so.
  std::string names = std::string(kImports) + "X_train, X_test = train_test_split(X)\nv0 = X_test\n";
  for (int i = 1; i < 30000; ++i)
    names += "v" + std::to_string(i) + " = v" + std::to_string(i - 1) + ".copy()\n";
  names += "m.fit(v29999)\n";
  a = on_py(names, kTestFitted);
  EXPECT_TRUE(a.findings.empty());
  EXPECT_TRUE(a.truncated);
}

TEST(Dataflow, FlowsPerFileAreCapped) {
  std::string src = std::string(kImports) + "X_train, X_test = train_test_split(X)\n";
  for (size_t i = 0; i < kMaxDfFlows + 10; ++i) src += "m.fit(X_test)\n";
  DfAnswer a = on_py(src, kTestFitted);
  // Each `m.fit` is two sinks (a fit, and a model's fit): two flows a call.
  EXPECT_EQ(a.findings.size(), kMaxDfFlows / 2);
  EXPECT_TRUE(a.truncated);
}

TEST(Dataflow, BrokenInputIsNotACrash) {
  for (const char* src : {"", "(((", "a, b = ", "def f(:\n  x = train_test_split(\n", "x = [*a] = b\n",
                          "for in in in: pass\n", "match x:\n  case [a, *b]: m.fit(b)\n"}) {
    PythonParse parse(src);
    DfAnswer a = fit_before_split({&parse, nullptr});
    EXPECT_TRUE(a.findings.empty()) << src;
  }
  EXPECT_TRUE(fit_before_split({nullptr, nullptr}).findings.empty());
}

}  // namespace
}  // namespace mlops
