#include "analysers/python_analyser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace mlops {
namespace {

const PyCall* call_named(const PythonFacts& f, const std::string& name) {
  for (const auto& c : f.calls)
    if (c.name == name) return &c;
  return nullptr;
}

bool imported(const PythonFacts& f, const std::string& module) {
  return std::any_of(f.imports.begin(), f.imports.end(), [&](const PyImport& i) { return i.module == module; });
}

std::vector<std::string> call_names(const PythonFacts& f) {
  std::vector<std::string> out;
  for (const auto& c : f.calls) out.push_back(c.name);
  return out;
}

TEST(PythonAnalyser, ImportsWithAliases) {
  PythonFacts f = analyse_python(
      "import os\n"
      "import numpy as np, pandas\n"
      "import sklearn.model_selection as ms\n"
      "from torch.utils import data as tud\n"
      "from sklearn.linear_model import LogisticRegression\n"
      "from . import sibling\n"
      "from .pkg import thing\n"
      "from mlflow import *\n");
  EXPECT_TRUE(imported(f, "os"));
  EXPECT_TRUE(imported(f, "numpy"));
  EXPECT_TRUE(imported(f, "pandas"));
  EXPECT_TRUE(imported(f, "sklearn.model_selection"));
  EXPECT_TRUE(imported(f, "torch.utils.data"));
  EXPECT_TRUE(imported(f, "sklearn.linear_model.LogisticRegression"));
  EXPECT_TRUE(imported(f, "mlflow"));
  EXPECT_EQ(f.first_error_line, 0);
  for (const auto& i : f.imports)
    if (i.module == "sklearn.model_selection") {
      EXPECT_EQ(i.line, 3);
      EXPECT_EQ(i.column, 8);
    }
}

TEST(PythonAnalyser, CallsResolveThroughAliases) {
  PythonFacts f = analyse_python(
      "import numpy as np\n"
      "import sklearn.model_selection as ms\n"
      "from sklearn.model_selection import train_test_split as tts\n"
      "from sklearn.linear_model import LogisticRegression\n"
      "import torch\n"
      "np.random.seed(42)\n"
      "ms.train_test_split(X, y)\n"
      "tts(X, y, random_state=0)\n"
      "LogisticRegression().fit(X, y)\n"
      "torch.manual_seed(1)\n"
      "print('x')\n"
      "models[0].fit(X)\n");
  EXPECT_NE(call_named(f, "numpy.random.seed"), nullptr);
  EXPECT_NE(call_named(f, "sklearn.model_selection.train_test_split"), nullptr);
  EXPECT_NE(call_named(f, "sklearn.linear_model.LogisticRegression().fit"), nullptr);
  EXPECT_NE(call_named(f, "sklearn.linear_model.LogisticRegression"), nullptr);
  EXPECT_NE(call_named(f, "torch.manual_seed"), nullptr);
  EXPECT_NE(call_named(f, "print"), nullptr);
  EXPECT_NE(call_named(f, "models[].fit"), nullptr);
  const PyCall* seed = call_named(f, "numpy.random.seed");
  ASSERT_NE(seed, nullptr);
  EXPECT_EQ(seed->line, 6);
  EXPECT_EQ(seed->column, 1);
  EXPECT_EQ(seed->text, "np.random.seed(42)");
  // Both spellings of train_test_split resolve to the same name.
  auto all = call_names(f);
  EXPECT_EQ(std::count(all.begin(), all.end(), "sklearn.model_selection.train_test_split"), 2);
}

TEST(PythonAnalyser, KeywordsAndSplat) {
  PythonFacts f = analyse_python(
      "from sklearn.model_selection import train_test_split\n"
      "train_test_split(X, y, test_size=0.2, random_state=42)\n"
      "train_test_split(X, y, **kwargs)\n"
      "train_test_split(X, y, *args)\n");
  std::vector<const PyCall*> calls;
  for (const auto& c : f.calls)
    if (c.name == "sklearn.model_selection.train_test_split") calls.push_back(&c);
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0]->keywords, (std::vector<std::string>{"test_size", "random_state"}));
  EXPECT_EQ(calls[1]->keywords, (std::vector<std::string>{"**"}));
  EXPECT_TRUE(calls[2]->keywords.empty());
}

TEST(PythonAnalyser, StringsCollectedCommentsIgnored) {
  PythonFacts f = analyse_python(
      "# path = '/home/alice/comment.csv'\n"
      "a = '/home/alice/data.csv'  # trailing '/home/bob/x'\n"
      "b = \"double\"\n"
      "c = \"\"\"triple\nline\"\"\"\n"
      "d = r'raw\\n'\n"
      "e = f'pre{x}post'\n");
  std::vector<std::string> values;
  for (const auto& s : f.strings) values.push_back(s.value);
  EXPECT_NE(std::find(values.begin(), values.end(), "/home/alice/data.csv"), values.end());
  EXPECT_NE(std::find(values.begin(), values.end(), "double"), values.end());
  EXPECT_NE(std::find(values.begin(), values.end(), "triple\nline"), values.end());
  EXPECT_NE(std::find(values.begin(), values.end(), "raw\\n"), values.end());
  for (const auto& v : values) {
    EXPECT_EQ(v.find("comment.csv"), std::string::npos) << v;
    EXPECT_EQ(v.find("/home/bob"), std::string::npos) << v;
  }
  for (const auto& s : f.strings)
    if (s.value == "/home/alice/data.csv") {
      EXPECT_EQ(s.line, 2);
      EXPECT_EQ(s.column, 5);
    }
  EXPECT_EQ(f.first_error_line, 0);
}

TEST(PythonAnalyser, AssignedCallResultResolvesMethods) {
  PythonFacts f = analyse_python(
      "import pandas as pd\n"
      "df = pd.read_csv('x.csv')\n"
      "df.dropna()\n"
      "from sklearn.ensemble import RandomForestClassifier as RF\n"
      "clf = RF(n_estimators=10)\n"
      "clf.fit(X, y)\n"
      "other = make_model()\n"
      "other.fit(X, y)\n");
  EXPECT_NE(call_named(f, "pandas.read_csv().dropna"), nullptr);
  EXPECT_NE(call_named(f, "sklearn.ensemble.RandomForestClassifier().fit"), nullptr);
  // Unresolved factories keep the local name.
  EXPECT_NE(call_named(f, "other.fit"), nullptr);
}

TEST(PythonAnalyser, AssignedCallResultFromPlainImportResolves) {
  PythonFacts f = analyse_python(
      "import mlflow\n"
      "run = mlflow.start_run()\n"
      "run.log_param('a', 1)\n");
  EXPECT_NE(call_named(f, "mlflow.start_run().log_param"), nullptr)
      << ::testing::PrintToString(call_names(f));
}

TEST(PythonAnalyser, SyntaxErrorReportedFactsBeforeKept) {
  PythonFacts f = analyse_python(
      "import torch\n"
      "torch.manual_seed(0)\n"
      "path = '/data/x.csv'\n"
      "def broken(:\n"
      "    pass\n");
  EXPECT_EQ(f.first_error_line, 4);
  EXPECT_TRUE(imported(f, "torch"));
  EXPECT_NE(call_named(f, "torch.manual_seed"), nullptr);
  EXPECT_FALSE(f.strings.empty());
}

TEST(PythonAnalyser, CleanSourceHasNoErrorLine) {
  EXPECT_EQ(analyse_python("").first_error_line, 0);
  EXPECT_EQ(analyse_python("x = 1\n").first_error_line, 0);
}

TEST(PythonAnalyser, DeepNestingDoesNotCrash) {
  std::string src = "x = " + std::string(20000, '(') + "1" + std::string(20000, ')') + "\n";
  PythonFacts f = analyse_python(src);
  (void)f;
  std::string calls = "y = " ;
  for (int i = 0; i < 5000; ++i) calls += "f(";
  calls += "1";
  calls += std::string(5000, ')');
  calls += "\n";
  PythonFacts g = analyse_python(calls);
  EXPECT_FALSE(g.calls.empty());
  std::string attr = "import a\nz = a";
  for (int i = 0; i < 5000; ++i) attr += ".b()";
  attr += "\n";
  PythonFacts h = analyse_python(attr);
  EXPECT_FALSE(h.calls.empty());
  std::string unbalanced = "x = " + std::string(50000, '[') + "\n";
  PythonFacts u = analyse_python(unbalanced);
  EXPECT_GT(u.first_error_line, 0);
}

TEST(PythonAnalyser, VeryWideInputIsAnalysed) {
  std::string flat = "import numpy as np\n";
  for (int i = 0; i < 20000; ++i) flat += "np.log(" + std::to_string(i) + ")\n";
  PythonFacts f = analyse_python(flat);
  EXPECT_EQ(f.calls.size(), 20000u);
  EXPECT_EQ(f.calls.back().name, "numpy.log");
  EXPECT_EQ(f.calls.back().line, 20001);

  std::string args = "f(";
  for (int i = 0; i < 20000; ++i) args += "k" + std::to_string(i) + "=1, ";
  PythonFacts g = analyse_python(args + ")\n");
  ASSERT_EQ(g.calls.size(), 1u);
  EXPECT_EQ(g.calls[0].keywords.size(), 20000u);
}

}  // namespace
}  // namespace mlops
