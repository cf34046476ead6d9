#include "analysers/python_analyser.h"

#include "util/limits.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace mlops {
namespace {

const PyCall* call_named(const PythonFacts& f, const std::string& name) {
  for (const auto& c : f.calls)
    if (c.name == name) return &c;
  return nullptr;
}

bool imported(const PythonFacts& f, const std::string& module) {
  return std::any_of(f.imports.begin(), f.imports.end(),
                     [&](const PyImport& i) { return i.module == module; });
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

TEST(PythonAnalyser, CallsKnowTheirEnclosingFunction) {
  PythonFacts f = analyse_python(
      "setup()\n"
      "def helper(x):\n"
      "    return fit(x)\n"
      "class Model:\n"
      "    register()\n"
      "    def train(self):\n"
      "        def inner():\n"
      "            step()\n"
      "        loop()\n"
      "main()\n");
  std::map<std::string, int> scope;
  for (const auto& c : f.calls) scope[c.name] = c.scope;
  EXPECT_EQ(scope["setup"], 0);
  EXPECT_EQ(scope["fit"], 2);
  EXPECT_EQ(scope["register"], 0);  // a class body runs where it stands
  EXPECT_EQ(scope["step"], 7);
  EXPECT_EQ(scope["loop"], 6);
  EXPECT_EQ(scope["main"], 0);
}

TEST(PythonAnalyser, ImportsKnowTheirEnclosingFunction) {
  PythonFacts f = analyse_python(
      "import joblib\n"
      "def serve(port):\n"
      "    from flask import Flask\n"
      "    import numpy as np, pandas\n"
      "class Step:\n"
      "    import json\n");
  std::map<std::string, int> scope;
  for (const auto& i : f.imports) scope[i.module] = i.scope;
  EXPECT_EQ(scope["joblib"], 0);
  EXPECT_EQ(scope["flask.Flask"], 2);
  EXPECT_EQ(scope["numpy"], 2);
  EXPECT_EQ(scope["pandas"], 2);
  EXPECT_EQ(scope["json"], 0);  // a class body runs where it stands
}

// Each string literal's value with one of its flags.
std::map<std::string, bool> string_flags(const PythonFacts& f, bool PyString::*flag) {
  std::map<std::string, bool> out;
  for (const auto& s : f.strings) out[s.value] = s.*flag;
  return out;
}

TEST(PythonAnalyser, StringsKnowWhenTheyAreEnvironmentArguments) {
  PythonFacts f = analyse_python(
      "import os\nfrom os import environ as env\n"
      "a = os.getenv('A', '/mnt/a')\nb = env.get('B', '/mnt/b')\nc = open('/mnt/c')\n");
  std::map<std::string, bool> env = string_flags(f, &PyString::env_argument);
  EXPECT_TRUE(env["A"]);
  EXPECT_TRUE(env["/mnt/a"]);
  EXPECT_TRUE(env["/mnt/b"]);
  EXPECT_FALSE(env["/mnt/c"]);
}

TEST(PythonAnalyser, StringsKnowWhenTheyAreAppendedSuffixes) {
  PythonFacts f = analyse_python(
      "a = root + '/datasets/salt/train.csv'\nb = '/datasets/x' + name\n"
      "c = '/home/a' + '/b'\nd = n * '/mnt/d'\ne = f(out + '/checkpoint/fold8/')\n"
      "g = out + '/ckpt/%08d.pth' % step\nh = '/scratch/%s' % user\n");
  std::map<std::string, bool> suffix = string_flags(f, &PyString::suffix);
  EXPECT_TRUE(suffix["/datasets/salt/train.csv"]);
  EXPECT_FALSE(suffix["/datasets/x"]);  // the left operand: the path starts there
  EXPECT_FALSE(suffix["/home/a"]);
  EXPECT_TRUE(suffix["/b"]);
  EXPECT_FALSE(suffix["/mnt/d"]);  // not a concatenation
  EXPECT_TRUE(suffix["/checkpoint/fold8/"]);
  EXPECT_TRUE(suffix["/ckpt/%08d.pth"]);
  EXPECT_FALSE(suffix["/scratch/%s"]);  // formatted, but not appended to anything
}

TEST(PythonAnalyser, FStringsThatStartWithAValueAreSuffixes) {
  PythonFacts f = analyse_python("a = f'{os.getcwd()}/media/uploads/{name}'\nb = f'/home/alice/{name}'\n");
  std::map<std::string, bool> suffix = string_flags(f, &PyString::suffix);
  EXPECT_TRUE(suffix["/media/uploads/"]);
  EXPECT_FALSE(suffix["/home/alice/"]);
}

TEST(PythonAnalyser, TextAStringMethodSearchesForIsCompared) {
  PythonFacts f = analyse_python(
      "p = path.replace('/home/alice/data/', '../data/')\nq = p.startswith('/mnt/nas')\n"
      "r = open('/mnt/nas/a.csv')\ns = path.replace(old, '/home/bob/')\n"
      "p.add_argument('--model-dir', help='/Users/carol/models', default='/Users/dan/models')\n");
  std::map<std::string, bool> compared = string_flags(f, &PyString::compared);
  EXPECT_TRUE(compared["/home/alice/data/"]);
  EXPECT_FALSE(compared["../data/"]);  // the replacement is written, not searched for
  EXPECT_TRUE(compared["/mnt/nas"]);
  EXPECT_FALSE(compared["/mnt/nas/a.csv"]);
  EXPECT_FALSE(compared["/home/bob/"]);
  EXPECT_TRUE(compared["/Users/carol/models"]);  // help text
  EXPECT_FALSE(compared["/Users/dan/models"]);   // the default is read
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
  std::string calls = "y = ";
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

std::string literal_of(const PyCall& c, const std::string& keyword) {
  for (const auto& [k, v] : c.literals)
    if (k == keyword) return v;
  return "<none>";
}

TEST(PythonAnalyser, KeywordLiteralValues) {
  PythonFacts f = analyse_python(
      "from sklearn.model_selection import train_test_split\n"
      "train_test_split(X, y, shuffle=False, test_size=0.2, random_state=-1, stratify=None,\n"
      "                 name='abc', other=\"x\", n=+3, flag=True, expr=cfg.seed, fs=f'{a}b', neg=-x,\n"
      "                 cat='a' 'b', **kw)\n");
  const PyCall* c = call_named(f, "sklearn.model_selection.train_test_split");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(literal_of(*c, "shuffle"), "False");
  EXPECT_EQ(literal_of(*c, "test_size"), "0.2");
  EXPECT_EQ(literal_of(*c, "random_state"), "-1");
  EXPECT_EQ(literal_of(*c, "stratify"), "None");
  EXPECT_EQ(literal_of(*c, "name"), "abc");
  EXPECT_EQ(literal_of(*c, "other"), "x");
  EXPECT_EQ(literal_of(*c, "n"), "3");
  EXPECT_EQ(literal_of(*c, "flag"), "True");
  // Not simple literals: expressions, f-strings with interpolations, negated names, concatenations.
  EXPECT_EQ(literal_of(*c, "expr"), "<none>");
  EXPECT_EQ(literal_of(*c, "fs"), "<none>");
  EXPECT_EQ(literal_of(*c, "neg"), "<none>");
  EXPECT_EQ(literal_of(*c, "cat"), "<none>");
  // All keywords are still listed, the splat too.
  EXPECT_EQ(c->keywords.size(), 13u);
  // Not collected unless asked for.
  PythonFacts lean = analyse_python("f(a=1)\n", 0);
  ASSERT_EQ(lean.calls.size(), 1u);
  EXPECT_TRUE(lean.calls[0].literals.empty());
  EXPECT_EQ(lean.calls[0].keywords.size(), 1u);
}

TEST(PythonAnalyser, ClassesWithResolvedBases) {
  PythonFacts f = analyse_python(
      "import torch.nn as nn\n"
      "from torch import nn as tnn\n"
      "from typing import Generic\n"
      "import abc\n"
      "class Net(nn.Module):\n"
      "    pass\n"
      "class Other(tnn.Module, Generic[T], metaclass=abc.ABCMeta):\n"
      "    class Inner(Base):\n"
      "        pass\n"
      "class Plain:\n"
      "    pass\n"
      "# class Commented(nn.Module):\n"
      "s = 'class InString(nn.Module): pass'\n");
  ASSERT_EQ(f.classes.size(), 4u);
  EXPECT_EQ(f.classes[0].name, "Net");
  EXPECT_EQ(f.classes[0].bases, std::vector<std::string>{"torch.nn.Module"});
  EXPECT_EQ(f.classes[0].line, 5);
  EXPECT_EQ(f.classes[0].column, 1);
  EXPECT_EQ(f.classes[1].name, "Other");
  EXPECT_EQ(f.classes[1].bases, (std::vector<std::string>{"torch.nn.Module", "typing.Generic"}));
  EXPECT_EQ(f.classes[2].name, "Inner");
  EXPECT_EQ(f.classes[2].bases, std::vector<std::string>{"Base"});
  EXPECT_EQ(f.classes[2].column, 5);
  EXPECT_EQ(f.classes[3].name, "Plain");
  EXPECT_TRUE(f.classes[3].bases.empty());
  EXPECT_TRUE(analyse_python("class A(B): pass\n", 0).classes.empty());
}

TEST(PythonAnalyser, ModuleLevelAssignments) {
  PythonFacts f = analyse_python(
      "SEED = 42\n"
      "LR: float = 1e-3\n"
      "A = B = 'shared'\n"
      "PATH = os.path.join(ROOT,\n"
      "                    'data')\n"
      "x, y = 1, 2\n"
      "N += 1\n"
      "if DEBUG:\n"
      "    MODE = \"debug\"\n"
      "def f():\n"
      "    LOCAL = 1\n"
      "class C:\n"
      "    ATTR = 2\n"
      "# COMMENTED = 3\n"
      "NEG = -0.5\n");
  std::vector<std::string> names;
  for (const auto& a : f.assigns) names.push_back(a.name);
  EXPECT_EQ(names, (std::vector<std::string>{"SEED", "LR", "A", "B", "PATH", "MODE", "NEG"}));
  auto find = [&](const std::string& n) -> const PyAssign& {
    for (const auto& a : f.assigns)
      if (a.name == n) return a;
    return f.assigns.front();
  };
  EXPECT_EQ(find("SEED").value, "42");
  EXPECT_TRUE(find("SEED").literal);
  EXPECT_EQ(find("LR").value, "1e-3");
  EXPECT_EQ(find("A").value, "shared");
  EXPECT_EQ(find("B").value, "shared");
  EXPECT_FALSE(find("PATH").literal);
  EXPECT_EQ(find("PATH").value, "os.path.join(ROOT,                     'data')");
  EXPECT_EQ(find("PATH").line, 4);
  EXPECT_EQ(find("MODE").value, "debug");
  EXPECT_EQ(find("NEG").value, "-0.5");
  EXPECT_TRUE(analyse_python("X = 1\n", kPyStrings).assigns.empty());
}

TEST(PythonAnalyser, TestFunctionsFollowRunnerConventions) {
  PythonFacts f = analyse_python(
      "import unittest\n"
      "def test_top():\n"
      "    def test_nested():\n"
      "        pass\n"
      "class TestThing:\n"
      "    def test_method(self):\n"
      "        pass\n"
      "    def helper(self):\n"
      "        pass\n"
      "class Checks(unittest.TestCase):\n"
      "    def test_case(self):\n"
      "        self.assertEqual(f(), 1)\n"
      "class Helper:\n"
      "    def test_not_collected(self):\n"
      "        pass\n"
      "def testing_util():\n"
      "    pass\n"
      "def factory():\n"
      "    class TestLocal:\n"
      "        def test_local(self):\n"
      "            pass\n");
  std::map<std::string, bool> test;
  for (const auto& fn : f.functions) test[fn.name] = fn.test;
  EXPECT_TRUE(test.at("test_top"));
  EXPECT_FALSE(test.at("test_nested"));
  EXPECT_TRUE(test.at("test_method"));
  EXPECT_FALSE(test.at("helper"));
  EXPECT_TRUE(test.at("test_case"));
  EXPECT_FALSE(test.at("test_not_collected"));
  EXPECT_TRUE(test.at("testing_util"));  // pytest's default `test*` prefix collects it too
  EXPECT_FALSE(test.at("test_local"));   // a class defined in a function is not collected
  for (const auto& fn : f.functions) {
    // Only the code under test counts as a call, not unittest's assertion helpers.
    if (fn.name == "test_case") {
      EXPECT_EQ(fn.calls, 1);
    }
    if (fn.name == "test_placeholder") {
      EXPECT_TRUE(fn.test);
      EXPECT_EQ(fn.calls, 0);
    }
  }
}

TEST(PythonAnalyser, NewFactsSurviveSyntaxErrors) {
  PythonFacts f = analyse_python(
      "import torch.nn as nn\n"
      "SEED = 1\n"
      "class Net(nn.Module):\n"
      "    def forward(self, x:\n"
      "        return x\n"
      "split(x, shuffle=False)\n");
  EXPECT_GT(f.first_error_line, 0);
  ASSERT_FALSE(f.assigns.empty());
  EXPECT_EQ(f.assigns[0].name, "SEED");
  ASSERT_FALSE(f.classes.empty());
  EXPECT_EQ(f.classes[0].bases, std::vector<std::string>{"torch.nn.Module"});
}

TEST(PythonAnalyser, DeepClassNestingDoesNotCrash) {
  std::string src;
  for (int i = 0; i < 3000; ++i)
    src += std::string(static_cast<size_t>(i), ' ') + "class C" + std::to_string(i) + "(B):\n";
  src += std::string(3000, ' ') + "X = 1\n";
  PythonFacts f = analyse_python(src);
  EXPECT_FALSE(f.classes.empty());
  EXPECT_TRUE(f.assigns.empty());
}

// ---- Raw tree-sitter queries

std::vector<PyQueryMatch> query(const std::string& src, const std::string& q,
                                const std::string& capture = "") {
  PyTreeQuery::Result r = PyTreeQuery::compile(q, capture);
  EXPECT_TRUE(r.query) << r.error;
  if (!r.query) return {};
  PythonParse parse(src);
  return parse.run(*r.query, 200).matches;
}

TEST(PythonTreeQuery, EqPredicateAndCapturePosition) {
  std::string src =
      "model.fit(X, y)\n"
      "# model.fit(X)\n"
      "s = 'model.fit(X)'\n"
      "other.predict(X)\n"
      "  m2.fit(Z)\n";
  auto m = query(src, "(call function: (attribute attribute: (identifier) @m (#eq? @m \"fit\")))");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].line, 1);
  EXPECT_EQ(m[0].column, 7);
  EXPECT_EQ(m[0].text, "fit");
  EXPECT_EQ(m[1].line, 5);
  EXPECT_EQ(m[1].column, 6);
  // A named capture reports the whole call.
  auto calls =
      query(src, "(call function: (attribute attribute: (identifier) @m (#eq? @m \"fit\"))) @call", "call");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].text, "model.fit(X, y)");
  EXPECT_EQ(calls[1].column, 3);
}

TEST(PythonTreeQuery, NegatedRegexAndAnyOfPredicates) {
  std::string src = "fit()\nfit_transform()\npredict()\nscore()\n";
  auto differ = query(src, "(call function: (identifier) @f (#not-eq? @f \"fit\"))");
  EXPECT_EQ(differ.size(), 3u);
  auto match = query(src, "(call function: (identifier) @f (#match? @f \"^fit\"))");
  EXPECT_EQ(match.size(), 2u);
  auto not_match = query(src, "(call function: (identifier) @f (#not-match? @f \"^fit\"))");
  ASSERT_EQ(not_match.size(), 2u);
  EXPECT_EQ(not_match[0].text, "predict");
  auto any = query(src, "(call function: (identifier) @f (#any-of? @f \"score\" \"predict\"))");
  EXPECT_EQ(any.size(), 2u);
  auto none = query(src, "(call function: (identifier) @f (#not-any-of? @f \"score\" \"predict\"))");
  EXPECT_EQ(none.size(), 2u);
  // Capture against capture: `x = x` style self-assignment.
  auto same =
      query("a = a\nb = c\n", "(assignment left: (identifier) @l right: (identifier) @r (#eq? @l @r))");
  ASSERT_EQ(same.size(), 1u);
  EXPECT_EQ(same[0].line, 1);
}

// A query whose every match needs a captured node to equal one of a few strings (`#eq?`,
// `#any-of?`) is run only around those strings' occurrences. It must find exactly what the same
// query finds over the whole tree: here each is compared with its `#match?` twin, which is not
// narrowed that way.
TEST(PythonTreeQuery, AnchoredQueriesFindWhatTheWholeTreeHolds) {
  const std::string src =
      "from transformers import AutoModel  # from_pretrained in a comment\n"
      "s = 'from_pretrained'\n"
      "m = AutoModel.from_pretrained(Other.from_pretrained('a/b'),\n"
      "                              revision='main')\n"
      "def load(x=AutoModel.from_pretrained('c/d')):\n"
      "    if AutoModel.from_pretrained('e/f'):\n"
      "        y = [AutoModel.from_pretrained(n) for n in names]\n"
      "    return my_from_pretrained_helper(x)\n"
      "class C:\n"
      "    @decorate(lambda: AutoModel.from_pretrained('g/h'))\n"
      "    def f(self):\n"
      "        fit(1)\n"
      "        return AutoModel.from_pretrained(\n"
      "            'i/j')\n"
      "def broken(:\n"
      "    AutoModel.from_pretrained('k/l')\n"
      "def train():\n"
      "    pass\n"
      "# the next one trains\n"
      "def train():\n"
      "    model.fit(X)\n"
      "z = wrap(AutoModel.from_pretrained('m/n'))\n";
  auto same = [&](const std::string& anchored, const std::string& whole, const std::string& capture) {
    auto a = query(src, anchored, capture);
    auto w = query(src, whole, capture);
    EXPECT_FALSE(w.empty()) << whole;
    ASSERT_EQ(a.size(), w.size()) << anchored;
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].line, w[i].line) << anchored;
      EXPECT_EQ(a[i].column, w[i].column) << anchored;
      EXPECT_EQ(a[i].text, w[i].text) << anchored;
    }
  };
  // Matches that reach past the anchor (the arguments), nested in one another, in defaults,
  // conditions, comprehensions, decorators and after a syntax error.
  same(
      "((call function: (attribute attribute: (identifier) @f) arguments: (argument_list) @a) @c"
      " (#eq? @f \"from_pretrained\"))",
      "((call function: (attribute attribute: (identifier) @f) arguments: (argument_list) @a) @c"
      " (#match? @f \"^from_pretrained$\"))",
      "c");
  same(
      "((call function: (attribute attribute: (identifier) @f)"
      "   arguments: (argument_list (keyword_argument name: (identifier) @k))) @c"
      " (#any-of? @f \"from_pretrained\" \"snapshot_download\") (#eq? @k \"revision\"))",
      "((call function: (attribute attribute: (identifier) @f)"
      "   arguments: (argument_list (keyword_argument name: (identifier) @k))) @c"
      " (#match? @f \"^(from_pretrained|snapshot_download)$\") (#match? @k \"^revision$\"))",
      "c");
  // A call holding the anchor in a call among its arguments: the outer call is queried.
  same(
      "((call function: (identifier) @o arguments: (argument_list (call function: (attribute attribute: "
      "(identifier) @f)))) @c (#eq? @f \"from_pretrained\"))",
      "((call function: (identifier) @o arguments: (argument_list (call function: (attribute attribute: "
      "(identifier) @f)))) @c (#match? @f \"^from_pretrained$\"))",
      "c");
  // A statement whose body holds the anchor: the statement is queried, not only the call.
  same(
      "((function_definition name: (identifier) @n body: (block (expression_statement (call function: "
      "(identifier) @f)))) (#eq? @f \"fit\"))",
      "((function_definition name: (identifier) @n body: (block (expression_statement (call function: "
      "(identifier) @f)))) (#match? @f \"^fit$\"))",
      "n");
  // An optional capture that matched nothing passes its #eq?: no anchor there.
  same(
      "((call function: (attribute attribute: (identifier) @f) arguments: (argument_list (keyword_argument "
      "name: (identifier) @k)?)) @c (#eq? @k \"revision\"))",
      "((call function: (attribute attribute: (identifier) @f) arguments: (argument_list (keyword_argument "
      "name: (identifier) @k)?)) @c (#match? @k \"^revision$\"))",
      "c");
  // Sibling nodes (a comment before a definition) are not one node: the whole tree is queried.
  same("((comment) @c . (function_definition name: (identifier) @n) (#eq? @n \"train\"))",
       "((comment) @c . (function_definition name: (identifier) @n) (#match? @n \"^train$\"))", "c");
}

TEST(PythonTreeQuery, CompileErrorsAreReported) {
  auto err = [](const std::string& q, const std::string& capture = "") {
    return PyTreeQuery::compile(q, capture);
  };
  auto syntax = err("(call function: (identifier) @f");
  EXPECT_FALSE(syntax.query);
  EXPECT_NE(syntax.error.find("syntax error at offset"), std::string::npos) << syntax.error;
  auto node = err("(no_such_node) @x");
  EXPECT_NE(node.error.find("unknown node type at offset 1"), std::string::npos) << node.error;
  auto field = err("(call nofield: (identifier)) @x");
  EXPECT_NE(field.error.find("unknown field"), std::string::npos) << field.error;
  EXPECT_NE(err("(call)").error.find("needs a capture"), std::string::npos);
  EXPECT_NE(err("(call) @c", "other").error.find("no capture @other"), std::string::npos);
  EXPECT_NE(err("((identifier) @i (#set! x y))").error.find("unsupported predicate #set!"),
            std::string::npos);
  EXPECT_NE(err("((identifier) @i (#match? @i \"(\"))").error.find("invalid regular expression"),
            std::string::npos);
  EXPECT_NE(err("((identifier) @i (#eq? @i))").error.find("takes"), std::string::npos);
  EXPECT_NE(err(std::string(kMaxTreeQueryBytes + 1, ' ')).error.find("longer than"), std::string::npos);
  EXPECT_NE(err("").error.find("needs a query"), std::string::npos);
}

TEST(PythonTreeQuery, HostileInputStaysBounded) {
  // Every node of a deeply nested expression, with a regex over each node's text.
  std::string deep = "x = " + std::string(20000, '(') + "1" + std::string(20000, ')') + "\n";
  PyTreeQuery::Result r = PyTreeQuery::compile("((_) @n (#match? @n \"zzz\"))", "");
  ASSERT_TRUE(r.query) << r.error;
  PythonParse parse(deep);
  PyQueryResult res = parse.run(*r.query, 200);
  EXPECT_TRUE(res.matches.empty());
  // Many matches: capped at the requested number, in document order.
  std::string flat;
  for (int i = 0; i < 5000; ++i) flat += "f(" + std::to_string(i) + ")\n";
  PyTreeQuery::Result calls = PyTreeQuery::compile("(call) @c", "");
  ASSERT_TRUE(calls.query);
  PyQueryResult many = PythonParse(flat).run(*calls.query, 200);
  ASSERT_EQ(many.matches.size(), 200u);
  EXPECT_EQ(many.matches[0].line, 1);
  EXPECT_EQ(many.matches[199].line, 200);
  // Unparseable bytes: no crash, whatever tree-sitter recovered.
  PythonParse broken(std::string("def (:\n\x01\xff class") + std::string(1000, ')'));
  (void)broken.run(*calls.query, 200);
}

std::string repeat(std::string_view s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

// 100,000 chained calls took over a minute: each call copied its whole text (most of the file)
// to name it. Names stay bounded, and the short ones are still resolved.
TEST(PythonAnalyser, LongCallChainsStayLinearAndBounded) {
  PythonFacts f = analyse_python("import numpy as np\na = np.b()" + repeat(".b()", 100000) + "\n");
  ASSERT_FALSE(f.calls.empty());
  size_t named = 0;
  for (const auto& c : f.calls) {
    EXPECT_LE(c.name.size(), kMaxNameBytes);
    EXPECT_LE(c.text.size(), kMaxSnippetBytes);
    EXPECT_LE(c.full_text.size(), kMaxCallTextBytes);
    if (c.name == "numpy.b") ++named;
  }
  EXPECT_EQ(named, 1u);
  EXPECT_TRUE(std::any_of(f.calls.begin(), f.calls.end(),
                          [](const PyCall& c) { return c.name == "numpy.b().b().b"; }));
}

TEST(PythonAnalyser, ChainsOfAssignedNamesStayBounded) {
  // Each `vN = vM.copy()` named the result after the previous name's, one call longer each
  // time: 20,000 lines took gigabytes before names past kMaxNameBytes were given up here too.
  std::string src = "import pandas as pd\nv0 = pd.read_csv('x')\n";
  for (int i = 1; i < 20000; ++i)
    src += "v" + std::to_string(i) + " = v" + std::to_string(i - 1) + ".copy()\n";
  PythonFacts f = analyse_python(src);
  ASSERT_EQ(f.calls.size(), 20000u);
  for (const auto& c : f.calls) EXPECT_LE(c.name.size(), 2 * kMaxNameBytes);
  EXPECT_EQ(f.calls[2].name, "pandas.read_csv().copy().copy");
}

TEST(PythonAnalyser, LongApplicationChainsStayBounded) {
  PythonFacts f = analyse_python("import numpy as np\nnp.f" + repeat("(1)", 100000) + "\n");
  ASSERT_FALSE(f.calls.empty());
  for (const auto& c : f.calls) EXPECT_LE(c.name.size(), kMaxNameBytes);
  EXPECT_TRUE(
      std::any_of(f.calls.begin(), f.calls.end(), [](const PyCall& c) { return c.name == "numpy.f"; }));
  EXPECT_TRUE(
      std::any_of(f.calls.begin(), f.calls.end(), [](const PyCall& c) { return c.name == "numpy.f()()"; }));
}

TEST(PythonAnalyser, DottedNamesPastTheCapAreNotBuilt) {
  std::string long_name = "a" + repeat(".x", 200);
  PythonFacts f = analyse_python(long_name + "()\nshort.name()\n");
  for (const auto& c : f.calls) EXPECT_LE(c.name.size(), kMaxNameBytes);
  EXPECT_TRUE(
      std::any_of(f.calls.begin(), f.calls.end(), [](const PyCall& c) { return c.name == "short.name"; }));
}

// A file with more calls than a file's facts may hold: the walk stops and says so.
TEST(PythonAnalyser, StopsAtTheCallBudgetAndSaysSo) {
  PythonFacts f = analyse_python("import numpy as np\n" + repeat("f(x)\n", kMaxPythonCallsPerFile + 10));
  EXPECT_EQ(f.calls.size(), kMaxPythonCallsPerFile);
  EXPECT_GT(f.truncated_after, 0u);
  PythonFacts small = analyse_python("f(x)\n");
  EXPECT_EQ(small.truncated_after, 0u);
}

// Over kPythonChunkBytes a file is parsed a chunk of top-level statements at a time: facts and
// queries see the whole file with its own line numbers, and imports carry across chunks.
TEST(PythonAnalyser, LargeFilesAreParsedInChunksWithTheSameFacts) {
  std::string code = "import numpy as np\n";
  int line = 1;
  // Statements that chunk boundaries must not cut: a multi-line string with lines at column 0,
  // bracketed continuations, backslash continuations and else branches.
  while (code.size() < 3 * kPythonChunkBytes) {
    code +=
        "DOC = \"\"\"\nnot_code()\n\"\"\"\nx = f(\n1)\ny = 1 + \\\n2\nif y:\n    pass\nelse:\n    z = 3\n"
        "@dec\ndef g():\n    pass\n";
    line += 14;
  }
  code += "np.random.seed(0)\n";
  const int seed_line = line + 1;
  PythonFacts f = analyse_python(code);
  EXPECT_EQ(f.first_error_line, 0);
  EXPECT_EQ(f.truncated_after, 0u);
  auto seed = std::find_if(f.calls.begin(), f.calls.end(),
                           [](const PyCall& c) { return c.name == "numpy.random.seed"; });
  ASSERT_NE(seed, f.calls.end());
  EXPECT_EQ(seed->line, seed_line);
  EXPECT_TRUE(
      std::none_of(f.calls.begin(), f.calls.end(), [](const PyCall& c) { return c.name == "not_code"; }));
  auto q = PyTreeQuery::compile("(call function: (attribute) @f)", "f");
  ASSERT_TRUE(q.query) << q.error;
  PyQueryResult r = PythonParse(code).run(*q.query, 10);
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].line, seed_line);
  EXPECT_EQ(r.matches[0].text, "np.random.seed");
}

// tree-sitter's query cursor took 70 s over a 100,000-deep chain of calls: trees deeper than
// kMaxTreeQueryDepth are not queried, and the result says so.
TEST(PythonAnalyser, RawQueriesSkipTreesNestedTooDeep) {
  auto q = PyTreeQuery::compile(
      "(call function: (attribute attribute: (identifier) @m (#eq? @m \"fit\"))) @call", "");
  ASSERT_TRUE(q.query) << q.error;
  PyQueryResult deep =
      PythonParse("np.f" + repeat("(1)", 2 * kMaxTreeQueryDepth) + "\nm.fit(x)\n").run(*q.query, 10);
  EXPECT_TRUE(deep.truncated);
  PyQueryResult shallow = PythonParse("np.f(1)(1)\nm.fit(x)\n").run(*q.query, 10);
  EXPECT_FALSE(shallow.truncated);
  ASSERT_EQ(shallow.matches.size(), 1u);
  EXPECT_EQ(shallow.matches[0].line, 2);
}

}  // namespace
}  // namespace mlops
