#include "util/glob.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

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

TEST(Glob, CompiledListsAnswerLikeTheGeneralMatcher) {
  // Every glob alone, negated after `*`, and the rules' usual lists, against paths that sit on
  // each shape's edges: the compiled list must agree with matches_globs everywhere.
  const std::vector<std::string> globs = {"*.py",
                                          "*.ipynb",
                                          "conftest.py",
                                          "tests/**",
                                          "**/tests/**",
                                          "**/*.py",
                                          "**/conftest.py",
                                          "test_*.py",
                                          "*_test.py",
                                          "/README*",
                                          "/Dockerfile",
                                          "docs/conf.py",
                                          ".github/workflows/**",
                                          "**/node_modules/**",
                                          "*",
                                          "**",
                                          "a[bc].py",
                                          "*.[ch]",
                                          "src/**/x.py",
                                          "!",
                                          "**/.devcontainer/**",
                                          "*environment*.yml",
                                          "Dockerfile.*",
                                          "data/*.csv",
                                          "\\*.py",
                                          "py",
                                          "**/py",
                                          "docker-compose*.yml",
                                          "/config.yml",
                                          "/README*",
                                          ".github/workflows/*.yml",
                                          "configs/**/*.yaml",
                                          "conf/**/catalog*.yml",
                                          "tests/**/*.py",
                                          "**/tests/**/*.py",
                                          "requirements*.txt",
                                          "model_card*",
                                          "a*",
                                          "*a",
                                          "/x/*.py",
                                          "src/*",
                                          "**/src/*.py",
                                          "**/a/**/b.py",
                                          "/**",
                                          "**/*",
                                          "data/**/*",
                                          "/a/**",
                                          "*config*.py",
                                          "*a*a*",
                                          "a*b*c",
                                          "x/*a*b",
                                          "x/a**b",
                                          "**/*ab*a",
                                          "*ab*b",
                                          "**/data/**/*.py",
                                          "**/a/b/**/x*.py",
                                          "**/x/**/a"};
  const std::vector<std::string> paths = {"a.py",
                                          "src/a.py",
                                          "a.pyw",
                                          "nb.ipynb",
                                          "conftest.py",
                                          "x/conftest.py",
                                          "conftest.pyc",
                                          "tests/t.py",
                                          "tests",
                                          "a/tests/t.py",
                                          "atests/t.py",
                                          "a/atests/t.py",
                                          "tests/x/y.ipynb",
                                          "test_a.py",
                                          "x/test_a.py",
                                          "a_test.py",
                                          "README.md",
                                          "docs/README.md",
                                          "Dockerfile",
                                          "x/Dockerfile",
                                          "docs/conf.py",
                                          "x/docs/conf.py",
                                          ".github/workflows/ci.yml",
                                          ".github/workflowsx/ci.yml",
                                          "node_modules/a.js",
                                          "x/node_modules/b.js",
                                          "ab.py",
                                          "a.c",
                                          "src/x.py",
                                          "src/a/b/x.py",
                                          "py",
                                          "x/py",
                                          "a/.devcontainer/c.json",
                                          "environment.yml",
                                          "ci/test-environment.yml",
                                          "Dockerfile.gpu",
                                          "data/a.csv",
                                          "data/x/a.csv",
                                          "*.py",
                                          "docker-compose.yml",
                                          "docker-compose.gpu.yml",
                                          "x/docker-compose.yml",
                                          "config.yml",
                                          "x/config.yml",
                                          "README",
                                          "README.md",
                                          ".github/workflows/a.yml",
                                          ".github/workflows/x/a.yml",
                                          "configs/a.yaml",
                                          "configs/x/y/a.yaml",
                                          "xconfigs/a.yaml",
                                          "conf/base/catalog.yml",
                                          "conf/catalog_x.yml",
                                          "tests/a/b.py",
                                          "requirements.txt",
                                          "requirements-dev.txt",
                                          "model_card.md",
                                          "a",
                                          "ba",
                                          "x/a.py",
                                          "src/a",
                                          "src/x/a",
                                          "a/src/b.py",
                                          "a/b.py",
                                          "a/x/b.py",
                                          "x/a/y/b.py",
                                          "data/x",
                                          "data",
                                          "a/b/c",
                                          "my_config_x.py",
                                          "config.py",
                                          "x/config.py.bak",
                                          "aa",
                                          "aaa",
                                          "aXbXc",
                                          "abc",
                                          "ac",
                                          "x/ab",
                                          "x/aab",
                                          "x/a/b",
                                          "x/y/aab",
                                          "aba",
                                          "y/abxa",
                                          "data/x.py",
                                          "x/data/y/z.py",
                                          "xdata/a.py",
                                          "a/data.py",
                                          "data/a/data.py",
                                          "a/b/x1.py",
                                          "q/a/b/c/x2.py",
                                          "a/bb/x.py",
                                          "qa/b/x.py",
                                          "x/a",
                                          "x/x/a",
                                          "y/x/q/a"};
  for (const auto& g : globs) {
    for (const auto& list : std::vector<std::vector<std::string>>{{g}, {"*", "!" + g}, {"!" + g}}) {
      GlobList compiled(list);
      for (const auto& p : paths)
        EXPECT_EQ(compiled.matches(p), matches_globs(list, p)) << "globs " << list.back() << " path " << p;
      // A list that names its extensions matches no path with another.
      if (auto exts = compiled.extensions()) {
        for (const auto& p : paths) {
          if (compiled.matches(p)) {
            EXPECT_TRUE(std::binary_search(exts->begin(), exts->end(), std::string(path_extension(p))))
                << "globs " << list.back() << " path " << p;
          }
        }
      }
    }
  }
  // Where a list answers a whole extension at once, every path with that extension gets it.
  size_t decided = 0;
  for (const auto& g : globs) {
    for (const auto& list : std::vector<std::vector<std::string>>{
             {g}, {"*", "!" + g}, {"!" + g}, {"*.py", "!" + g}, {g, "!*.py"}, {"*.py", g, "!*.yml"}}) {
      GlobList compiled(list);
      for (const auto& p : paths) {
        if (auto answer = compiled.answer_for_extension(path_extension(p))) {
          ++decided;
          EXPECT_EQ(compiled.matches(p), *answer)
              << "globs " << testing::PrintToString(list) << " path " << p;
        }
      }
    }
  }
  EXPECT_GT(decided, paths.size() * globs.size());
  const std::vector<std::string> not_tests = {
      "*.py",        "*.pyw",        "*.ipynb",         "!tests/**",  "!**/tests/**", "!test/**",
      "!**/test/**", "!conftest.py", "!**/conftest.py", "!test_*.py", "!*_test.py"};
  GlobList compiled(not_tests);
  for (const auto& p : paths) EXPECT_EQ(compiled.matches(p), matches_globs(not_tests, p)) << p;
  EXPECT_FALSE(GlobList(std::vector<std::string>{}).matches("a.py"));
}

TEST(Glob, ListsKnowTheExtensionsTheyAdmit) {
  using Exts = std::optional<std::vector<std::string>>;
  auto exts = [](std::vector<std::string> globs) { return GlobList(globs).extensions(); };
  EXPECT_EQ(exts({"*.py", "*.ipynb", "!tests/**"}), Exts({{".ipynb", ".py"}}));
  EXPECT_EQ(exts({"conftest.py", "**/data/**/*.py", "/config.yaml"}), Exts({{".py", ".yaml"}}));
  EXPECT_EQ(exts({"*requirements*.txt", "requirements/*.txt"}), Exts({{".txt"}}));
  EXPECT_EQ(exts({"*.tar.gz"}), Exts({{".gz"}}));
  EXPECT_EQ(exts({"Dockerfile", "MLproject"}), Exts({{""}}));
  EXPECT_EQ(exts({}), Exts(std::vector<std::string>{}));  // matches nothing
  // Any extension: a directory's every file, a name without one after its '*', an exclusion first.
  EXPECT_EQ(exts({"*.py", "tests/**"}), std::nullopt);
  EXPECT_EQ(exts({"*_test"}), std::nullopt);
  EXPECT_EQ(exts({"README*"}), std::nullopt);
  EXPECT_EQ(exts({"*.y?ml"}), std::nullopt);
  EXPECT_EQ(exts({"!docs/**"}), std::nullopt);
  EXPECT_EQ(path_extension("a/b.tar.gz"), ".gz");
}

TEST(Glob, ListsAnswerAWholeExtensionWhenThePathCannotMatter) {
  auto answer = [](std::vector<std::string> globs, std::string_view ext) {
    return GlobList(globs).answer_for_extension(ext);
  };
  EXPECT_EQ(answer({"*.py", "*.ipynb"}, ".py"), true);
  EXPECT_EQ(answer({"**/*.py"}, ".py"), true);
  EXPECT_EQ(answer({"*.yaml", "*.yml"}, ".py"), false);
  EXPECT_EQ(answer({"!*.ipynb", "!*.lock"}, ".py"), true);
  EXPECT_EQ(answer({"!*.ipynb", "!*.lock"}, ".ipynb"), false);
  EXPECT_EQ(answer({"test_*.py", "*.py"}, ".py"), true);  // the second takes in every one
  EXPECT_EQ(answer({"*.py", "!*.py"}, ".py"), false);
  // The rest of the path decides: a name, a directory, an exclusion below.
  EXPECT_EQ(answer({"test_*.py"}, ".py"), std::nullopt);
  EXPECT_EQ(answer({"*.py", "!tests/**"}, ".py"), std::nullopt);
  EXPECT_EQ(answer({"/*.py"}, ".py"), std::nullopt);
  EXPECT_EQ(answer({"*"}, ""), true);
  EXPECT_EQ(answer({"Dockerfile"}, ""), std::nullopt);
  EXPECT_EQ(answer({}, ".py"), false);
  EXPECT_EQ(path_extension("a.b/Makefile"), "");
  EXPECT_EQ(path_extension(".gitignore"), ".gitignore");
}

}  // namespace
}  // namespace mlops
