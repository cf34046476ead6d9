// Commit snapshots on hostile trees: blobs too large to inflate are refused by their header size.
#include "repo/git_tree_snapshot.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "util/limits.h"

namespace mlops {
namespace {

namespace fs = std::filesystem;

class GitTreeSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("mlops-git-tree-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel, std::ios::binary) << text;
  }
  void git(const std::string& args) {
    std::string cmd = "cd '" + root_.string() +
                      "' && git -c user.name=t -c user.email=t@example.com -c init.defaultBranch=main "
                      "-c commit.gpgsign=false " +
                      args + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }
  fs::path root_;
};

// A .gitattributes over the cap is neither inflated for a prefix nor applied, and says so; one
// under it still marks LFS files.
TEST_F(GitTreeSnapshotTest, OversizedGitattributesIsNotAppliedAndSaysSo) {
  // Compresses to a few KB and inflates past the cap.
  write("big/.gitattributes",
        "*.bin filter=lfs diff=lfs merge=lfs -text\n" + std::string(3 << 20, '#') + "\n");
  write("big/model.bin", "weights");
  write("small/.gitattributes", "*.bin filter=lfs diff=lfs merge=lfs -text\n");
  write("small/model.bin", "weights");
  git("init -q");
  git("add -A");
  git("commit -qm first");
  std::string error;
  SnapshotOptions opts;
  auto snap = open_commit_snapshot(root_.string(), "HEAD", opts, error);
  ASSERT_TRUE(snap) << error;
  const auto& diags = snap->diagnostics();
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].where.path, "big/.gitattributes");
  EXPECT_EQ(diags[0].message, "larger than 1048576 bytes; its attributes are not applied");
  for (const auto& f : snap->files()) {
    if (f.path == "big/model.bin") {
      EXPECT_FALSE(f.lfs_tracked);
    }
    if (f.path == "small/model.bin") {
      EXPECT_TRUE(f.lfs_tracked);
    }
  }
  // A prefix of a blob past the inflate cap is refused; a whole read of it is not.
  auto big = std::find_if(snap->files().begin(), snap->files().end(),
                          [](const FileEntry& f) { return f.path == "big/.gitattributes"; });
  ASSERT_NE(big, snap->files().end());
  ReadResult prefix = snap->read(*big, 100);
  ASSERT_TRUE(prefix.error.has_value());
  EXPECT_TRUE(prefix.error->starts_with("oversized")) << *prefix.error;
  ReadResult whole = snap->read(*big, big->size);
  EXPECT_FALSE(whole.error.has_value());
  EXPECT_EQ(whole.bytes.size(), big->size);
}

// A commit's .ipynb_checkpoints/ copies are committed by definition: set aside, not listed.
TEST_F(GitTreeSnapshotTest, JupyterCheckpointsAreSetAside) {
  write("nb/explore.ipynb", "{}");
  write("nb/.ipynb_checkpoints/explore-checkpoint.ipynb", "{\"cells\": []}");
  write(".ipynb_checkpoints/train-checkpoint.py", "x = 1\n");
  git("init -q");
  git("add -A");
  git("commit -qm first");
  std::string error;
  auto snap = open_commit_snapshot(root_.string(), "HEAD", {}, error);
  ASSERT_TRUE(snap) << error;
  ASSERT_EQ(snap->files().size(), 1u);
  EXPECT_EQ(snap->files()[0].path, "nb/explore.ipynb");
  const auto& aside = snap->set_aside();
  ASSERT_EQ(aside.size(), 2u);
  EXPECT_EQ(aside[0].path, ".ipynb_checkpoints/train-checkpoint.py");
  EXPECT_EQ(aside[1].path, "nb/.ipynb_checkpoints/explore-checkpoint.ipynb");
  EXPECT_EQ(aside[1].size, 13u);  // {"cells": []}
  EXPECT_TRUE(aside[1].tracked);
  EXPECT_EQ(aside[1].kind, AsideKind::kJupyterCheckpoint);
}

}  // namespace
}  // namespace mlops
