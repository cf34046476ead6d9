#include "util/glob.h"

#include <gtest/gtest.h>

namespace mlops {

TEST(Glob, BasenameMatchesAtAnyDepth) {
  EXPECT_TRUE(glob_match("*.py", "train.py"));
  EXPECT_TRUE(glob_match("*.py", "src/models/train.py"));
  EXPECT_FALSE(glob_match("*.py", "train.pyc"));
  EXPECT_TRUE(glob_match("README*", "docs/README.md"));
}

TEST(Glob, SlashAnchorsAtRoot) {
  EXPECT_TRUE(glob_match("/README*", "README.md"));
  EXPECT_FALSE(glob_match("/README*", "docs/README.md"));
  EXPECT_TRUE(glob_match(".github/workflows/*.yml", ".github/workflows/ci.yml"));
  EXPECT_FALSE(glob_match(".github/workflows/*.yml", "x/.github/workflows/ci.yml"));
}

TEST(Glob, DoubleStarCrossesDirectories) {
  EXPECT_TRUE(glob_match("tests/**/*.py", "tests/unit/a/test_x.py"));
  EXPECT_TRUE(glob_match("tests/**/*.py", "tests/test_x.py"));
  EXPECT_TRUE(glob_match("**/data/*.csv", "data/x.csv"));
  EXPECT_FALSE(glob_match("tests/**/*.py", "src/tests/test_x.py"));
}

TEST(Glob, ClassesAndQuestionMark) {
  EXPECT_TRUE(glob_match_full("file[0-9].txt", "file3.txt"));
  EXPECT_FALSE(glob_match_full("file[!0-9].txt", "file3.txt"));
  EXPECT_TRUE(glob_match_full("?.py", "a.py"));
  EXPECT_FALSE(glob_match_full("?.py", "ab.py"));
}

}  // namespace mlops

namespace mlops {
namespace {

TEST(Glob, ListsWithExclusionsLetTheLastMatchDecide) {
  std::vector<std::string> py_not_docs = {"*.py", "!docs/**"};
  EXPECT_TRUE(matches_globs(py_not_docs, "src/train.py"));
  EXPECT_FALSE(matches_globs(py_not_docs, "docs/conf.py"));
  EXPECT_FALSE(matches_globs(py_not_docs, "README.md"));
  std::vector<std::string> but_conf = {"*.py", "!docs/**", "docs/conf.py"};
  EXPECT_TRUE(matches_globs(but_conf, "docs/conf.py"));
  EXPECT_FALSE(matches_globs(but_conf, "docs/other.py"));
  std::vector<std::string> only_exclusion = {"!tests/**"};
  EXPECT_TRUE(matches_globs(only_exclusion, "src/a.py"));
  EXPECT_FALSE(matches_globs(only_exclusion, "tests/test_a.py"));
  EXPECT_FALSE(matches_globs({}, "a.py"));
}

TEST(Glob, NameListsMatchWholeNamesWithExclusions) {
  std::vector<std::string> fits = {"*.fit", "!sklearn.preprocessing.*"};
  EXPECT_TRUE(matches_names(fits, "sklearn.linear_model.LogisticRegression().fit"));
  EXPECT_FALSE(matches_names(fits, "sklearn.preprocessing.StandardScaler().fit"));
  EXPECT_FALSE(matches_names(fits, "model.fit_transform"));
  EXPECT_FALSE(matches_names({"fit"}, "a.fit"));  // whole names: no basename rule
}

}  // namespace
}  // namespace mlops
