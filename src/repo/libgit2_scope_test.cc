// Tests of may_be_in_git: the cheap check that decides whether libgit2 is initialised at all.
#include "repo/libgit2_scope.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/temp_dir.h"

namespace mlops {
namespace {

namespace fs = std::filesystem;

TEST(MayBeInGit, FalseOutsideAnyRepository) {
  test_support::TempDir d;
  if (may_be_in_git(d.path().parent_path().string()))
    GTEST_SKIP() << "the temporary directory is in a repository";
  fs::create_directories(d.path() / "a/b");
  EXPECT_FALSE(may_be_in_git(d.path().string()));
  EXPECT_FALSE(may_be_in_git((d.path() / "a/b").string()));
}

TEST(MayBeInGit, TrueInAWorkTreeAnyDepthAndInTheGitDirectory) {
  test_support::TempDir d;
  fs::create_directories(d.path() / ".git/objects");
  std::ofstream(d.path() / ".git/HEAD") << "ref: refs/heads/main\n";
  fs::create_directories(d.path() / "src/deep");
  EXPECT_TRUE(may_be_in_git(d.path().string()));
  EXPECT_TRUE(may_be_in_git((d.path() / "src/deep").string()));
  EXPECT_TRUE(may_be_in_git((d.path() / ".git").string()));
  EXPECT_TRUE(may_be_in_git((d.path() / ".git/objects").string()));
}

TEST(MayBeInGit, TrueForAGitFileAndABareRepository) {
  test_support::TempDir d;
  fs::create_directories(d.path() / "wt");
  std::ofstream(d.path() / "wt/.git") << "gitdir: ../bare\n";  // worktrees and submodules
  EXPECT_TRUE(may_be_in_git((d.path() / "wt").string()));
  fs::create_directories(d.path() / "bare/objects");
  std::ofstream(d.path() / "bare/HEAD") << "ref: refs/heads/main\n";
  EXPECT_TRUE(may_be_in_git((d.path() / "bare").string()));
}

TEST(MayBeInGit, FollowsASymlinkedRootToItsRepository) {
  test_support::TempDir d;
  fs::create_directories(d.path() / "repo/.git");
  fs::create_directories(d.path() / "repo/sub");
  fs::create_directories(d.path() / "elsewhere");
  fs::create_directory_symlink(d.path() / "repo/sub", d.path() / "elsewhere/link");
  EXPECT_TRUE(may_be_in_git((d.path() / "elsewhere/link").string()));
}

}  // namespace
}  // namespace mlops
