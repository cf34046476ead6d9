// --add-suppressions edits: each case is checked end to end (plan, apply the edits, check again
// with the inline suppressions applied) on an in-memory repository with two test-only rules.
#include "fix/suppressions.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "engine/filters.h"
#include "fix/edits.h"
#include "fix/fixes.h"
#include "repo/memory_snapshot.h"
#include "rules/builtin/builtin_rules.h"
#include "rules/rule_loader.h"

namespace mlops {
namespace {

using Files = std::map<std::string, std::string>;

std::string rule(const std::string& id, const std::string& name, const std::string& pattern) {
  return "id: " + id + "\nname: " + name +
         "\npractice: documentation\ncategory: code\nseverity: warning\nkind: pattern\nsummary: s\n"
         "message: \"found {match}\"\nrationale: r\nremediation: x\ncheck:\n  content:\n    pattern: '" +
         pattern + "'\n";
}

const RuleSet& rules() {
  static const RuleSet set = [] {
    RuleLoader l;
    l.add({"a.yaml", rule("TST901", "secret-x", "SECRETX")});
    l.add({"b.yaml", rule("TST902", "leaky", "LEAKY")});
    RuleSet s = l.finish();
    for (const auto& e : l.errors()) ADD_FAILURE() << e.where.path << ": " << e.message;
    return s;
  }();
  return set;
}

CheckResult check(const Snapshot& snap) {
  CheckOptions o;
  o.jobs = 1;
  CheckResult r = run_check(snap, rules(), o);
  apply_suppressions(r, rules(), {});
  return r;
}

size_t unsuppressed(const CheckResult& r) {
  size_t n = 0;
  for (const auto& f : r.findings) n += !f.suppressed && !f.project_level;
  return n;
}

Files apply_plan(Files files, const std::vector<TextEdit>& edits) {
  std::map<std::string, std::vector<TextEdit>> by_path;
  for (const auto& e : edits) by_path[e.path].push_back(e);
  for (auto& [path, list] : by_path) files[path] = apply_edits(files[path], list);
  return files;
}

const std::string kReason = "legacy code, see #42";

// Plans, applies and checks again: returns the files after the edits and checks that the
// suppressible findings are now suppressed (with no unused or malformed suppression) and that a
// second plan changes nothing.
struct Outcome {
  Files after;
  SuppressionPlan plan;
  CheckResult before, again;
};

Outcome run(const Files& files) {
  Outcome o;
  MemorySnapshot snap(files);
  o.before = check(snap);
  o.plan = suppression_edits(o.before, snap, kReason);
  EXPECT_EQ(o.plan.error, "");
  EXPECT_EQ(o.plan.suppressible + o.plan.not_suppressible, unsuppressed(o.before));
  o.after = apply_plan(files, o.plan.edits);
  MemorySnapshot fixed(o.after);
  o.again = check(fixed);
  EXPECT_EQ(unsuppressed(o.again), o.plan.not_suppressible);
  // No new unused or malformed suppression (one the input had may stay).
  std::set<std::string> had;
  for (const auto& d : o.before.diagnostics) had.insert(d.message);
  for (const auto& d : o.again.diagnostics) {
    if (!had.count(d.message)) {
      EXPECT_EQ(d.message.find("suppression"), std::string::npos) << d.message;
    }
  }
  // The new comments carry the reason (an extended comment keeps its own).
  for (const auto& f : o.again.findings) {
    if (f.suppressed && f.justification != kReason) {
      EXPECT_EQ(f.justification, "older reason");
    }
  }
  SuppressionPlan second = suppression_edits(o.again, fixed, kReason);
  EXPECT_TRUE(second.edits.empty()) << second.edits.size();
  EXPECT_EQ(second.not_suppressible, o.plan.not_suppressible);
  return o;
}

const std::string kComment = "# mlops-lint: ignore[TST901] " + kReason;

TEST(AddSuppressions, PythonPlainAndIndentedLines) {
  Outcome o =
      run({{"train.py", "import os\nx = \"SECRETX\"\n\ndef f():\n    y = 'SECRETX'\n    return y\n"}});
  EXPECT_EQ(o.plan.suppressible, 2u);
  EXPECT_EQ(o.after["train.py"], "import os\n" + kComment + "\nx = \"SECRETX\"\n\ndef f():\n    " + kComment +
                                     "\n    y = 'SECRETX'\n    return y\n");
  ASSERT_EQ(o.plan.edits.size(), 2u);
  EXPECT_EQ(o.plan.edits[0].start_line, 2);
  EXPECT_EQ(o.plan.edits[0].start, o.plan.edits[0].end);
}

TEST(AddSuppressions, PythonInsideAMultiLineStringIsDeclined) {
  const std::string src = "s = \"\"\"SECRETX\nmore SECRETX\n\"\"\"\n";
  Outcome o = run({{"a.py", src}});
  // The string's first line can take a comment above it; its second line cannot.
  EXPECT_EQ(o.plan.suppressible, 1u);
  EXPECT_EQ(o.plan.not_suppressible, 1u);
  EXPECT_EQ(o.after["a.py"], kComment + "\n" + src);
  ASSERT_EQ(o.plan.declined.size(), 1u);
  EXPECT_EQ(o.plan.declined[0].where.line, 2);
}

TEST(AddSuppressions, PythonAfterABackslashContinuationIsDeclined) {
  const std::string src = "x = 1 + \\\n    len('SECRETX')\n";
  Outcome o = run({{"a.py", src}});
  EXPECT_EQ(o.plan.not_suppressible, 1u);
  EXPECT_TRUE(o.plan.edits.empty());
  EXPECT_EQ(o.after["a.py"], src);
}

TEST(AddSuppressions, YamlBlockScalarLinesAreDeclined) {
  const std::string src = "run: |\n  echo SECRETX\n  echo done\nkey: SECRETX\nlist:\n  - LEAKY\n";
  Outcome o = run({{"ci.yml", src}});
  EXPECT_EQ(o.plan.suppressible, 2u);
  EXPECT_EQ(o.plan.not_suppressible, 1u);
  EXPECT_EQ(o.after["ci.yml"], "run: |\n  echo SECRETX\n  echo done\n" + kComment +
                                   "\nkey: SECRETX\nlist:\n  # mlops-lint: ignore[TST902] " + kReason +
                                   "\n  - LEAKY\n");
}

TEST(AddSuppressions, YamlQuotedScalarSpanningLinesIsDeclinedByComparingContents) {
  // No block scalar header: the parsed documents with and without the comment differ.
  const std::string src = "a: \"first\n  SECRETX\"\nb: LEAKY\n";
  Outcome o = run({{"params.yaml", src}});
  EXPECT_EQ(o.plan.suppressible, 1u);
  EXPECT_EQ(o.plan.not_suppressible, 1u);
  EXPECT_EQ(o.after["params.yaml"],
            "a: \"first\n  SECRETX\"\n# mlops-lint: ignore[TST902] " + kReason + "\nb: LEAKY\n");
  ASSERT_EQ(o.plan.declined.size(), 1u);
  EXPECT_NE(o.plan.declined[0].message.find("would change what the file says"), std::string::npos);
}

TEST(AddSuppressions, TomlMultiLineStringIsDeclined) {
  const std::string src = "[tool.x]\ndoc = \"\"\"\nSECRETX\n\"\"\"\nkey = \"SECRETX\"\n";
  Outcome o = run({{"pyproject.toml", src}});
  EXPECT_EQ(o.plan.suppressible, 1u);
  EXPECT_EQ(o.plan.not_suppressible, 1u);
  EXPECT_EQ(o.after["pyproject.toml"],
            "[tool.x]\ndoc = \"\"\"\nSECRETX\n\"\"\"\n" + kComment + "\nkey = \"SECRETX\"\n");
}

TEST(AddSuppressions, RequirementsLinesAndContinuations) {
  Outcome o = run({{"requirements.txt", "numpy==1.26.4\nLEAKY==1.0 \\\n  --hash=sha256:LEAKY\n"}});
  EXPECT_EQ(o.plan.suppressible, 1u);
  EXPECT_EQ(o.plan.not_suppressible, 1u);
  EXPECT_EQ(o.after["requirements.txt"], "numpy==1.26.4\n# mlops-lint: ignore[TST902] " + kReason +
                                             "\nLEAKY==1.0 \\\n  --hash=sha256:LEAKY\n");
}

TEST(AddSuppressions, CrlfFileKeepsItsLineBreaks) {
  Outcome o = run({{"a.py", "import os\r\nx = \"SECRETX\"\r\n"}});
  EXPECT_EQ(o.after["a.py"], "import os\r\n" + kComment + "\r\nx = \"SECRETX\"\r\n");
}

TEST(AddSuppressions, BomStaysFirst) {
  Outcome o = run({{"a.py", "\xEF\xBB\xBFx = 'SECRETX'\n"}});
  EXPECT_EQ(o.after["a.py"], "\xEF\xBB\xBF" + kComment + "\nx = 'SECRETX'\n");
}

TEST(AddSuppressions, TwoFindingsOnOneLineShareOneComment) {
  Outcome o = run({{"a.py", "x = 'LEAKY' + 'SECRETX'\n"}});
  EXPECT_EQ(o.plan.suppressible, 2u);
  EXPECT_EQ(o.after["a.py"],
            "# mlops-lint: ignore[TST901, TST902] " + kReason + "\nx = 'LEAKY' + 'SECRETX'\n");
}

TEST(AddSuppressions, ExistingCommentLineIsExtended) {
  Outcome o = run(
      {{"a.py", "if True:\n    # mlops-lint: ignore[TST902] older reason\n    x = 'LEAKY' + 'SECRETX'\n"}});
  EXPECT_EQ(o.plan.suppressible, 1u);
  EXPECT_EQ(o.after["a.py"],
            "if True:\n    # mlops-lint: ignore[TST902, TST901] older reason\n    x = 'LEAKY' + 'SECRETX'\n");
}

TEST(AddSuppressions, FilesWithoutCommentsAreCountedNotEdited) {
  Outcome o = run({{"config.json", "{\"key\": \"SECRETX\"}\n"}, {"a.py", "x = 'SECRETX'\n"}});
  EXPECT_EQ(o.plan.suppressible, 1u);
  EXPECT_EQ(o.plan.not_suppressible, 1u);
  EXPECT_EQ(o.after["config.json"], "{\"key\": \"SECRETX\"}\n");
  ASSERT_EQ(o.plan.declined.size(), 1u);
  EXPECT_EQ(o.plan.declined[0].where.path, "config.json");
}

TEST(AddSuppressions, DockerfileContinuationsAndHeredocsAreDeclined) {
  const std::string src =
      "FROM python:3.11\nRUN echo SECRETX && \\\n    echo LEAKY\nRUN <<EOF\necho SECRETX\nEOF\nRUN echo it's "
      "\\\n  LEAKY\n"
      "ENV A=LEAKY\n";
  Outcome o = run({{"Dockerfile", src}});
  EXPECT_EQ(o.plan.suppressible, 2u);
  EXPECT_EQ(o.plan.not_suppressible, 3u);
  EXPECT_EQ(o.after["Dockerfile"],
            "FROM python:3.11\n" + kComment +
                "\nRUN echo SECRETX && \\\n    echo LEAKY\n"
                "RUN <<EOF\necho SECRETX\nEOF\nRUN echo it's \\\n  LEAKY\n# mlops-lint: ignore[TST902] " +
                kReason + "\nENV A=LEAKY\n");
}

TEST(AddSuppressions, ShellQuotesSpanningLinesAreDeclined) {
  const std::string src = "echo 'one\nSECRETX'\necho LEAKY  # it's fine\n";
  Outcome o = run({{"run.sh", src}});
  EXPECT_EQ(o.plan.suppressible, 1u);
  EXPECT_EQ(o.plan.not_suppressible, 1u);
  EXPECT_EQ(o.after["run.sh"],
            "echo 'one\nSECRETX'\n# mlops-lint: ignore[TST902] " + kReason + "\necho LEAKY  # it's fine\n");
}

TEST(AddSuppressions, EnvQuotedValuesSpanningLinesAreDeclined) {
  const std::string src = "A=\"first\nSECRETX\"\nB=LEAKY\n";
  Outcome o = run({{".env", src}});
  EXPECT_EQ(o.plan.suppressible, 1u);
  EXPECT_EQ(o.plan.not_suppressible, 1u);
  EXPECT_EQ(o.after[".env"], "A=\"first\nSECRETX\"\n# mlops-lint: ignore[TST902] " + kReason + "\nB=LEAKY\n");
}

TEST(AddSuppressions, YamlCrlfAndAnExistingCommentLine) {
  const std::string src =
      "jobs:\r\n  # mlops-lint: ignore[TST902] older reason\r\n  a: LEAKY SECRETX\r\n  b: SECRETX\r\n";
  Outcome o = run({{"ci.yaml", src}});
  EXPECT_EQ(o.plan.suppressible, 2u);
  EXPECT_EQ(o.after["ci.yaml"],
            "jobs:\r\n  # mlops-lint: ignore[TST902, TST901] older reason\r\n  a: LEAKY SECRETX\r\n  " +
                kComment + "\r\n  b: SECRETX\r\n");
}

TEST(AddSuppressions, PythonLinesTreeSitterCannotParseAreDeclined) {
  // The comment-looking line inside the docstring is text, not a comment: it is not extended.
  const std::string src =
      "def f():\n    \"\"\"\n    # mlops-lint: ignore[TST902] x\n    SECRETX\n    \"\"\"\n\nx = (1 +\n";
  Outcome o = run({{"a.py", src + "SECRETX\n"}});
  EXPECT_EQ(o.plan.suppressible, 0u);
  EXPECT_EQ(o.plan.not_suppressible, 2u);
  EXPECT_TRUE(o.plan.edits.empty());
}

TEST(AddSuppressions, ShebangCodingLineAndDockerDirectivesKeepTheirPlace) {
  Outcome o = run({{"run.sh", "#!/bin/sh SECRETX\necho LEAKY\n"},
                   {"a.py", "# -*- coding: latin-1 -*- SECRETX\nx = 'LEAKY'\n"},
                   {"Dockerfile", "# syntax=docker/dockerfile:1 LEAKY\nFROM python:3.11 AS SECRETX\n"}});
  EXPECT_EQ(o.plan.not_suppressible, 3u);
  EXPECT_EQ(o.plan.suppressible, 3u);
  EXPECT_EQ(o.after["run.sh"],
            "#!/bin/sh SECRETX\n# mlops-lint: ignore[TST902] " + kReason + "\necho LEAKY\n");
  EXPECT_EQ(o.after["a.py"],
            "# -*- coding: latin-1 -*- SECRETX\n# mlops-lint: ignore[TST902] " + kReason + "\nx = 'LEAKY'\n");
  EXPECT_EQ(o.after["Dockerfile"],
            "# syntax=docker/dockerfile:1 LEAKY\n" + kComment + "\nFROM python:3.11 AS SECRETX\n");
}

TEST(AddSuppressions, ReasonIsRequiredOneLineAndSanitised) {
  std::string error;
  EXPECT_FALSE(suppression_reason("  ", error));
  EXPECT_NE(error.find("needs a reason"), std::string::npos);
  EXPECT_FALSE(suppression_reason("a\nb", error));
  EXPECT_NE(error.find("one line"), std::string::npos);
  EXPECT_FALSE(suppression_reason("- leading dash", error));
  EXPECT_FALSE(suppression_reason("ends */", error));
  EXPECT_EQ(suppression_reason("tab\there \x1b[2J \xFF", error).value_or(""), "tab here  [2J \xEF\xBF\xBD");
  EXPECT_EQ(suppression_reason("bidi\xE2\x80\xAEx", error).value_or(""), "bidi x");
  EXPECT_EQ(suppression_reason("see [link] ok", error).value_or(""), "see [link] ok");

  MemorySnapshot snap(Files{{"a.py", "x = 'SECRETX'\n"}});
  SuppressionPlan plan = suppression_edits(check(snap), snap, "");
  EXPECT_FALSE(plan.error.empty());
  EXPECT_TRUE(plan.edits.empty());
}

TEST(AddSuppressions, SuppressedAndProjectLevelFindingsAreLeftAlone) {
  MemorySnapshot snap(Files{{"a.py", "x = 'SECRETX'  # mlops-lint: ignore[TST901] known\n"}});
  CheckResult r = check(snap);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_TRUE(r.findings[0].suppressed);
  SuppressionPlan plan = suppression_edits(r, snap, kReason);
  EXPECT_TRUE(plan.edits.empty());
  EXPECT_EQ(plan.suppressible + plan.not_suppressible, 0u);
}

// The bundled neglected example with the built-in rules: every finding on a line of Python or
// requirements gets its comment, the notebook's does not, and checking again shows them suppressed.
TEST(AddSuppressions, NeglectedExampleEndToEnd) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(MLOPS_SOURCE_DIR) / "examples" / "neglected-project";
  Files files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    files[fs::relative(entry.path(), root).generic_string()] = ss.str();
  }
  std::vector<Diagnostic> errors;
  const RuleSet builtin = load_rules({}, errors);
  auto check_builtin = [&](const Snapshot& snap) {
    CheckOptions o;
    o.jobs = 1;
    CheckResult r = run_check(snap, builtin, o);
    apply_suppressions(r, builtin, {});
    return r;
  };
  MemorySnapshot snap(files);
  CheckResult before = check_builtin(snap);
  SuppressionPlan plan = suppression_edits(before, snap, kReason);
  EXPECT_EQ(plan.suppressible, 8u);      // 4 in train.py, 4 in requirements.txt
  EXPECT_EQ(plan.not_suppressible, 2u);  // the notebook's absolute path and its outputs
  ASSERT_EQ(plan.declined.size(), 2u);
  for (const auto& d : plan.declined) EXPECT_EQ(d.where.path, "explore.ipynb");

  Files after = apply_plan(files, plan.edits);
  std::map<std::string, std::string> changed;
  for (const auto& [path, bytes] : after)
    if (bytes != files[path]) changed[path] = bytes;
  EXPECT_EQ(changed.size(), 2u);
  OverlaySnapshot fixed(snap, changed);
  CheckResult again = check_builtin(fixed);
  EXPECT_EQ(unsuppressed(again), 2u);  // the notebook's two
  size_t suppressed = 0;
  for (const auto& f : again.findings) suppressed += f.suppressed;
  EXPECT_EQ(suppressed, 8u);
  for (const auto& d : again.diagnostics)
    EXPECT_EQ(d.message.find("suppression"), std::string::npos) << d.message;
  EXPECT_TRUE(suppression_edits(again, fixed, kReason).edits.empty());
}

}  // namespace
}  // namespace mlops
