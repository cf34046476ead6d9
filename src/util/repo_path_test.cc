#include "util/repo_path.h"

#include <gtest/gtest.h>

namespace mlops {
namespace {

TEST(RepoPath, JoinsInsideTheRepositoryOnly) {
  EXPECT_EQ(join_repo_path("", "a/./b//c.txt"), "a/b/c.txt");
  EXPECT_EQ(join_repo_path("svc", "../common/base.txt"), "common/base.txt");
  EXPECT_EQ(join_repo_path("a/b", ".."), "a");
  EXPECT_EQ(join_repo_path("", "../x"), "");  // above the root
  EXPECT_EQ(join_repo_path("a", "../../x"), "");
  EXPECT_EQ(join_repo_path("", "/etc/passwd"), "");
  EXPECT_EQ(join_repo_path("", "~/x"), "");
  EXPECT_EQ(join_repo_path("", "."), "");        // the root itself
  EXPECT_EQ(join_repo_path("", "$HOME/x"), "");  // a shell would expand it
  EXPECT_EQ(join_repo_path("", "a\\b"), "");
  EXPECT_EQ(join_repo_path("", std::string_view("a\0b", 3)), "");
  EXPECT_EQ(join_repo_path("/abs", "x"), "");
}

}  // namespace
}  // namespace mlops
