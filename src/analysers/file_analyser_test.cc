#include "analysers/file_analyser.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <string>

#include "analysers/ci_config.h"
#include "analysers/python_analyser.h"

namespace mlops {
namespace {

FileQuery content(const std::string& pattern, std::vector<std::string> prefilter = {}) {
  FileQuery q;
  q.kind = QueryKind::Content;
  q.pattern = pattern;
  q.regex = mlops::Regex::compiled("(?m)" + pattern);
  q.prefilter = std::move(prefilter);
  return q;
}

FileQuery yaml_query(const std::string& path, ValueOp op = ValueOp::Exists, const std::string& value = "") {
  FileQuery q;
  q.kind = QueryKind::Yaml;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    q.key_path.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  q.op = op;
  if (op == ValueOp::Equals) q.value = value;
  if (op == ValueOp::Matches) {
    q.pattern = value;
    q.regex = mlops::Regex::compiled(value);
  }
  return q;
}

FileFacts run(const std::string& path, const std::string& bytes, const std::vector<FileQuery>& queries) {
  FileEntry e;
  e.path = path;
  e.size = bytes.size();
  std::vector<size_t> all;
  for (size_t i = 0; i < queries.size(); ++i) all.push_back(i);
  return analyse_file(e, bytes, queries, all);
}

TEST(FileAnalyser, ContentMatchesWithLineAndColumn) {
  std::vector<FileQuery> qs = {content("TODO\\w*")};
  FileFacts f = run("a.py", "x = 1\n  # TODOs here\nno\nTODO again\n", qs);
  ASSERT_EQ(f.query_matches.size(), 1u);
  ASSERT_EQ(f.query_matches[0].size(), 2u);
  EXPECT_EQ(f.query_matches[0][0].line, 2);
  EXPECT_EQ(f.query_matches[0][0].column, 5);
  EXPECT_EQ(f.query_matches[0][0].text, "# TODOs here");
  EXPECT_EQ(f.query_matches[0][1].line, 4);
  EXPECT_EQ(f.query_matches[0][1].column, 1);
  EXPECT_FALSE(f.binary);
  EXPECT_FALSE(f.unreadable);
  EXPECT_TRUE(f.diagnostics.empty());
}

TEST(FileAnalyser, ContentAnchorsAreLineAnchors) {
  std::vector<FileQuery> qs = {content("^import os$")};
  FileFacts f = run("a.py", "x = 1\nimport os\nimport os.path\n", qs);
  ASSERT_EQ(f.query_matches[0].size(), 1u);
  EXPECT_EQ(f.query_matches[0][0].line, 2);
}

TEST(FileAnalyser, OnlyRelevantQueriesAreAnswered) {
  std::vector<FileQuery> qs = {content("a"), content("b")};
  FileEntry e;
  e.path = "x.txt";
  FileFacts f = analyse_file(e, "a\nb\n", qs, {1});
  ASSERT_EQ(f.query_matches.size(), 2u);
  EXPECT_TRUE(f.query_matches[0].empty());
  EXPECT_EQ(f.query_matches[1].size(), 1u);
}

TEST(FileAnalyser, PrefilterSkipsFiles) {
  std::vector<FileQuery> qs = {content("secret", {"NEEDLE"}), content("secret", {"secret"})};
  FileFacts f = run("a.txt", "a secret\n", qs);
  EXPECT_TRUE(f.query_matches[0].empty());
  EXPECT_EQ(f.query_matches[1].size(), 1u);

  FileQuery word = content("fit", {"fit"});
  word.prefilter_words = true;
  FileFacts g = run("a.txt", "outfit\n", {word});
  EXPECT_TRUE(g.query_matches[0].empty());
  FileFacts h = run("a.txt", "model.fit()\n", {word});
  EXPECT_EQ(h.query_matches[0].size(), 1u);
}

TEST(FileAnalyser, MatchesPerQueryAreBounded) {
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "hit\n";
  FileFacts f = run("a.txt", many, {content("hit")});
  EXPECT_EQ(f.query_matches[0].size(), kMaxMatchesPerQuery);
}

TEST(FileAnalyser, SecretGroupIsMasked) {
  std::vector<FileQuery> qs = {content(R"re(api_key\s*=\s*"(?P<secret>[A-Za-z0-9]{16,})")re")};
  FileFacts f = run("settings.py", "api_key = \"ABCDEFGHIJKLMNOPQRSTUVWX\"\n", qs);
  ASSERT_EQ(f.query_matches[0].size(), 1u);
  const std::string& text = f.query_matches[0][0].text;
  EXPECT_EQ(text.find("ABCDEFGHIJKLMNOPQRSTUVWX"), std::string::npos) << text;
  EXPECT_EQ(text.find("EFGH"), std::string::npos) << text;
  EXPECT_NE(text.find("****"), std::string::npos) << text;
  EXPECT_NE(text.find("api_key"), std::string::npos) << text;
  EXPECT_EQ(f.query_matches[0][0].column, 1);
}

TEST(FileAnalyser, SecretGroupMaskedInPythonStrings) {
  FileQuery q;
  q.kind = QueryKind::PythonString;
  q.pattern = "^sk-(?P<secret>[a-z0-9]{20,})$";
  q.regex = mlops::Regex::compiled(q.pattern);
  FileFacts f = run("a.py", "KEY = 'sk-abcdefghijklmnopqrstuvwxyz'\n", {q});
  ASSERT_EQ(f.query_matches[0].size(), 1u);
  EXPECT_EQ(f.query_matches[0][0].text.find("abcdefghijklmnopqrstuvwxyz"), std::string::npos);
  EXPECT_EQ(f.query_matches[0][0].line, 1);
}

TEST(FileAnalyser, BinaryFilesAreFlagged) {
  std::string bytes = std::string("PK\x03\x04", 4) + std::string(1, '\0') + "secret";
  FileFacts f = run("model.pkl", bytes, {content("secret")});
  EXPECT_TRUE(f.binary);
  EXPECT_TRUE(f.query_matches[0].empty());
}

TEST(FileAnalyser, YamlKeyPathWithWildcard) {
  std::string y =
      "jobs:\n"
      "  build:\n"
      "    runs-on: ubuntu-latest\n"
      "    steps:\n"
      "      - run: make\n"
      "      - run: pytest -q\n"
      "  lint:\n"
      "    steps:\n"
      "      - uses: actions/checkout@v4\n";
  std::vector<FileQuery> qs = {
      yaml_query("jobs.*.steps.*.run", ValueOp::Matches, "pytest"), yaml_query("jobs.*.steps.*.run"),
      yaml_query("jobs.build.runs-on", ValueOp::Equals, "ubuntu-latest"),
      yaml_query("jobs.build.runs-on", ValueOp::Equals, "windows"), yaml_query("jobs.missing")};
  FileFacts f = run(".github/workflows/ci.yml", y, qs);
  ASSERT_EQ(f.query_matches[0].size(), 1u);
  EXPECT_EQ(f.query_matches[0][0].line, 6);
  EXPECT_EQ(f.query_matches[1].size(), 2u);
  ASSERT_EQ(f.query_matches[2].size(), 1u);
  EXPECT_EQ(f.query_matches[2][0].line, 3);
  EXPECT_TRUE(f.query_matches[3].empty());
  EXPECT_TRUE(f.query_matches[4].empty());
  EXPECT_FALSE(f.unreadable);
}

TEST(FileAnalyser, YamlBesideKeysMustHoldInTheSameMap) {
  std::string y =
      "raw:\n"
      "  filepath: data/01_raw/x.csv\n"
      "  versioned: true\n"
      "regressor:\n"
      "  filepath: data/06_models/regressor.pkl\n"
      "  versioned: true\n"
      "scaler:\n"
      "  filepath: data/06_models/scaler.pkl\n";
  FileQuery q = yaml_query("*.versioned", ValueOp::Equals, "true");
  q.beside = {{"filepath", "models/"}};
  q.beside_regexes = {mlops::Regex::compiled("models/")};
  FileFacts f = run("conf/base/catalog.yml", y, {q});
  ASSERT_EQ(f.query_matches[0].size(), 1u);
  EXPECT_EQ(f.query_matches[0][0].line, 6);
}

TEST(FileAnalyser, YamlBesideReadsAListAsOneLine) {
  std::string y =
      "steps:\n"
      "  - {name: python, entrypoint: pip, args: [install, pytest]}\n"
      "  - {name: python, entrypoint: python, args: [-m, pytest, -q]}\n"
      "  - {name: python, entrypoint: python, args: {bad: shape}}\n";
  FileQuery q = yaml_query("steps.*.entrypoint", ValueOp::Equals, "python");
  q.beside = {{"args", "-m pytest"}};
  q.beside_regexes = {mlops::Regex::compiled("-m pytest")};
  FileFacts f = run("build/ci.yaml", y, {q});
  ASSERT_EQ(f.query_matches[0].size(), 1u);
  EXPECT_EQ(f.query_matches[0][0].line, 3);
}

TEST(FileAnalyser, YamlMultiDocument) {
  std::string y =
      "apiVersion: v1\n"
      "kind: Service\n"
      "---\n"
      "apiVersion: serving.kserve.io/v1beta1\n"
      "kind: InferenceService\n";
  FileFacts f = run("k8s/model.yaml", y, {yaml_query("kind", ValueOp::Equals, "InferenceService")});
  ASSERT_EQ(f.query_matches[0].size(), 1u);
  EXPECT_EQ(f.query_matches[0][0].line, 5);
}

TEST(FileAnalyser, YamlLacksLooksAtEachDocumentOnItsOwn) {
  std::string y =
      "kind: Rollout\n"
      "metadata: {name: gated}\n"
      "spec:\n"
      "  strategy:\n"
      "    canary:\n"
      "      steps:\n"
      "        - setWeight: 20\n"
      "        - analysis: {templates: [{templateName: error-rate}]}\n"
      "---\n"
      "kind: Rollout\n"
      "metadata: {name: ungated}\n"
      "spec:\n"
      "  strategy:\n"
      "    canary:\n"
      "      steps: [{setWeight: 20}, {pause: {}}]\n";
  FileQuery q = yaml_query("spec.strategy.canary");
  q.doc_kind = "Rollout";
  q.doc_lacks = {"spec.strategy.canary.analysis", "spec.strategy.canary.steps.*.analysis"};
  FileFacts f = run("deploy/rollouts.yaml", y, {q});
  ASSERT_EQ(f.query_matches[0].size(), 1u);
  EXPECT_EQ(f.query_matches[0][0].line, 14);
}

TEST(FileAnalyser, InvalidYamlIsDiagnosed) {
  std::string y = "a: 1\nb: [1, 2\nc: 3\n";
  FileFacts f = run("params.yaml", y, {yaml_query("a")});
  EXPECT_TRUE(f.unreadable);
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_EQ(f.diagnostics[0].where.path, "params.yaml");
  EXPECT_GE(f.diagnostics[0].where.line, 2);
  EXPECT_NE(f.diagnostics[0].message.find("invalid YAML"), std::string::npos);
  EXPECT_TRUE(f.query_matches[0].empty());
}

TEST(FileAnalyser, YamlAliasBombIsBounded) {
  std::string y =
      "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
      "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
      "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
      "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
      "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
      "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
  std::vector<FileQuery> qs = {yaml_query("i.*.*.*.*.*.*.*.*.*", ValueOp::Equals, "nope"),
                               yaml_query("*.*.*.*.*.*.*.*.*.*")};
  FileFacts f = run("bomb.yaml", y, qs);
  EXPECT_TRUE(f.query_matches[0].empty());
  EXPECT_LE(f.query_matches[1].size(), kMaxMatchesPerQuery);
  bool truncated = false;
  // Refused when loaded (its size with aliases expanded), before any walk.
  for (const auto& d : f.diagnostics)
    truncated = truncated ||
                d.message == "YAML holds more than 1000000 nodes once its aliases are expanded; not read";
  EXPECT_TRUE(truncated);
  EXPECT_TRUE(f.unreadable);
}

TEST(FileAnalyser, TomlQueriesAndInvalidToml) {
  FileQuery q;
  q.kind = QueryKind::Toml;
  q.key_path = {"tool", "pytest", "ini_options", "testpaths"};
  std::string ok = "[tool.pytest.ini_options]\naddopts = \"-q\"\ntestpaths = [\"tests\"]\n";
  FileFacts f = run("pyproject.toml", ok, {q});
  ASSERT_EQ(f.query_matches[0].size(), 1u);
  EXPECT_EQ(f.query_matches[0][0].line, 3);

  FileFacts bad = run("pyproject.toml", "[tool\nx = 1\n", {q});
  EXPECT_TRUE(bad.unreadable);
  ASSERT_EQ(bad.diagnostics.size(), 1u);
  EXPECT_EQ(bad.diagnostics[0].where.line, 1);
  EXPECT_NE(bad.diagnostics[0].message.find("invalid TOML"), std::string::npos);
}

TEST(FileAnalyser, DependencyQueries) {
  FileQuery declared;
  declared.kind = QueryKind::DependencyDeclared;
  declared.names = {"scikit-learn"};
  FileQuery unpinned;
  unpinned.kind = QueryKind::DependencyUnpinned;
  FileFacts f = run("requirements.txt", "numpy==1.0\nScikit_Learn>=1\n", {declared, unpinned});
  ASSERT_EQ(f.query_matches[0].size(), 1u);
  EXPECT_EQ(f.query_matches[0][0].line, 2);
  ASSERT_EQ(f.query_matches[1].size(), 1u);
  EXPECT_EQ(f.query_matches[1][0].text, "Scikit_Learn>=1");

  FileFacts conda = run("environment.yml", "name: x\nchannels: [defaults]\n", {declared, unpinned});
  EXPECT_TRUE(conda.query_matches[0].empty());
  EXPECT_FALSE(conda.unreadable);
}

TEST(FileAnalyser, PythonQueriesInNotebookMapToCells) {
  std::string nb = R"NB({
 "cells": [
  {"cell_type": "markdown", "source": ["text"]},
  {"cell_type": "code", "execution_count": 1, "outputs": [],
   "source": ["import torch\n",
              "torch.manual_seed(0)\n"]}
 ],
 "nbformat": 4
})NB";
  FileQuery call;
  call.kind = QueryKind::PythonCall;
  call.names = {"torch.manual_seed"};
  FileFacts f = run("nb.ipynb", nb, {call});
  ASSERT_EQ(f.query_matches[0].size(), 1u);
  const Match& m = f.query_matches[0][0];
  EXPECT_EQ(m.cell, 2);
  EXPECT_EQ(m.cell_line, 2);
  EXPECT_EQ(m.line, 6);
}

TEST(FileAnalyser, NotebookCellThatDoesNotParseIsLeftOut) {
  // Cell 2 lacks its colon: Jupyter runs none of it, and joined with the others it must not
  // make the parser misread cell 3's fit.
  std::string nb = R"NB({
 "cells": [
  {"cell_type": "code", "execution_count": 1, "outputs": [], "source": ["import keras\n"]},
  {"cell_type": "code", "execution_count": 2, "outputs": [], "source": ["for w in words.values()"]},
  {"cell_type": "code", "execution_count": 3, "outputs": [],
   "source": ["emb = [v[w] for w in words.values()]\n",
              "model.fit(X, y, epochs=3)\n"]}
 ],
 "nbformat": 4
})NB";
  FileQuery fit;
  fit.kind = QueryKind::PythonCall;
  fit.names = {"*.fit"};
  fit.has_keywords = {"epochs"};
  FileFacts f = run("nb.ipynb", nb, {fit});
  ASSERT_EQ(f.query_matches[0].size(), 1u);
  EXPECT_EQ(f.query_matches[0][0].cell, 3);
  EXPECT_EQ(f.query_matches[0][0].cell_line, 2);
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_EQ(f.diagnostics[0].where.cell, 2);
  EXPECT_NE(f.diagnostics[0].message.find("syntax error in this cell"), std::string::npos);
}

TEST(FileAnalyser, PythonCallKeywordConditions) {
  FileQuery lacks;
  lacks.kind = QueryKind::PythonCall;
  lacks.names = {"sklearn.model_selection.train_test_split"};
  lacks.lacks_keywords = {"random_state"};
  std::string src =
      "from sklearn.model_selection import train_test_split\n"
      "train_test_split(X, y)\n"
      "train_test_split(X, y, random_state=1)\n"
      "train_test_split(X, y, **kw)\n";
  FileFacts f = run("a.py", src, {lacks});
  ASSERT_EQ(f.query_matches[0].size(), 1u);
  EXPECT_EQ(f.query_matches[0][0].line, 2);
}

std::vector<int> lines_of(const std::vector<Match>& ms) {
  std::vector<int> out;
  for (const auto& m : ms) out.push_back(m.line);
  return out;
}

const std::vector<Match>& matches(const FileFacts& f, size_t q) {
  static const std::vector<Match> kNone;
  return q < f.query_matches.size() ? f.query_matches[q] : kNone;
}

TEST(FileAnalyser, PythonCallKeywordValues) {
  const std::string split = "sklearn.model_selection.train_test_split";
  FileQuery unshuffled;
  unshuffled.kind = QueryKind::PythonCall;
  unshuffled.names = {split};
  unshuffled.keyword_values = {{"shuffle", "false"}};  // YAML's spelling of False
  FileQuery shuffled = unshuffled;
  shuffled.keyword_values.clear();
  shuffled.keyword_not_values = {{"shuffle", "False"}};
  FileQuery sized = unshuffled;
  sized.keyword_values = {{"test_size", "0.2"}, {"stratify", "None"}};
  std::string src =
      "from sklearn.model_selection import train_test_split\n"
      "train_test_split(X, y, shuffle=False)\n"
      "train_test_split(X, y, shuffle=True)\n"
      "train_test_split(X, y)\n"
      "train_test_split(X, y, shuffle=cfg.shuffle)\n"
      "train_test_split(X, y, **kw)\n"
      "train_test_split(X, y, test_size=0.2, stratify=None)\n"
      "train_test_split(X, y, shuffle='False')  # a string spelled like the literal\n"
      "# train_test_split(X, y, shuffle=False)\n"
      "train_test_split(X, y, shuffle=True, **kw)\n";
  FileFacts f = run("a.py", src, {unshuffled, shuffled, sized});
  EXPECT_EQ(lines_of(matches(f, 0)), (std::vector<int>{2, 8}));
  // Does not pass shuffle=False: absent or another value; not a call whose **kw may hold it,
  // unless shuffle is written out.
  EXPECT_EQ(lines_of(matches(f, 1)), (std::vector<int>{3, 4, 5, 7, 10}));
  EXPECT_EQ(lines_of(matches(f, 2)), (std::vector<int>{7}));
  // The new fields make distinct queries.
  EXPECT_NE(unshuffled.fingerprint(), shuffled.fingerprint());
  EXPECT_NE(unshuffled.fingerprint(), sized.fingerprint());
}

TEST(FileAnalyser, PythonClassAndAssign) {
  FileQuery module;
  module.kind = QueryKind::PythonClass;
  module.bases = {"torch.nn.Module"};
  FileQuery named;
  named.kind = QueryKind::PythonClass;
  named.names = {"*Dataset"};
  FileQuery seed;
  seed.kind = QueryKind::PythonAssign;
  seed.names = {"*SEED*"};
  FileQuery url;
  url.kind = QueryKind::PythonAssign;
  url.names = {"*"};
  url.pattern = "^https?://";
  url.regex = mlops::Regex::compiled(url.pattern);
  std::string src =
      "from torch import nn\n"
      "RANDOM_SEED = 7\n"
      "ENDPOINT = 'http://example.invalid/predict'\n"
      "class Block(nn.Module):\n"
      "    SEED_IN_CLASS = 3\n"
      "class Net(Block):\n"
      "    pass\n"
      "class MyDataset(object):\n"
      "    pass\n"
      "# class Fake(nn.Module):\n"
      "def f():\n"
      "    OTHER_SEED = 1\n";
  FileFacts f = run("model.py", src, {module, named, seed, url});
  EXPECT_EQ(lines_of(matches(f, 0)), (std::vector<int>{4, 6}));  // Net derives through Block
  ASSERT_EQ(matches(f, 0).size(), 2u);
  EXPECT_EQ(matches(f, 0)[1].text, "class Net");
  EXPECT_EQ(lines_of(matches(f, 1)), (std::vector<int>{8}));
  ASSERT_EQ(matches(f, 2).size(), 1u);
  EXPECT_EQ(matches(f, 2)[0].text, "RANDOM_SEED = 7");
  EXPECT_EQ(lines_of(matches(f, 3)), (std::vector<int>{3}));
  EXPECT_NE(module.fingerprint(), named.fingerprint());

  // Exclusions work in every python_* name list, as in python_call's.
  FileQuery not_block;
  not_block.kind = QueryKind::PythonClass;
  not_block.bases = {"torch.nn.Module"};
  not_block.names = {"*", "!Block"};
  EXPECT_EQ(lines_of(matches(run("model.py", src, {not_block}), 0)), (std::vector<int>{6}));
}

TEST(FileAnalyser, ClassInheritanceCycleTerminates) {
  FileQuery module;
  module.kind = QueryKind::PythonClass;
  module.bases = {"torch.nn.Module"};
  FileFacts f =
      run("a.py", "class A(B):\n    pass\nclass B(A):\n    pass\nclass A(A):\n    pass\n", {module});
  EXPECT_TRUE(matches(f, 0).empty());
}

FileQuery tree_query(const std::string& text, const std::string& capture = "") {
  FileQuery q;
  q.kind = QueryKind::PythonQuery;
  q.pattern = text;
  q.capture = capture;
  PyTreeQuery::Result r = PyTreeQuery::compile(text, capture);
  EXPECT_TRUE(r.query) << r.error;
  q.tree_query = std::move(r.query);
  return q;
}

TEST(FileAnalyser, PythonTreeQueryInFilesAndNotebooks) {
  FileQuery fit = tree_query("(call function: (attribute attribute: (identifier) @m (#eq? @m \"fit\")))");
  FileFacts py = run("train.py", "import x\nmodel.fit(X)\n# model.fit(X)\n", {fit});
  ASSERT_EQ(matches(py, 0).size(), 1u);
  EXPECT_EQ(matches(py, 0)[0].line, 2);
  EXPECT_EQ(matches(py, 0)[0].column, 7);
  EXPECT_EQ(matches(py, 0)[0].text, "fit");
  std::string nb = R"NB({
 "cells": [
  {"cell_type": "markdown", "source": ["model.fit(X)"]},
  {"cell_type": "code", "execution_count": 1, "outputs": [],
   "source": ["import torch\n",
              "model.fit(X)\n"]}
 ],
 "nbformat": 4
})NB";
  FileQuery cls;
  cls.kind = QueryKind::PythonClass;
  cls.names = {"*"};
  FileFacts f = run("nb.ipynb", nb, {fit, cls});
  ASSERT_EQ(matches(f, 0).size(), 1u);
  EXPECT_EQ(matches(f, 0)[0].cell, 2);
  EXPECT_EQ(matches(f, 0)[0].cell_line, 2);
  EXPECT_EQ(matches(f, 0)[0].line, 6);
  EXPECT_TRUE(matches(f, 1).empty());
}

TEST(FileAnalyser, NotebookClassesAndAssignsMapToCells) {
  std::string nb = R"NB({
 "cells": [
  {"cell_type": "code", "execution_count": 1, "outputs": [], "source": ["SEED = 3\n"]},
  {"cell_type": "code", "execution_count": 2, "outputs": [],
   "source": ["import torch.nn as nn\n",
              "class Net(nn.Module):\n",
              "    pass\n"]}
 ],
 "nbformat": 4
})NB";
  FileQuery module;
  module.kind = QueryKind::PythonClass;
  module.bases = {"torch.nn.*"};
  FileQuery seed;
  seed.kind = QueryKind::PythonAssign;
  seed.names = {"SEED"};
  FileFacts f = run("nb.ipynb", nb, {module, seed});
  ASSERT_EQ(matches(f, 0).size(), 1u);
  EXPECT_EQ(matches(f, 0)[0].cell, 2);
  EXPECT_EQ(matches(f, 0)[0].cell_line, 2);
  ASSERT_EQ(matches(f, 1).size(), 1u);
  EXPECT_EQ(matches(f, 1)[0].cell, 1);
}

TEST(FileAnalyser, SyntaxErrorIsDiagnosedButFactsKept) {
  FileQuery imp;
  imp.kind = QueryKind::PythonImport;
  imp.names = {"torch"};
  FileFacts f = run("a.py", "import torch.nn\ndef f(:\n", {imp});
  EXPECT_EQ(f.query_matches[0].size(), 1u);
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_EQ(f.diagnostics[0].where.line, 2);
}

TEST(FileAnalyser, InvalidNotebookIsUnreadable) {
  FileQuery imp;
  imp.kind = QueryKind::PythonImport;
  imp.names = {"torch"};
  FileFacts f = run("nb.ipynb", "{\n\"cells\": [\n", {imp});
  EXPECT_TRUE(f.unreadable);
  ASSERT_FALSE(f.diagnostics.empty());
  EXPECT_GE(f.diagnostics[0].where.line, 2);
}

}  // namespace
}  // namespace mlops

namespace mlops {
namespace {

FileQuery call_query(const std::string& name, const std::string& literal) {
  FileQuery q;
  q.kind = QueryKind::PythonCall;
  q.names = {name};
  q.prefilter = {literal};
  q.prefilter_words = true;
  q.prefilter_calls = true;
  return q;
}

std::vector<Match> calls_in(const std::string& source, bool with_index) {
  std::vector<FileQuery> qs = {call_query("sklearn.model_selection.train_test_split", "train_test_split")};
  FileEntry e;
  e.path = "split.py";
  e.size = source.size();
  PrefilterIndex index(qs);
  FileFacts f = analyse_file(e, source, qs, {0}, with_index ? &index : nullptr);
  return f.query_matches.empty() ? std::vector<Match>{} : f.query_matches[0];
}

TEST(Prefilter, CallShapedLiteralsSkipFilesThatOnlyImport) {
  for (bool with_index : {false, true}) {
    EXPECT_TRUE(calls_in("from sklearn.model_selection import train_test_split\n", with_index).empty());
    auto called = calls_in(
        "from sklearn.model_selection import train_test_split\nx = train_test_split (a, b)\n", with_index);
    ASSERT_EQ(called.size(), 1u);
    EXPECT_EQ(called[0].line, 2);
    // An alias hides the call's name: `as` keeps the file a candidate.
    auto aliased =
        calls_in("from sklearn.model_selection import train_test_split as tts\nx = tts(a, b)\n", with_index);
    ASSERT_EQ(aliased.size(), 1u);
    EXPECT_EQ(aliased[0].line, 2);
    // A longer identifier that merely contains the name is no call of it.
    EXPECT_TRUE(calls_in("my_train_test_split_helper(a)\n", with_index).empty());
  }
}

TEST(Prefilter, IndexAgreesWithLiteralScanForManyQueries) {
  std::vector<FileQuery> qs;
  for (const char* lit : {"alpha", "beta", "gamma", "delta"})
    qs.push_back(content(std::string(lit) + "\\d", {lit}));
  PrefilterIndex index(qs);
  std::vector<size_t> all = {0, 1, 2, 3};
  FileEntry e;
  e.path = "x.txt";
  const std::string text = "beta1 and delta2 but not alpha\n";
  FileFacts with = analyse_file(e, text, qs, all, &index);
  FileFacts without = analyse_file(e, text, qs, all);
  EXPECT_EQ(with.query_matches, without.query_matches);
  ASSERT_GE(with.query_matches.size(), 4u);
  EXPECT_EQ(with.query_matches[1].size(), 1u);
  EXPECT_EQ(with.query_matches[3].size(), 1u);
}

// A match on a huge line keeps a short snippet (masked before it is cut), not the line.
TEST(FileAnalyser, SnippetsOfHugeLinesAreCapped) {
  const std::string pad(4 << 20, 'x');
  std::vector<FileQuery> qs = {content(R"re(api_key\s*=\s*"(?P<secret>[A-Za-z0-9]{16,})")re"),
                               content("needle")};
  FileFacts f = run("settings.py",
                    "api_key = \"ABCDEFGHIJKLMNOPQRSTUVWX\" " + pad + "\n" + pad + " needle " + pad + "\n" +
                        pad + "api_key = \"ABCDEFGHIJKLMNOPQRSTUVWX\"\n",
                    qs);
  ASSERT_EQ(f.query_matches[0].size(), 2u);
  for (const auto& m : f.query_matches[0]) {
    EXPECT_LE(m.text.size(), kMaxSnippetBytes);
    EXPECT_EQ(m.text.find("EFGH"), std::string::npos) << m.text.substr(0, 80);
  }
  EXPECT_NE(f.query_matches[0][0].text.find("****"), std::string::npos);
  ASSERT_EQ(f.query_matches[1].size(), 1u);
  EXPECT_EQ(f.query_matches[1][0].text.size(), kMaxSnippetBytes);
  EXPECT_EQ(f.query_matches[1][0].column, (4 << 20) + 2);
}

// A Python file too large for the walk's budget still yields facts, and a diagnostic says they
// may be incomplete.
TEST(FileAnalyser, PythonWalkBudgetIsReported) {
  std::string code = "import numpy as np\n";
  for (size_t i = 0; i < kMaxPythonCallsPerFile + 1; ++i) code += "f(x)\n";
  code += "np.random.seed(0)\n";
  FileQuery q;
  q.kind = QueryKind::PythonCall;
  q.names = {"f"};
  FileFacts f = run("big.py", code, {q});
  ASSERT_FALSE(f.query_matches.empty());
  EXPECT_EQ(f.query_matches[0].size(), kMaxMatchesPerQuery);
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_TRUE(f.diagnostics[0].message.starts_with("analysis stopped after ")) << f.diagnostics[0].message;
  EXPECT_TRUE(f.diagnostics[0].message.ends_with(" syntax nodes; findings in this file may be incomplete"));
}

// Typed facts: build commands carry runner and scope, GitLab directives their kind, and
// requirements files their -r / -c references and pins, each as separate fields.
FileQuery of_kind(QueryKind k) {
  FileQuery q;
  q.kind = k;
  return q;
}

TEST(FileAnalyserFacts, BuildCommandsCarryRunnerAndScope) {
  FileFacts f = run("Makefile", "test:\n\tpytest -q\n", {of_kind(QueryKind::BuildCommands)});
  // The target itself (an empty command: it exists), then its recipe line.
  ASSERT_EQ(f.query_matches[0].size(), 2u);
  EXPECT_EQ(f.query_matches[0][0].head(), "test");
  EXPECT_EQ(f.query_matches[0][0].value(), "");
  const Match& m = f.query_matches[0][1];
  EXPECT_EQ(m.kind, FactKind::Command);
  EXPECT_EQ(m.runner, Runner::Make);
  EXPECT_EQ(m.head(), "test");
  EXPECT_EQ(m.value(), "pytest -q");
  EXPECT_EQ(m.line, 2);
}

TEST(FileAnalyserFacts, GitlabDirectivesAreTyped) {
  const std::string ci =
      "include:\n  - local: ci/test.yml\n.tests:\n  script: [pytest]\nother:\n  extends: .far\n"
      "job:\n  script: [make lint]\n";
  FileFacts f = run(".gitlab-ci.yml", ci, {of_kind(QueryKind::CiCommands)});
  std::vector<std::string> got;
  for (const auto& m : f.query_matches[0])
    got.push_back(std::string(fact_kind_name(m.kind)) + "|" + std::string(m.head()) + "|" +
                  std::string(m.value()) + "|" + runner_name(m.runner));
  EXPECT_EQ(got, (std::vector<std::string>{"ci-include||ci/test.yml|", "ci-template|.tests|pytest|",
                                           "ci-extends||.far|", "command||make lint|"}));
  // A YAML fragment read as a build file: the same directives, run by the CI-YAML runner.
  FileFacts frag = run("ci/test.yml", "include: ci/more.yml\nunit:\n  script: [pytest]\n",
                       {of_kind(QueryKind::BuildCommands)});
  ASSERT_EQ(frag.query_matches[0].size(), 2u);
  EXPECT_EQ(frag.query_matches[0][0].kind, FactKind::CiInclude);
  EXPECT_EQ(frag.query_matches[0][0].runner, Runner::CiYaml);
  EXPECT_EQ(frag.query_matches[0][1].kind, FactKind::Command);
  EXPECT_EQ(frag.query_matches[0][1].value(), "pytest");
}

TEST(FileAnalyserFacts, RequirementIncludesAndPins) {
  FileFacts f = run("requirements.txt", "-r base.txt\n-c constraints.txt\ntorch==2.1\nnumpy\n",
                    {of_kind(QueryKind::RequirementIncludes)});
  std::vector<std::string> got;
  for (const auto& m : f.query_matches[0])
    got.push_back(std::string(fact_kind_name(m.kind)) + " " + m.text + " " + std::to_string(m.line));
  EXPECT_EQ(
      got, (std::vector<std::string>{"requirement-include base.txt 1",
                                     "requirement-constraint constraints.txt 2", "requirement-pin torch 3"}));
}

TEST(FileAnalyserFacts, MainDependenciesNameTheProject) {
  FileQuery q = of_kind(QueryKind::DependencyDeclared);
  q.main_only = true;
  FileFacts f = run("pyproject.toml", "[project]\nname = \"demo\"\ndependencies = [\"torch\"]\n", {q});
  ASSERT_EQ(f.query_matches[0].size(), 2u);
  EXPECT_EQ(f.query_matches[0][0].kind, FactKind::ProjectName);
  EXPECT_EQ(f.query_matches[0][0].value(), "demo");
  EXPECT_EQ(f.query_matches[0][1].kind, FactKind::Snippet);
}

// The facts cache and query deduplication key on fingerprint(): each kind's typed parameters
// must tell queries apart, and equal ones must stay equal.
TEST(FileQuery, FingerprintCoversEachKindsParameters) {
  FileQuery base = of_kind(QueryKind::PythonDef);
  base.names = {"train"};
  std::vector<FileQuery> variants(6, base);
  variants[0].def_with_calls = true;
  variants[1].def_test = true;
  variants[2].capture = "c";
  variants[3].min_output_bytes = 1024;
  variants[4].main_only = true;
  variants[5].value = "calls";
  std::vector<std::string> seen{base.fingerprint()};
  for (const auto& v : variants) {
    EXPECT_EQ(v.fingerprint(), FileQuery(v).fingerprint());
    for (const auto& other : seen) EXPECT_NE(v.fingerprint(), other);
    seen.push_back(v.fingerprint());
  }
}

}  // namespace
}  // namespace mlops
