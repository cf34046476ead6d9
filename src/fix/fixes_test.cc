// Tests of the fix stage's plumbing: edits, the re-parse check, fix passes and the unified diff.
#include "fix/fixes.h"

#include <gtest/gtest.h>

#include "fix/edits.h"
#include "repo/memory_snapshot.h"

namespace mlops {
namespace {

std::string read_all(const Snapshot& s, const std::string& path) {
  for (const auto& f : s.files())
    if (f.path == path) return s.read(f, 1 << 20).bytes;
  return "<absent>";
}

TEST(FixEdits, OffsetsAndLineBreaks) {
  std::string text = "ab\r\ncd\r\nef";
  EXPECT_EQ(offset_of(text, 2, 1), 4u);
  EXPECT_EQ(offset_of(text, 2, 2), 5u);
  EXPECT_EQ(offset_of(text, 4, 1), std::nullopt);
  EXPECT_EQ(line_break(text), "\r\n");
  EXPECT_EQ(line_break("a\nb"), "\n");
  EXPECT_EQ(line_start(text, 5), 4u);
  EXPECT_EQ(line_end(text, 5), 6u);  // before the CR
  EXPECT_EQ(indentation("x\n    y = 1\n", 4), "    ");
  TextEdit e = make_edit("f", text, 4, 6, "CD");
  EXPECT_EQ(e.start_line, 2);
  EXPECT_EQ(e.start_column, 1);
  EXPECT_EQ(e.end_column, 3);
  EXPECT_EQ(apply_edits(text, {make_edit("f", text, 0, 0, ">"), e}), ">ab\r\nCD\r\nef");
}

TEST(FixEdits, StillParsesRefusesBrokenResultsOnly) {
  EXPECT_TRUE(still_parses("a.py", "x = 1\n", "x = 2\n"));
  EXPECT_FALSE(still_parses("a.py", "x = 1\n", "x = (2\n"));
  EXPECT_TRUE(still_parses("a.py", "x = (\n", "x = (2\n"));  // was broken already: not worse
  EXPECT_FALSE(still_parses("n.ipynb", "{}", "{"));
  EXPECT_FALSE(still_parses("c.yaml", "a: 1\n", "a: [\n"));
  EXPECT_FALSE(still_parses("p.toml", "a = 1\n", "a = \n"));
  EXPECT_TRUE(still_parses("requirements.txt", "x", "y"));
}

// A check that reports each `bad` in a.txt, fixed by replacing it with `good` (safe) or, for
// `risky`, by `fine` (unsafe); `twin` gets a fix whose edit is the same as its neighbour's.
CheckResult toy_check(const Snapshot& s) {
  CheckResult r;
  std::string text = read_all(s, "a.txt");
  auto add = [&](const std::string& word, const std::string& repl, Applicability a, size_t from, size_t to) {
    Finding f;
    f.rule_id = "TST999";
    f.where = {"a.txt", 1, static_cast<int>(from) + 1};
    Fix fix;
    fix.applicability = a;
    fix.message = "replace " + word;
    fix.edits.push_back(make_edit("a.txt", text, from, to, repl));
    f.fix = fix;
    r.findings.push_back(f);
  };
  for (size_t at = text.find("bad"); at != std::string::npos; at = text.find("bad", at + 1))
    add("bad", "good", Applicability::Safe, at, at + 3);
  for (size_t at = text.find("risky"); at != std::string::npos; at = text.find("risky", at + 1))
    add("risky", "fine", Applicability::Unsafe, at, at + 5);
  // Two findings wanting the same header line: applied once.
  if (text.find("HEADER") == std::string::npos && text.find("twin") != std::string::npos) {
    add("twin", "HEADER\n", Applicability::Safe, 0, 0);
    add("twin", "HEADER\n", Applicability::Safe, 0, 0);
  }
  // Overlapping fixes: the whole line, then its first word; the second waits for the next pass.
  if (size_t at = text.find("wide narrow"); at != std::string::npos) {
    add("wide", "w", Applicability::Safe, at, at + 11);
    add("narrow", "n", Applicability::Safe, at, at + 4);
  }
  return r;
}

TEST(FixRuns, AppliesSafeFixesUntilNothingIsLeft) {
  MemorySnapshot snap({{"a.txt", "bad bad risky twin\n"}, {"b.txt", "untouched\n"}});
  FixRun run = run_fixes(snap, false, toy_check);
  ASSERT_EQ(run.fixed.size(), 1u);
  EXPECT_EQ(run.fixed.at("a.txt"), "HEADER\ngood good risky twin\n");
  EXPECT_EQ(run.original.at("a.txt"), "bad bad risky twin\n");
  EXPECT_EQ(run.applied, 4u);                 // two bads, two twins (one edit)
  ASSERT_EQ(run.result.findings.size(), 1u);  // what remains: the unsafe one
  EXPECT_EQ(run.result.findings[0].fix->applicability, Applicability::Unsafe);
}

TEST(FixRuns, UnsafeFixesOnlyWhenAsked) {
  MemorySnapshot snap(std::map<std::string, std::string>{{"a.txt", "risky\n"}});
  EXPECT_TRUE(run_fixes(snap, false, toy_check).fixed.empty());
  EXPECT_EQ(run_fixes(snap, true, toy_check).fixed.at("a.txt"), "fine\n");
}

TEST(FixRuns, OverlappingFixesWaitForTheNextPass) {
  MemorySnapshot snap(std::map<std::string, std::string>{{"a.txt", "wide narrow\n"}});
  FixRun run = run_fixes(snap, false, toy_check);
  EXPECT_EQ(run.fixed.at("a.txt"), "w\n");
  EXPECT_EQ(run.applied, 1u);  // the narrow fix no longer applies once the line is rewritten
}

TEST(FixRuns, OverlayServesFixedContentAndForgetsCacheKeys) {
  MemorySnapshot base({{"a.txt", "old"}, {"b.txt", "same"}});
  std::map<std::string, std::string> contents{{"a.txt", "newer"}};
  OverlaySnapshot overlay(base, contents);
  EXPECT_EQ(read_all(overlay, "a.txt"), "newer");
  EXPECT_EQ(read_all(overlay, "b.txt"), "same");
  EXPECT_EQ(overlay.files()[0].size, 5u);
  EXPECT_TRUE(overlay.files()[0].cache_key.empty());
}

TEST(UnifiedDiff, HunksWithContext) {
  std::string before, after;
  for (int i = 1; i <= 20; ++i) {
    before += "line " + std::to_string(i) + "\n";
    after += (i == 2 ? "LINE 2\n" : i == 18 ? "" : "line " + std::to_string(i) + "\n");
  }
  EXPECT_EQ(unified_diff({{"f.txt", before}}, {{"f.txt", after}}),
            "--- a/f.txt\n+++ b/f.txt\n"
            "@@ -1,5 +1,5 @@\n line 1\n-line 2\n+LINE 2\n line 3\n line 4\n line 5\n"
            "@@ -15,6 +15,5 @@\n line 15\n line 16\n line 17\n-line 18\n line 19\n line 20\n");
}

TEST(UnifiedDiff, InsertionAtTopAndMissingFinalNewline) {
  EXPECT_EQ(unified_diff({{"f", "a\nb"}}, {{"f", "x\na\nb"}}),
            "--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n+x\n a\n b\n\\ No newline at end of file\n");
}

TEST(UnifiedDiff, PureInsertionNamesTheLineBefore) {
  EXPECT_EQ(unified_diff({{"f", ""}}, {{"f", "x\n"}}), "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+x\n");
}

TEST(UnifiedDiff, KeepsCarriageReturnsAndSkipsUnchangedFiles) {
  std::string d = unified_diff({{"w", "a\r\nb\r\n"}, {"same", "x"}}, {{"w", "a\r\nc\r\n"}, {"same", "x"}});
  EXPECT_EQ(d, "--- a/w\n+++ b/w\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n");
}

TEST(UnifiedDiff, LargeRewritesStayCorrect) {
  // Thousands of repeated lines removed (a notebook's outputs): no unique anchors, Myers capped.
  std::string before, after;
  for (int i = 0; i < 3000; ++i) {
    before += "keep\n";
    before += "    \"output\": 1,\n";
    after += "keep\n";
  }
  std::string d = unified_diff({{"n", before}}, {{"n", after}});
  size_t minus = 0, plus = 0, context = 0;
  for (size_t at = d.find('\n') + 1; at < d.size();) {
    size_t nl = d.find('\n', at);
    char c = d[at];
    if (c == '-' && d.compare(at, 4, "--- ") != 0) ++minus;
    if (c == '+' && d.compare(at, 4, "+++ ") != 0) ++plus;
    if (c == ' ') ++context;
    at = nl + 1;
  }
  EXPECT_EQ(minus - plus, 3000u);  // every removed line is shown, whatever the alignment
}

}  // namespace
}  // namespace mlops
