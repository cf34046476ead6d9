// The lexer's strings and imports against what the tree-sitter walk reports for the same source.
#include "analysers/python_lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mlops {
namespace {

std::vector<std::string> strings_of(std::string_view src, bool* certain = nullptr) {
  std::vector<std::string> out;
  const bool ok = each_python_string(src, [&](std::string_view v) {
    out.emplace_back(v);
    return true;
  });
  if (certain) *certain = ok;
  return out;
}

std::string show(const std::vector<PyImport>& imports) {
  std::string out;
  for (const auto& i : imports)
    out += i.module + "@" + std::to_string(i.line) + ":" + std::to_string(i.column) + "/" +
           std::to_string(i.scope) + " ";
  return out;
}

// The scanner reads what the walk reports, relative imports aside.
void expect_same_imports(const std::string& src) {
  auto scanned = scan_python_imports(src);
  ASSERT_TRUE(scanned.has_value()) << src;
  std::vector<PyImport> walked;
  for (const auto& i : analyse_python(src).imports)
    if (!i.module.starts_with('.')) walked.push_back(i);
  EXPECT_EQ(show(*scanned), show(walked)) << src;
}

TEST(PythonLexer, StringContentsWithoutQuotesOrPrefixes) {
  EXPECT_EQ(strings_of("a = 'x'\nb = \"y\" # 'not a string'\nc = rb'\\\\d'\nd = '''multi\nline'''\n"),
            (std::vector<std::string>{"x", "y", "\\\\d", "multi\nline"}));
  // A raw string's backslash still keeps the quote from closing it.
  EXPECT_EQ(strings_of("p = r'a\\'b'\n"), (std::vector<std::string>{"a\\'b"}));
}

TEST(PythonLexer, FStringLiteralPartsAndNestedStrings) {
  EXPECT_EQ(strings_of("f'/home/{user}/data.csv'\n"), (std::vector<std::string>{"/home//data.csv"}));
  EXPECT_EQ(strings_of("f\"{d['key']}/x\"\n"), (std::vector<std::string>{"key", "/x"}));
  // No literal part: the walk takes the whole text between the quotes.
  EXPECT_EQ(strings_of("f'{a:03d}'\n"), (std::vector<std::string>{"", "{a:03d}"}));
}

TEST(PythonLexer, UncertainSourcesSaySo) {
  bool certain = true;
  strings_of("s = 'unterminated\n", &certain);
  EXPECT_FALSE(certain);
  strings_of("x = (1, 2\n", &certain);
  EXPECT_FALSE(certain);
  strings_of("f'{x # comment}'\n", &certain);
  EXPECT_FALSE(certain);
}

TEST(PythonLexer, EveryStringTheWalkSeesIsLexed) {
  const std::string src =
      "\"\"\"Doc.\"\"\"\nimport os\nP = '/mnt/a' + \"b\" 'c'\ndef f(x=u'y'):\n    return f'{x!r:>{w}}/z' + "
      "F'''{{lit}}'''\nclass C:\n    s = b'\\x00'\n";
  bool certain = false;
  const auto lexed = strings_of(src, &certain);
  ASSERT_TRUE(certain);
  for (const auto& s : analyse_python(src).strings)
    EXPECT_NE(std::find(lexed.begin(), lexed.end(), s.value), lexed.end()) << s.value;
}

TEST(PythonLexer, ImportsAsTheWalkReportsThem) {
  expect_same_imports(
      "import os\nimport numpy as np, torch.nn as nn\nfrom sklearn.model_selection import (\n"
      "    train_test_split,\n    KFold as K,\n)\nfrom a.b import *\n");
  expect_same_imports(
      "from . import sibling\nfrom ..pkg import x\nfrom __future__ import annotations\nimport a.b.c\n");
  expect_same_imports("import os; import sys\nx = 1; from json import loads\n");
  expect_same_imports("import a \\\n  , b\n");
}

TEST(PythonLexer, ImportScopesFollowFunctionsNotClasses) {
  expect_same_imports(
      "import top\n\n@decorator\ndef train(\n    cfg,\n):\n    '''Trains.'''\n    import torch\n\n"
      "    # comment\n    if cfg:\n        from mlflow import log_metric\n    class Inner:\n        import "
      "yaml\n\n"
      "import after\nclass Model:\n    import json\n    def fit(self):\n        import sklearn\n"
      "    async def predict(self):\n        import onnx\n    import pickle\n");
  expect_same_imports("def f(): return 1\nimport same_line_def_closed\n");
}

TEST(PythonLexer, ByteOrderMarkCountsInColumns) {
  expect_same_imports("\xEF\xBB\xBFimport os\ndef f():\n  import sys\n");
}

TEST(PythonLexer, StatementsItDoesNotReadLeaveItUnsure) {
  EXPECT_FALSE(scan_python_imports("if x: import y\n"));
  EXPECT_FALSE(scan_python_imports("try: import ujson as json\nexcept ImportError: pass\n"));
  EXPECT_FALSE(scan_python_imports("def f():\n\timport os\n"));  // tab indentation
  EXPECT_FALSE(scan_python_imports("import (os\n"));
  EXPECT_FALSE(scan_python_imports("from m import a,\n"));
  EXPECT_FALSE(scan_python_imports("import a . b\n"));
  EXPECT_FALSE(scan_python_imports("s = 'open\nimport os\n"));
  EXPECT_FALSE(scan_python_imports(std::string(300 * 1024, '#')));
  // Words in strings and comments are not statements.
  auto imports = scan_python_imports("'''\nimport fake\n'''\n# import other\nx = 'from a import b'\n");
  ASSERT_TRUE(imports.has_value());
  EXPECT_TRUE(imports->empty());
}

}  // namespace
}  // namespace mlops
