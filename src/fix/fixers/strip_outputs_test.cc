#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "fix/edits.h"
#include "fix/fixer.h"
#include "repo/memory_snapshot.h"
#include "util/limits.h"

namespace mlops {

std::optional<Fix> fix_strip_outputs(const FixContext&, const Finding&);

namespace {

// The fixed bytes of `path` in a repository holding `files`, or nullopt when the fixer declines.
std::optional<std::string> strip(const std::string& text, const std::string& path = "nb.ipynb",
                                 Fix* fix_out = nullptr) {
  MemorySnapshot snap(std::map<std::string, std::string>{{path, text}});
  CheckResult result;
  RuleSet rules;
  FixContext context(snap, result, rules);
  Finding f;
  f.rule_id = "NBK002";
  f.where = {path, 3, 0, 1, 1};
  std::optional<Fix> fix = fix_strip_outputs(context, f);
  if (!fix) return std::nullopt;
  EXPECT_EQ(fix->applicability, Applicability::Safe);
  for (const auto& e : fix->edits) EXPECT_EQ(e.path, path);
  if (fix_out) *fix_out = *fix;
  return apply_edits(text, fix->edits);
}

TEST(StripOutputs, EmptiesOutputsAndNullsCountsOfCodeCellsOnly) {
  const std::string nb = R"NB({
 "cells": [
  {"cell_type": "markdown", "metadata": {}, "source": ["# T\n"], "outputs": [1]},
  {
   "cell_type": "code",
   "execution_count": 7,
   "metadata": {"execution": {"iopub.execute_input": "2024-01-01"}},
   "outputs": [
    {"output_type": "stream", "name": "stdout", "text": ["a \"]\" \\ [\n"]}
   ],
   "source": ["print('a')"]
  },
  {"cell_type": "raw", "metadata": {}, "source": []}
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
)NB";
  const std::string expected = R"NB({
 "cells": [
  {"cell_type": "markdown", "metadata": {}, "source": ["# T\n"], "outputs": [1]},
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {"execution": {"iopub.execute_input": "2024-01-01"}},
   "outputs": [],
   "source": ["print('a')"]
  },
  {"cell_type": "raw", "metadata": {}, "source": []}
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
)NB";
  Fix fix;
  EXPECT_EQ(strip(nb, "nb.ipynb", &fix), expected);
  ASSERT_EQ(fix.edits.size(), 2u);
  EXPECT_EQ(fix.edits[0].start_line, 6);
  EXPECT_EQ(fix.edits[1].start_line, 8);
  EXPECT_EQ(fix.edits[1].end_line, 10);
  EXPECT_NE(fix.message.find("1 code cell"), std::string::npos);
  // Idempotent: nothing left to strip.
  EXPECT_EQ(strip(expected), std::nullopt);
}

TEST(StripOutputs, KeepsTabsFourSpacesCrlfBomAndMinifiedStyles) {
  struct Case {
    std::string in, out;
  };
  const Case cases[] = {
      {"{\n\t\"cells\": [\n\t\t{\n\t\t\t\"cell_type\": \"code\",\n\t\t\t\"execution_count\": 1,\n\t\t\t"
       "\"outputs\": [\n\t\t\t\t{}\n\t\t\t]\n\t\t}\n\t]\n}",
       "{\n\t\"cells\": [\n\t\t{\n\t\t\t\"cell_type\": \"code\",\n\t\t\t\"execution_count\": null,\n\t\t\t"
       "\"outputs\": []\n\t\t}\n\t]\n}"},
      {"{\r\n    \"cells\": [\r\n        {\r\n            \"outputs\": [\r\n                {}\r\n           "
       " ],\r\n"
       "            \"execution_count\": 12,\r\n            \"cell_type\": \"code\"\r\n        }\r\n    "
       "]\r\n}\r\n",
       "{\r\n    \"cells\": [\r\n        {\r\n            \"outputs\": [],\r\n"
       "            \"execution_count\": null,\r\n            \"cell_type\": \"code\"\r\n        }\r\n    "
       "]\r\n}\r\n"},
      {"\xEF\xBB\xBF{\"cells\":[{\"cell_type\":\"code\",\"execution_count\":3,\"outputs\":[{\"a\":[]}]}]}",
       "\xEF\xBB\xBF{\"cells\":[{\"cell_type\":\"code\",\"execution_count\":null,\"outputs\":[]}]}"},
  };
  for (const auto& c : cases) {
    auto fixed = strip(c.in);
    ASSERT_TRUE(fixed) << c.in;
    EXPECT_EQ(*fixed, c.out);
    EXPECT_TRUE(still_parses("nb.ipynb", c.in, *fixed));
  }
}

TEST(StripOutputs, NothingToStripOrNotANotebookItUnderstandsDeclines) {
  const char* declines[] = {
      // Already stripped; a code cell without outputs; a count already null.
      R"({"cells": [{"cell_type": "code", "execution_count": null, "outputs": []}]})",
      R"({"cells": [{"cell_type": "code", "execution_count": null, "source": "x"}]})",
      R"({"cells": [{"cell_type": "code", "outputs": [  ]}]})",
      // Outputs only in markdown or raw cells (not nbformat, and not code).
      R"({"cells": [{"cell_type": "markdown", "outputs": [1], "execution_count": 2}]})",
      // Not what nbformat writes: left alone.
      R"({"cells": [{"cell_type": "code", "outputs": {"a": 1}, "execution_count": 1}]})",
      R"({"cells": [{"cell_type": "code", "outputs": [1], "execution_count": "1"}]})",
      R"({"cells": {"a": 1}})",
      R"([{"cells": []}])",
      // Invalid JSON (the analyser reports it).
      R"({"cells": [{"cell_type": "code", "outputs": [1], "execution_count": 1}]}})",
      R"({"cells": [{"cell_type": "code", "outputs": [1,], "execution_count": 1}]})",
      "",
  };
  for (const char* text : declines) EXPECT_EQ(strip(text), std::nullopt) << text;
  // Not a notebook by name, or not in the snapshot.
  const std::string nb = R"({"cells": [{"cell_type": "code", "outputs": [1], "execution_count": 1}]})";
  EXPECT_TRUE(strip(nb));
  EXPECT_EQ(strip(nb, "data.json"), std::nullopt);
  MemorySnapshot snap(std::map<std::string, std::string>{{"other.ipynb", nb}});
  CheckResult result;
  RuleSet rules;
  FixContext context(snap, result, rules);
  Finding f;
  f.where = {"nb.ipynb", 1, 0, 0, 0};
  EXPECT_EQ(fix_strip_outputs(context, f), std::nullopt);
}

TEST(StripOutputs, OutputsNestedTooDeepDecline) {
  std::string deep(kMaxJsonDepth, '[');
  deep += std::string(kMaxJsonDepth, ']');
  const std::string nb =
      R"({"cells": [{"cell_type": "code", "outputs": [)" + deep + R"(], "execution_count": 1}]})";
  EXPECT_EQ(strip(nb), std::nullopt);
  std::string shallow(kMaxJsonDepth - 5, '[');
  shallow += std::string(kMaxJsonDepth - 5, ']');
  const std::string ok =
      R"({"cells": [{"cell_type": "code", "outputs": [)" + shallow + R"(], "execution_count": 1}]})";
  EXPECT_EQ(strip(ok), R"({"cells": [{"cell_type": "code", "outputs": [], "execution_count": null}]})");
}

TEST(StripOutputs, EscapedKeysAndRepeatedMembersAreAllStripped) {
  // "\u006futputs" is "outputs"; a repeated key is stripped in each place (parsers keep the last).
  const std::string nb =
      R"({"cells": [{"cell_type": "c\u006fde", "\u006futputs": [1], "outputs": [2, 3], "execution_count": 4}]})";
  EXPECT_EQ(
      strip(nb),
      R"({"cells": [{"cell_type": "c\u006fde", "\u006futputs": [], "outputs": [], "execution_count": null}]})");
  // The last cell_type decides, as for a JSON parser.
  EXPECT_EQ(strip(R"({"cells": [{"cell_type": "code", "cell_type": "markdown", "outputs": [1]}]})"),
            std::nullopt);
}

TEST(StripOutputs, Nbformat3WorksheetsUsePromptNumber) {
  const std::string nb = R"({"nbformat": 3, "worksheets": [{"cells": [
  {"cell_type": "code", "input": ["x"], "language": "python", "outputs": [{"text": ["1"]}], "prompt_number": 5},
  {"cell_type": "markdown", "source": ["# t"]}]}]})";
  const std::string expected = R"({"nbformat": 3, "worksheets": [{"cells": [
  {"cell_type": "code", "input": ["x"], "language": "python", "outputs": [], "prompt_number": null},
  {"cell_type": "markdown", "source": ["# t"]}]}]})";
  EXPECT_EQ(strip(nb), expected);
  EXPECT_TRUE(nlohmann::json::accept(expected));
}

TEST(StripOutputs, EditPositionsMatchMakeEditAcrossManyCells) {
  std::string nb = "{\r\n \"cells\": [";
  for (int i = 0; i < 60; ++i) {
    nb += i ? ",\r\n" : "\r\n";
    nb += "  {\r\n   \"outputs\": [\r\n    {\"text\": \"" + std::to_string(i) + "\"}\r\n   ],\r\n";
    nb += "   \"cell_type\": \"code\", \"execution_count\": " + std::to_string(i + 1) + "\r\n  }";
  }
  nb += "\r\n ]\r\n}\r\n";
  Fix fix;
  auto fixed = strip(nb, "nb.ipynb", &fix);
  ASSERT_TRUE(fixed);
  ASSERT_EQ(fix.edits.size(), 120u);
  EXPECT_NE(fix.message.find("60 code cells"), std::string::npos);
  for (const auto& e : fix.edits) EXPECT_EQ(e, make_edit(e.path, nb, e.start, e.end, e.replacement));
  EXPECT_TRUE(nlohmann::json::accept(*fixed));
  EXPECT_EQ(strip(*fixed), std::nullopt);
}

TEST(StripOutputs, IsRegisteredAsASafeFixer) {
  const FixerInfo* info = find_fixer("strip-outputs");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->applicability, Applicability::Safe);
  EXPECT_EQ(info->fn, &fix_strip_outputs);
}

}  // namespace
}  // namespace mlops
