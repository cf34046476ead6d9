#include "repo/ignore_rules.h"

#include <gtest/gtest.h>

#include <string>

namespace mlops {

TEST(IgnoreRules, SimplePatternMatchesBasenameAtAnyDepth) {
  IgnoreRules r;
  r.add_file("", "*.pyc\n# a comment\n\n__pycache__/\n");
  EXPECT_TRUE(r.ignored("a.pyc", false));
  EXPECT_TRUE(r.ignored("src/pkg/a.pyc", false));
  EXPECT_FALSE(r.ignored("a.py", false));
  EXPECT_FALSE(r.ignored("# a comment", false));
}

TEST(IgnoreRules, NegationReincludesAndLastMatchWins) {
  IgnoreRules r;
  r.add_file("", "*.csv\n!keep.csv\n");
  EXPECT_TRUE(r.ignored("data/train.csv", false));
  EXPECT_FALSE(r.ignored("keep.csv", false));
  EXPECT_FALSE(r.ignored("data/keep.csv", false));

  IgnoreRules again;
  again.add_file("", "!keep.csv\n*.csv\n");
  EXPECT_TRUE(again.ignored("keep.csv", false));
}

TEST(IgnoreRules, EscapedLeadingBangIsLiteral) {
  IgnoreRules r;
  r.add_file("", "\\!important\n");
  EXPECT_TRUE(r.ignored("!important", false));
  EXPECT_FALSE(r.ignored("important", false));
}

TEST(IgnoreRules, DirectoryOnlyPatternsSkipFiles) {
  IgnoreRules r;
  r.add_file("", "build/\n");
  EXPECT_TRUE(r.ignored("build", true));
  EXPECT_TRUE(r.ignored("src/build", true));
  EXPECT_FALSE(r.ignored("build", false));
  EXPECT_FALSE(r.ignored("src/build", false));
}

TEST(IgnoreRules, LeadingSlashAnchorsAtTheGitignoreDirectory) {
  IgnoreRules r;
  r.add_file("", "/output\n");
  EXPECT_TRUE(r.ignored("output", true));
  EXPECT_TRUE(r.ignored("output", false));
  EXPECT_FALSE(r.ignored("src/output", true));
}

TEST(IgnoreRules, MiddleSlashAnchors) {
  IgnoreRules r;
  r.add_file("", "doc/*.txt\n");
  EXPECT_TRUE(r.ignored("doc/notes.txt", false));
  EXPECT_FALSE(r.ignored("doc/sub/notes.txt", false));
  EXPECT_FALSE(r.ignored("x/doc/notes.txt", false));
}

TEST(IgnoreRules, DoubleStarPatterns) {
  IgnoreRules r;
  r.add_file("", "**/logs\nmodels/**/*.pt\n");
  EXPECT_TRUE(r.ignored("logs", true));
  EXPECT_TRUE(r.ignored("a/b/logs", true));
  EXPECT_TRUE(r.ignored("models/x/y/m.pt", false));
  EXPECT_TRUE(r.ignored("models/m.pt", false));
  EXPECT_FALSE(r.ignored("other/m.pt", false));
}

TEST(IgnoreRules, NestedGitignoreAppliesOnlyBelowItsDirectory) {
  IgnoreRules r;
  r.add_file("", "*.log\n");
  r.add_file("sub", "*.tmp\n/local.cfg\n!debug.log\n");
  EXPECT_TRUE(r.ignored("sub/x.tmp", false));
  EXPECT_TRUE(r.ignored("sub/deeper/x.tmp", false));
  EXPECT_FALSE(r.ignored("x.tmp", false));
  EXPECT_FALSE(r.ignored("other/x.tmp", false));
  EXPECT_FALSE(r.ignored("subway/x.tmp", false));
  // Anchored to the nested file's directory.
  EXPECT_TRUE(r.ignored("sub/local.cfg", false));
  EXPECT_FALSE(r.ignored("local.cfg", false));
  EXPECT_FALSE(r.ignored("sub/deeper/local.cfg", false));
  // The deeper file's negation overrides the root pattern below it only.
  EXPECT_FALSE(r.ignored("sub/debug.log", false));
  EXPECT_TRUE(r.ignored("debug.log", false));
  EXPECT_TRUE(r.ignored("sub/other.log", false));
}

TEST(IgnoreRules, TrailingWhitespaceAndCrlfAreTrimmed) {
  IgnoreRules r;
  r.add_file("", "secret.env  \r\n*.bak\r\n");
  EXPECT_TRUE(r.ignored("secret.env", false));
  EXPECT_TRUE(r.ignored("a/b.bak", false));
}

TEST(IgnoreRules, AddPatternIsRootRelative) {
  IgnoreRules r;
  r.add_pattern(".venv/");
  r.add_pattern("data/raw/*");
  EXPECT_TRUE(r.ignored(".venv", true));
  EXPECT_TRUE(r.ignored("pkg/.venv", true));
  EXPECT_TRUE(r.ignored("data/raw/x.csv", false));
  EXPECT_FALSE(r.ignored("src/data/raw/x.csv", false));
}

TEST(IgnoreRules, EmptyRulesIgnoreNothing) {
  IgnoreRules r;
  r.add_file("", "");
  r.add_file("", "\n\n   \n#only comments\n!\n/\n");
  EXPECT_FALSE(r.ignored("anything", false));
  EXPECT_FALSE(r.ignored("anything", true));
}

TEST(LfsAttributes, FilterLfsPatterns) {
  LfsAttributes a;
  a.add_file("",
             "# comment\n*.bin filter=lfs diff=lfs merge=lfs -text\n*.txt text eol=lf\n"
             "/models/*.pt filter=lfs diff=lfs merge=lfs -text\n");
  EXPECT_TRUE(a.tracked("weights.bin"));
  EXPECT_TRUE(a.tracked("deep/dir/weights.bin"));
  EXPECT_FALSE(a.tracked("notes.txt"));
  EXPECT_TRUE(a.tracked("models/m.pt"));
  EXPECT_FALSE(a.tracked("other/models/m.pt"));
  EXPECT_FALSE(a.tracked("m.pt"));
}

TEST(LfsAttributes, LaterUnsetWinsAndNestedFilesAreScoped) {
  LfsAttributes a;
  a.add_file("", "*.bin filter=lfs diff=lfs merge=lfs -text\n");
  a.add_file("small", "*.bin -filter\n");
  a.add_file("vendor", "tiny.bin !filter\n");
  a.add_file("data", "*.parquet filter=lfs\n");
  EXPECT_TRUE(a.tracked("x.bin"));
  EXPECT_FALSE(a.tracked("small/x.bin"));
  EXPECT_FALSE(a.tracked("vendor/tiny.bin"));
  EXPECT_TRUE(a.tracked("vendor/other.bin"));
  EXPECT_TRUE(a.tracked("data/a/b.parquet"));
  EXPECT_FALSE(a.tracked("b.parquet"));
}

TEST(LfsAttributes, CrlfLinesAreParsed) {
  LfsAttributes a;
  a.add_file("", "*.onnx filter=lfs diff=lfs merge=lfs -text\r\n*.h5 filter=lfs\r\n");
  EXPECT_TRUE(a.tracked("m.onnx"));
  EXPECT_TRUE(a.tracked("m.h5"));
}

TEST(IsLfsPointer, RecognisesPointerFiles) {
  std::string pointer =
      "version https://git-lfs.github.com/spec/v1\n"
      "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
      "size 12345\n";
  EXPECT_TRUE(is_lfs_pointer(pointer));
  EXPECT_FALSE(is_lfs_pointer(""));
  EXPECT_FALSE(is_lfs_pointer("version https://git-lfs"));
  EXPECT_FALSE(is_lfs_pointer("hello\n" + pointer));
  EXPECT_FALSE(is_lfs_pointer(pointer + std::string(2000, 'x')));
}

}  // namespace mlops
