#include "analysers/notebook.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

namespace mlops {
namespace {

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    if (nl == std::string::npos) nl = s.size();
    out.push_back(s.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

constexpr const char* kNotebook = R"NB({
 "cells": [
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": ["# Title\n", "import not_code\n"]
  },
  {
   "cell_type": "code",
   "execution_count": 1,
   "metadata": {},
   "outputs": [],
   "source": [
    "import pandas as pd\n",
    "%matplotlib inline\n",
    "!pip install x\n",
    "df = pd.read_csv('/home/a/b.csv')"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [{"output_type": "stream", "name": "stdout", "text": ["hello\n"]}],
   "source": "%%bash\necho hi\nls"
  },
  {
   "cell_type": "code",
   "execution_count": 3,
   "metadata": {},
   "outputs": [],
   "source": ["print(1)\n", "  %time x = 1\n", "print(2)\n"]
  }
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
)NB";

TEST(Notebook, CodeCellsBecomePythonWithLineMap) {
  NotebookResult r = extract_notebook(kNotebook);
  ASSERT_TRUE(r.error.empty()) << r.error;
  auto lines = split_lines(r.code.source);
  ASSERT_EQ(lines.size(), r.code.lines.size());
  ASSERT_EQ(lines.size(), 10u);
  EXPECT_EQ(lines[0], "import pandas as pd");
  EXPECT_EQ(lines[1], "");  // %matplotlib
  EXPECT_EQ(lines[2], "");  // !pip
  EXPECT_EQ(lines[3], "df = pd.read_csv('/home/a/b.csv')");
  // Whole %%bash cell blanked.
  EXPECT_EQ(lines[4], "");
  EXPECT_EQ(lines[5], "");
  EXPECT_EQ(lines[6], "");
  EXPECT_EQ(lines[7], "print(1)");
  EXPECT_EQ(lines[8], "");  // indented %time
  EXPECT_EQ(lines[9], "print(2)");
  EXPECT_EQ(r.code.source.find("not_code"), std::string::npos);

  EXPECT_EQ(r.code.lines[0].cell, 2);
  EXPECT_EQ(r.code.lines[0].cell_line, 1);
  EXPECT_EQ(r.code.lines[3].cell, 2);
  EXPECT_EQ(r.code.lines[3].cell_line, 4);
  EXPECT_EQ(r.code.lines[4].cell, 3);
  EXPECT_EQ(r.code.lines[4].cell_line, 1);
  EXPECT_EQ(r.code.lines[9].cell, 4);
  EXPECT_EQ(r.code.lines[9].cell_line, 3);
  // File lines point at the JSON line holding the source string.
  EXPECT_EQ(r.code.lines[0].file_line, 14);
  EXPECT_EQ(r.code.lines[3].file_line, 17);
  EXPECT_EQ(r.code.lines[4].file_line, 25);
  EXPECT_EQ(r.code.lines[7].file_line, 32);
  EXPECT_EQ(r.code.lines[9].file_line, 32);

  ASSERT_EQ(r.code.cells.size(), 3u);
  EXPECT_EQ(r.code.cells[0].cell, 2);
  EXPECT_EQ(r.code.cells[0].execution_count, 1);
  EXPECT_EQ(r.code.cells[0].file_line, 14);
  EXPECT_EQ(r.code.cells[0].output_bytes, 0u);
  EXPECT_EQ(r.code.cells[1].cell, 3);
  EXPECT_EQ(r.code.cells[1].execution_count, -1);
  EXPECT_GT(r.code.cells[1].output_bytes, 0u);
  EXPECT_EQ(r.code.cells[2].execution_count, 3);
}

TEST(Notebook, TimingCellMagicsRunTheirBodyAsPython) {
  const char* nb = R"NB({"cells": [
    {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
     "source": ["%%time\n", "gs.fit(X_train, y_train)\n", "print(gs.score(X_test, y_test))"]},
    {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [],
     "source": ["%%capture out\n", "model.fit(X, y)"]},
    {"cell_type": "code", "execution_count": 3, "metadata": {}, "outputs": [],
     "source": ["%%writefile train.py\n", "import os"]}],
   "metadata": {}, "nbformat": 4, "nbformat_minor": 5})NB";
  NotebookResult r = extract_notebook(nb);
  ASSERT_TRUE(r.error.empty()) << r.error;
  auto lines = split_lines(r.code.source);
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[0], "");  // %%time
  EXPECT_EQ(lines[1], "gs.fit(X_train, y_train)");
  EXPECT_EQ(lines[2], "print(gs.score(X_test, y_test))");
  EXPECT_EQ(lines[3], "");  // %%capture out
  EXPECT_EQ(lines[4], "model.fit(X, y)");
  EXPECT_EQ(lines[5], "");  // %%writefile: not Python
  EXPECT_EQ(lines[6], "");
}

TEST(Notebook, ContinuedShellLinesAndAssignedMagicsAreNotPython) {
  nlohmann::json nb = {{"nbformat", 4},
                       {"cells",
                        {{{"cell_type", "code"},
                          {"source",
                           {"!torchrun --nproc_per_node 2 train.py \\\n", "  --epochs 3 \\\n",
                            "  --lr 1e-4\n", "files = !ls data\n", "t = %timeit -o f()\n", "x = 1 \\\n",
                            "  + 2\n", "ok = a == b\n", "y %= 3\n"}}}}}};
  NotebookResult r = extract_notebook(nb.dump());
  ASSERT_TRUE(r.error.empty()) << r.error;
  auto lines = split_lines(r.code.source);
  ASSERT_EQ(lines.size(), 9u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(lines[i], "") << i;
  EXPECT_EQ(lines[5], "x = 1 \\");  // Python's own continuation stays
  EXPECT_EQ(lines[6], "  + 2");
  EXPECT_EQ(lines[7], "ok = a == b");
  EXPECT_EQ(lines[8], "y %= 3");
}

TEST(Notebook, LinesInsideOpenBracketsAreNeverMagics) {
  // `% score` continues the print's format expression; `!` after a docstring's bracket is text.
  nlohmann::json nb = {{"nbformat", 4},
                       {"cells",
                        {{{"cell_type", "code"},
                          {"source",
                           {"print(\"accuracy: %f\"\n", "      % clf.score(X_test, y_test))\n",
                            "s = \"\"\"a (\n", "!not a shell line\n", "\"\"\"\n", "%matplotlib inline\n",
                            "d = {'k': '(',\n", "     '!': 1}\n", "!ls\n"}}}}}};
  NotebookResult r = extract_notebook(nb.dump());
  ASSERT_TRUE(r.error.empty()) << r.error;
  auto lines = split_lines(r.code.source);
  ASSERT_EQ(lines.size(), 9u);
  EXPECT_EQ(lines[1], "      % clf.score(X_test, y_test))");
  EXPECT_EQ(lines[3], "!not a shell line");  // inside a triple-quoted string
  EXPECT_EQ(lines[5], "");                   // a real magic once the string is closed
  EXPECT_EQ(lines[7], "     '!': 1}");       // brackets in strings are not counted
  EXPECT_EQ(lines[8], "");
}

TEST(Notebook, InvalidJsonGivesErrorWithLine) {
  NotebookResult r = extract_notebook("{\n \"cells\": [\n  {\"cell_type\": \"code\",,}\n ]\n}\n");
  EXPECT_FALSE(r.error.empty());
  EXPECT_EQ(r.error_line, 3);
  EXPECT_TRUE(r.code.source.empty());
}

TEST(Notebook, TruncatedJsonGivesError) {
  NotebookResult r = extract_notebook("{\n \"cells\": [\n");
  EXPECT_FALSE(r.error.empty());
  EXPECT_GE(r.error_line, 2);
}

TEST(Notebook, JsonWithoutCellsIsAnError) {
  NotebookResult r = extract_notebook("{\"metadata\": {}}");
  EXPECT_FALSE(r.error.empty());
  EXPECT_EQ(r.error_line, 1);
  NotebookResult arr = extract_notebook("[1, 2, 3]");
  EXPECT_FALSE(arr.error.empty());
}

TEST(Notebook, HostileCellShapesDoNotThrow) {
  EXPECT_NO_THROW({
    NotebookResult r = extract_notebook(
        R"({"cells": [1, "x", null, {"cell_type": 5, "source": "import a"},
            {"cell_type": "code", "source": 7}, {"cell_type": "code", "source": ["a = 1\n", 3, "b = 2"]},
            {"cell_type": "code", "execution_count": "x", "outputs": {}, "source": []}]})");
    EXPECT_TRUE(r.error.empty()) << r.error;
    EXPECT_NE(r.code.source.find("a = 1\nb = 2"), std::string::npos);
  });
  EXPECT_NO_THROW(extract_notebook(R"({"worksheets": [5]})"));
  EXPECT_NO_THROW(extract_notebook(R"({"worksheets": [{"cells": 3}]})"));
}

TEST(Notebook, Nbformat3Worksheets) {
  NotebookResult r = extract_notebook(R"NB({
 "nbformat": 3,
 "worksheets": [
  {
   "cells": [
    {"cell_type": "heading", "level": 1, "source": ["Title"]},
    {"cell_type": "code", "language": "python", "prompt_number": 2, "outputs": [],
     "input": ["import numpy as np\n", "np.random.seed(0)"]}
   ]
  }
 ]
})NB");
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.code.source, "import numpy as np\nnp.random.seed(0)\n");
  ASSERT_EQ(r.code.cells.size(), 1u);
  EXPECT_EQ(r.code.cells[0].cell, 2);
  EXPECT_EQ(r.code.cells[0].execution_count, 2);
  ASSERT_EQ(r.code.lines.size(), 2u);
  EXPECT_EQ(r.code.lines[1].cell_line, 2);
  EXPECT_EQ(r.code.lines[1].file_line, 8);
}

TEST(Notebook, EmptyNotebook) {
  NotebookResult r = extract_notebook(R"({"cells": [], "nbformat": 4})");
  EXPECT_TRUE(r.error.empty());
  EXPECT_TRUE(r.code.source.empty());
  EXPECT_TRUE(r.code.cells.empty());
}

}  // namespace
}  // namespace mlops

namespace mlops {

TEST(NotebookCells, ExecutionCountsAndOutputSizesPerCodeCell) {
  const char* nb = R"({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
 {"cell_type": "markdown", "metadata": {}, "source": ["# Title\n"]},
 {"cell_type": "code", "metadata": {}, "execution_count": 3, "outputs": [{"output_type": "stream", "name": "stdout", "text": ["hello\n"]}], "source": ["print('hello')\n"]},
 {"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], "source": ["x = 1\n"]}
]})";
  NotebookResult r = extract_notebook(nb);
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_EQ(r.code.cells.size(), 2u);
  EXPECT_EQ(r.code.cells[0].cell, 2);
  EXPECT_EQ(r.code.cells[0].execution_count, 3);
  EXPECT_GT(r.code.cells[0].output_bytes, 0u);
  EXPECT_EQ(r.code.cells[0].file_line, 3);
  EXPECT_EQ(r.code.cells[1].execution_count, -1);
  EXPECT_EQ(r.code.cells[1].output_bytes, 0u);
}

// Found by fuzz_notebook: a number too large for a double made the second (diagnostic) parse
// throw out_of_range, which escaped. It must be an ordinary "invalid notebook" error.
// A cell's output size is what compact JSON of its outputs takes (nlohmann's dump()), measured
// without writing that text: escapes, control characters, UTF-8, numbers of every kind, nesting.
TEST(NotebookCells, OutputSizesAreTheLengthOfTheOutputsAsCompactJson) {
  std::string text;
  for (int c = 1; c < 0x80; ++c) text += static_cast<char>(c);
  text += "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";  // é € 😀
  nlohmann::json outputs = nlohmann::json::array();
  outputs.push_back({{"output_type", "stream"}, {"name", "stdout"}, {"text", {text, "line\n", ""}}});
  outputs.push_back({{"output_type", "execute_result"},
                     {"execution_count", 3},
                     {"data", {{"text/plain", "0.25"}, {"image/png", std::string(5000, 'A')}}},
                     {"metadata",
                      {{"a", nullptr},
                       {"b", true},
                       {"c", false},
                       {"d", nlohmann::json::object()},
                       {"e", nlohmann::json::array()},
                       {"f", -12},
                       {"g", 18446744073709551615ull},
                       {"h", 0.1},
                       {"i", 1e300},
                       {"j", -0.0},
                       {"k", 123.456}}}});
  outputs.push_back(
      {{"output_type", "error"}, {"traceback", {"\x1b[0;31mError\x1b[0m", "\t\"quoted\" \\ path"}}});
  nlohmann::json nb = {
      {"nbformat", 4},
      {"cells",
       {{{"cell_type", "code"}, {"source", {"x = 1\n"}}, {"outputs", outputs}, {"execution_count", 3}},
        {{"cell_type", "code"}, {"source", {"y = 2\n"}}, {"outputs", {outputs[2]}}}}}};
  // Written with indentation and \u escapes, as Jupyter does: the size is the compact form's.
  NotebookResult r = extract_notebook(nb.dump(1, ' ', true));
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_EQ(r.code.cells.size(), 2u);
  EXPECT_EQ(r.code.cells[0].output_bytes, outputs.dump().size());
  EXPECT_EQ(r.code.cells[1].output_bytes, nlohmann::json::array({outputs[2]}).dump().size());
}

TEST(NotebookCells, NumbersOutOfRangeAreInvalidNotebooksNotCrashes) {
  NotebookResult r = extract_notebook(R"({"nbformat": 4, "cells": [], "x": 5E111111111111})");
  EXPECT_FALSE(r.error.empty());
  EXPECT_GE(r.error_line, 1);
}

// Outputs nested 100,000 deep (a 200 KB file) crashed the recursive dump that measured them.
TEST(Notebook, OutputsNestedTooDeepAreNotedAndTheSourceStillRead) {
  const std::string nested = std::string(100000, '[') + std::string(100000, ']');
  const std::string nb =
      "{\"cells\":[\n{\"cell_type\":\"code\",\"execution_count\":1,\"metadata\":{},\n"
      "\"outputs\":[{\"output_type\":\"execute_result\",\"data\":" +
      nested +
      "}],\n\"source\":[\"import numpy\\n\"]},\n"
      "{\"cell_type\":\"code\",\"execution_count\":2,\"metadata\":{},\n"
      "\"outputs\":[{\"output_type\":\"stream\",\"text\":[\"ok\"]}],\n"
      "\"source\":[\"x = 1\\n\"]}],\n\"nbformat\":4,\"nbformat_minor\":5}";
  NotebookResult r = extract_notebook(nb);
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.code.source, "import numpy\nx = 1\n");
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_EQ(r.notes[0].message, "notebook nested deeper than 256 levels; outputs of cell 1 not read");
  EXPECT_EQ(r.notes[0].line, 4);
  ASSERT_EQ(r.code.cells.size(), 2u);
  EXPECT_EQ(r.code.cells[0].output_bytes, 0u);
  EXPECT_GT(r.code.cells[1].output_bytes, 0u);  // a shallow cell is still measured
}

// Source lines written entirely as \u escapes used to be searched for, unescaped, from each line
// to the end of the file: quadratic. Their file lines come from where their strings sit.
TEST(Notebook, EscapedSourceLinesMapToTheirFileLines) {
  std::string escaped;
  for (char c : std::string("x = 1")) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\u%04x", c);
    escaped += buf;
  }
  std::string nb = "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"source\": [\n";
  const int n = 20000;
  for (int i = 0; i < n; ++i) nb += "    \"" + escaped + "\\n\"" + (i + 1 < n ? ",\n" : "\n");
  nb += "   ]\n  },\n  {\"cell_type\": \"code\", \"source\": \"y = 2\\nz = 3\"}\n ]\n}\n";
  NotebookResult r = extract_notebook(nb);
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_EQ(r.code.lines.size(), static_cast<size_t>(n) + 2);
  EXPECT_EQ(r.code.lines[0].file_line, 6);
  EXPECT_EQ(r.code.lines[n - 1].file_line, 6 + n - 1);
  EXPECT_EQ(r.code.lines[n - 1].cell_line, n);
  // A single multi-line string: every line sits on the string's file line.
  EXPECT_EQ(r.code.lines[n].file_line, 6 + n + 2);
  EXPECT_EQ(r.code.lines[n + 1].file_line, 6 + n + 2);
  EXPECT_EQ(r.code.lines[n + 1].cell, 2);
  EXPECT_EQ(r.code.cells[1].file_line, 6 + n + 2);
}

// Keys written with escapes, and a repeated source key (the parsed value keeps the last), still
// map to the strings the reader used.
TEST(Notebook, EscapedAndRepeatedKeysMapToTheStringsRead) {
  const std::string nb =
      "{\"cells\": [{\"cell_type\": \"code\",\n"
      "\"source\": [\"old = 1\\n\"],\n"
      "\"sourc\\u0065\": [\"a = 1\\n\",\n\"b = 2\\n\"]}]}";
  NotebookResult r = extract_notebook(nb);
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.code.source, "a = 1\nb = 2\n");
  ASSERT_EQ(r.code.lines.size(), 2u);
  EXPECT_EQ(r.code.lines[0].file_line, 3);
  EXPECT_EQ(r.code.lines[1].file_line, 4);
}

// A code cell saved with a traceback names its exception (nbformat 4 "error", nbformat 3
// "pyerr"); one whose kernel failed to start has none; other outputs are no error.
TEST(Notebook, ErrorOutputsNameTheirException) {
  auto r = extract_notebook(R"nb({"nbformat": 4, "cells": [
  {"cell_type": "code", "execution_count": 1, "source": ["x = 1"],
   "outputs": [{"output_type": "stream", "name": "stderr", "text": ["Error: not an error output"]}]},
  {"cell_type": "code", "execution_count": 2, "source": ["df['y']"],
   "outputs": [{"output_type": "error", "ename": "KeyError", "evalue": "'y'", "traceback": []}]},
  {"cell_type": "code", "execution_count": null, "source": ["import torch"],
   "outputs": [{"output_type": "error", "ename": "", "evalue": "", "traceback": []}]}]})nb");
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_EQ(r.code.cells.size(), 3u);
  EXPECT_EQ(r.code.cells[0].error_name, "");
  EXPECT_EQ(r.code.cells[1].error_name, "KeyError");
  EXPECT_EQ(r.code.cells[2].error_name, "an error");
  auto old = extract_notebook(R"nb({"nbformat": 3, "worksheets": [{"cells": [{"cell_type": "code",
   "input": ["np.load('x')"],
   "outputs": [{"output_type": "pyerr", "ename": "FileNotFoundError", "evalue": "x", "traceback": []}]}]}]})nb");
  ASSERT_EQ(old.code.cells.size(), 1u);
  EXPECT_EQ(old.code.cells[0].error_name, "FileNotFoundError");
}

}  // namespace mlops
