#include "repo/disk_snapshot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "repo/git_tree_snapshot.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;

namespace mlops {
namespace {

using mlops::test_support::TempDir;

std::vector<std::string> paths(const Snapshot& s) {
  std::vector<std::string> out;
  for (const auto& f : s.files()) out.push_back(f.path);
  return out;
}

// The set-aside files as "path" (tracked) or "path?" (untracked), in listing order.
std::vector<std::string> aside(const Snapshot& s) {
  std::vector<std::string> out;
  for (const auto& a : s.set_aside()) out.push_back(a.path + (a.tracked ? "" : "?"));
  return out;
}

const FileEntry* find(const Snapshot& s, const std::string& path) {
  for (const auto& f : s.files())
    if (f.path == path) return &f;
  return nullptr;
}

bool has_git() {
  return std::system("git --version >/dev/null 2>&1") == 0;
}

int git(const TempDir& dir, const std::string& args) {
  std::string cmd = "cd '" + dir.str() +
                    "' && git -c user.name=t -c user.email=t@t -c commit.gpgsign=false " + args +
                    " >/dev/null 2>&1";
  return std::system(cmd.c_str());
}

TEST(DiskSnapshotWalk, ListsFilesSortedWithSizes) {
  TempDir d;
  d.write("b.py", "print(1)\n");
  d.write("a/z.txt", "z");
  d.write("a/b/c.yaml", "k: v\n");
  d.write("A.md", "# readme\n");
  auto snap = DiskSnapshot::walk(d.str(), {});
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->kind(), "directory");
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"A.md", "a/b/c.yaml", "a/z.txt", "b.py"}));
  const FileEntry* f = find(*snap, "b.py");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->size, 9u);
  EXPECT_FALSE(f->cache_key.empty());
  EXPECT_FALSE(f->tracked);
  EXPECT_FALSE(f->oversized);
  ReadResult r = snap->read(*f, 1024);
  EXPECT_FALSE(r.error);
  EXPECT_EQ(r.bytes, "print(1)\n");
  r = snap->read(*f, 5);
  EXPECT_EQ(r.bytes, "print");
  EXPECT_TRUE(snap->diagnostics().empty());
}

TEST(DiskSnapshotWalk, HonoursGitignoreFiles) {
  TempDir d;
  d.write(".gitignore", "*.log\ndata/\n/out\n!keep.log\n");
  d.write("train.py", "x");
  d.write("run.log", "x");
  d.write("keep.log", "x");
  d.write("data/raw.csv", "x");
  d.write("out/model.pkl", "x");
  d.write("src/out/ok.py", "x");
  d.write("src/.gitignore", "generated_*.py\n");
  d.write("src/generated_a.py", "x");
  d.write("src/real.py", "x");
  d.write("generated_b.py", "x");
  auto snap = DiskSnapshot::walk(d.str(), {});
  EXPECT_EQ(paths(*snap),
            (std::vector<std::string>{".gitignore", "generated_b.py", "keep.log", "src/.gitignore",
                                      "src/out/ok.py", "src/real.py", "train.py"}));
}

// The walk's two threads share the directories to visit: each directory's .gitignore applies
// beneath it only (not to a sibling visited at the same time), and a deeper one after it.
TEST(DiskSnapshotWalk, EachGitignoreAppliesBeneathItsDirectoryOnly) {
  TempDir d;
  std::vector<std::string> expected = {".gitignore"};
  d.write(".gitignore", "*.tmp\n");
  for (int k = 0; k < 60; ++k) {
    const std::string dir = "d" + std::to_string(100 + k);
    d.write(dir + "/.gitignore", "*.k" + std::to_string(k) + "\n");
    d.write(dir + "/a.k" + std::to_string(k), "x");             // ignored here
    d.write(dir + "/a.k" + std::to_string((k + 1) % 60), "x");  // a sibling's pattern: kept
    d.write(dir + "/sub/.gitignore", "!keep.k" + std::to_string(k) + "\n");
    d.write(dir + "/sub/keep.k" + std::to_string(k), "x");  // re-included below
    d.write(dir + "/sub/drop.k" + std::to_string(k), "x");
    d.write(dir + "/sub/x.tmp", "x");  // the root's pattern
    for (const auto& kept : {dir + "/.gitignore", dir + "/a.k" + std::to_string((k + 1) % 60),
                             dir + "/sub/.gitignore", dir + "/sub/keep.k" + std::to_string(k)})
      expected.push_back(kept);
  }
  std::sort(expected.begin(), expected.end());
  for (int run = 0; run < 3; ++run) {
    auto snap = DiskSnapshot::walk(d.str(), {});
    EXPECT_EQ(paths(*snap), expected);
  }
}

TEST(DiskSnapshotWalk, SkipsBuiltinAndConfiguredExcludes) {
  TempDir d;
  d.write(".git/config", "x");
  d.write(".venv/lib/site.py", "x");
  d.write("venv/bin/activate", "x");
  d.write("node_modules/x/index.js", "x");
  d.write("pkg/__pycache__/m.cpython-311.pyc", "x");
  d.write(".ipynb_checkpoints/nb-checkpoint.ipynb", "{}");
  d.write(".dvc/cache/ab/cdef", "x");
  d.write(".dvc/config", "x");
  d.write("scratch/tmp.py", "x");
  d.write("main.py", "x");
  SnapshotOptions opts;
  opts.exclude = {"scratch/"};
  auto snap = DiskSnapshot::walk(d.str(), opts);
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{".dvc/config", "main.py"}));
  // Not a file to analyse, but listed apart: NBK003 reports it.
  EXPECT_EQ(aside(*snap), (std::vector<std::string>{".ipynb_checkpoints/nb-checkpoint.ipynb?"}));
}

TEST(AsideKind, OnlyFilesBelowAnIpynbCheckpointsDirectory) {
  EXPECT_EQ(aside_kind(".ipynb_checkpoints/a-checkpoint.ipynb"), AsideKind::kJupyterCheckpoint);
  EXPECT_EQ(aside_kind("nb/.ipynb_checkpoints/deeper/a-checkpoint.py"), AsideKind::kJupyterCheckpoint);
  EXPECT_EQ(aside_kind(".ipynb_checkpoints"), std::nullopt);  // a file of that name
  EXPECT_EQ(aside_kind("nb/.ipynb_checkpoints"), std::nullopt);
  EXPECT_EQ(aside_kind("x.ipynb_checkpoints/a.ipynb"), std::nullopt);
  EXPECT_EQ(aside_kind(".ipynb_checkpoints_old/a.ipynb"), std::nullopt);
  EXPECT_EQ(aside_kind("checkpoints/model-checkpoint.ipynb"), std::nullopt);
}

TEST(DiskSnapshotWalk, JupyterCheckpointsAreSetAsideSortedUnlessIgnoredOrExcluded) {
  TempDir d;
  d.write("explore.ipynb", "{}");
  d.write("nb/.ipynb_checkpoints/train-checkpoint.ipynb", "{}");
  d.write(".ipynb_checkpoints/explore-checkpoint.ipynb", "{}");
  d.write("nb/train.ipynb", "{}");
  d.write("old/.gitignore", ".ipynb_checkpoints/\n");
  d.write("old/.ipynb_checkpoints/x-checkpoint.ipynb", "{}");
  d.write("scratch/.ipynb_checkpoints/y-checkpoint.ipynb", "{}");
  SnapshotOptions opts;
  opts.exclude = {"scratch/"};
  auto snap = DiskSnapshot::walk(d.str(), opts);
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"explore.ipynb", "nb/train.ipynb", "old/.gitignore"}));
  EXPECT_EQ(aside(*snap), (std::vector<std::string>{".ipynb_checkpoints/explore-checkpoint.ipynb?",
                                                    "nb/.ipynb_checkpoints/train-checkpoint.ipynb?"}));
  EXPECT_EQ(snap->set_aside()[0].size, 2u);
  EXPECT_EQ(snap->set_aside()[0].kind, AsideKind::kJupyterCheckpoint);
}

TEST(DiskSnapshotWalk, NeverFollowsSymlinksOutOfTheRoot) {
  TempDir outside;
  outside.write("secret.txt", "top secret");
  outside.write("dir/inner.py", "x");
  TempDir d;
  d.write("main.py", "x");
  fs::create_symlink(outside.path() / "secret.txt", d.path() / "leak.txt");
  fs::create_directory_symlink(outside.path() / "dir", d.path() / "leakdir");
  fs::create_symlink("/nonexistent/for/sure", d.path() / "dangling");
  auto snap = DiskSnapshot::walk(d.str(), {});
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"main.py"}));
  int outside_notes = 0;
  for (const auto& diag : snap->diagnostics())
    if (diag.message.find("outside") != std::string::npos) ++outside_notes;
  EXPECT_GE(outside_notes, 2);
}

TEST(DiskSnapshotWalk, SymlinkedFileInsideRootIsListed) {
  TempDir d;
  d.write("real/config.yaml", "a: 1\n");
  fs::create_symlink("real/config.yaml", d.path() / "config.yaml");
  auto snap = DiskSnapshot::walk(d.str(), {});
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"config.yaml", "real/config.yaml"}));
  const FileEntry* f = find(*snap, "config.yaml");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(snap->read(*f, 100).bytes, "a: 1\n");
}

TEST(DiskSnapshotWalk, SymlinkCyclesDoNotLoop) {
  TempDir d;
  d.write("a/file.py", "x");
  fs::create_directory_symlink("..", d.path() / "a" / "up");
  fs::create_directory_symlink(".", d.path() / "self");
  fs::create_directory_symlink(d.path() / "a", d.path() / "a" / "again");
  fs::create_symlink("loop2", d.path() / "loop1");
  fs::create_symlink("loop1", d.path() / "loop2");
  auto snap = DiskSnapshot::walk(d.str(), {});
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"a/file.py"}));
}

TEST(DiskSnapshotWalk, OversizedFilesAreMarked) {
  TempDir d;
  d.write("big.csv", std::string(5000, 'x'));
  d.write("small.csv", "a,b\n");
  SnapshotOptions opts;
  opts.max_file_size = 1000;
  auto snap = DiskSnapshot::walk(d.str(), opts);
  const FileEntry* big = find(*snap, "big.csv");
  const FileEntry* small = find(*snap, "small.csv");
  ASSERT_NE(big, nullptr);
  ASSERT_NE(small, nullptr);
  EXPECT_TRUE(big->oversized);
  EXPECT_EQ(big->size, 5000u);
  EXPECT_FALSE(small->oversized);
  // The file's content is not needed to list it: an unreadable big file is still listed.
  fs::permissions(d.path() / "big.csv", fs::perms::none);
  auto again = DiskSnapshot::walk(d.str(), opts);
  const FileEntry* big2 = find(*again, "big.csv");
  ASSERT_NE(big2, nullptr);
  EXPECT_TRUE(big2->oversized);
  fs::permissions(d.path() / "big.csv", fs::perms::owner_all);
}

TEST(DiskSnapshotWalk, LfsAttributesAndPointers) {
  TempDir d;
  d.write(".gitattributes", "*.bin filter=lfs diff=lfs merge=lfs -text\n");
  d.write("model.bin",
          "version https://git-lfs.github.com/spec/v1\n"
          "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n");
  d.write("real.bin", std::string("\x01\x02\x03", 3));
  d.write("plain.txt", "hello");
  auto snap = DiskSnapshot::walk(d.str(), {});
  const FileEntry* model = find(*snap, "model.bin");
  const FileEntry* real = find(*snap, "real.bin");
  const FileEntry* plain = find(*snap, "plain.txt");
  ASSERT_TRUE(model && real && plain);
  EXPECT_TRUE(model->lfs_tracked);
  EXPECT_TRUE(model->lfs_pointer);
  EXPECT_TRUE(real->lfs_tracked);
  EXPECT_FALSE(real->lfs_pointer);
  EXPECT_FALSE(plain->lfs_tracked);
  EXPECT_FALSE(plain->lfs_pointer);
}

TEST(DiskSnapshotWalk, ReadOfVanishedFileReportsError) {
  TempDir d;
  d.write("gone.py", "x = 1\n");
  auto snap = DiskSnapshot::walk(d.str(), {});
  ASSERT_EQ(snap->files().size(), 1u);
  fs::remove(d.path() / "gone.py");
  ReadResult r = snap->read(snap->files()[0], 100);
  EXPECT_TRUE(r.error.has_value());
}

TEST(OpenSnapshot, NonexistentPathFails) {
  std::string error;
  auto snap = open_snapshot("/nonexistent/mlops-lint/test/path", {}, error);
  EXPECT_EQ(snap, nullptr);
  EXPECT_FALSE(error.empty());
}

TEST(OpenSnapshot, FileInsteadOfDirectoryFails) {
  TempDir d;
  d.write("f.txt", "x");
  std::string error;
  auto snap = open_snapshot((d.path() / "f.txt").string(), {}, error);
  EXPECT_EQ(snap, nullptr);
  EXPECT_FALSE(error.empty());
}

TEST(OpenSnapshot, PlainDirectoryIsWalked) {
  TempDir d;
  d.write("x.py", "x");
  std::string error;
  auto snap = open_snapshot(d.str(), {}, error);
  // A temp directory is not inside a git work tree (unless TMPDIR is); only check when not.
  ASSERT_TRUE(snap) << error;
  if (snap->kind() == "git") GTEST_SKIP() << "temp directory lies inside a git work tree";
  EXPECT_EQ(snap->kind(), "directory");
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"x.py"}));
}

TEST(GitSnapshot, TrackedAndUntrackedNotIgnored) {
  if (!has_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  ASSERT_EQ(git(d, "init -q"), 0);
  d.write(".gitignore", "*.log\nignored_dir/\n");
  d.write("src/train.py", "import sklearn\n");
  d.write("README.md", "# x\n");
  d.write("tracked.log", "forced\n");
  ASSERT_EQ(git(d, "add .gitignore src/train.py README.md"), 0);
  ASSERT_EQ(git(d, "add -f tracked.log"), 0);
  ASSERT_EQ(git(d, "commit -q -m init"), 0);
  d.write("new.py", "print(1)\n");
  d.write("newdir/a/b.py", "print(2)\n");
  d.write("untracked.log", "x");
  d.write("ignored_dir/x.py", "x");
  d.write(".venv/lib/x.py", "x");
  d.write("node_modules/y.js", "x");

  std::string error;
  auto snap = open_snapshot(d.str(), {}, error);
  ASSERT_TRUE(snap) << error;
  EXPECT_EQ(snap->kind(), "git");
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{".gitignore", "README.md", "new.py", "newdir/a/b.py",
                                                    "src/train.py", "tracked.log"}));
  const FileEntry* t = find(*snap, "src/train.py");
  ASSERT_NE(t, nullptr);
  EXPECT_TRUE(t->tracked);
  EXPECT_EQ(t->cache_key.rfind('b', 0), 0u) << t->cache_key;
  EXPECT_EQ(t->cache_key.size(), 41u) << t->cache_key;
  EXPECT_EQ(snap->read(*t, 1000).bytes, "import sklearn\n");
  const FileEntry* n = find(*snap, "new.py");
  ASSERT_NE(n, nullptr);
  EXPECT_FALSE(n->tracked);
  EXPECT_FALSE(n->cache_key.empty());
  EXPECT_NE(n->cache_key[0], 'b');
  // Same content, same blob id: the cache key identifies content, not the path.
  d.write("copy.py", "import sklearn\n");
  ASSERT_EQ(git(d, "add copy.py"), 0);
  auto again = open_snapshot(d.str(), {}, error);
  ASSERT_TRUE(again);
  const FileEntry* c = find(*again, "copy.py");
  const FileEntry* t2 = find(*again, "src/train.py");
  ASSERT_TRUE(c && t2);
  EXPECT_EQ(c->cache_key, t2->cache_key);
}

// The index and the walk are merged by path: names that sort around each other ("a-b.py",
// "a.py", "a.py.bak", "a/b.py"), tracked and untracked, each listed once with its own key; a
// configured exclude drops tracked files below it too, a .gitignore only untracked ones.
TEST(GitSnapshot, TrackedAndUntrackedPathsAreMergedOnceEach) {
  if (!has_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  ASSERT_EQ(git(d, "init -q"), 0);
  d.write(".gitignore", "gen/\n");
  for (const char* p : {"a.py", "a/b.py", "gen/kept.py", "vendor/lib/x.py", "z/y/x.py"}) d.write(p, p);
  ASSERT_EQ(git(d, "add .gitignore a.py a/b.py vendor z"), 0);
  ASSERT_EQ(git(d, "add -f gen/kept.py"), 0);
  ASSERT_EQ(git(d, "commit -q -m init"), 0);
  for (const char* p : {"a-b.py", "a.py.bak", "a/c.py", "gen/dropped.py", "vendor/new.py", "z/y/w.py"})
    d.write(p, p);
  SnapshotOptions opts;
  opts.exclude = {"vendor/"};
  std::string error;
  auto snap = open_snapshot(d.str(), opts, error);
  ASSERT_TRUE(snap) << error;
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{".gitignore", "a-b.py", "a.py", "a.py.bak", "a/b.py",
                                                    "a/c.py", "gen/kept.py", "z/y/w.py", "z/y/x.py"}));
  for (const char* p : {"a.py", "a/b.py", "gen/kept.py", "z/y/x.py"}) {
    const FileEntry* f = find(*snap, p);
    ASSERT_NE(f, nullptr) << p;
    EXPECT_TRUE(f->tracked) << p;
    EXPECT_EQ(f->cache_key.rfind('b', 0), 0u) << p;
  }
  for (const char* p : {"a-b.py", "a.py.bak", "a/c.py", "z/y/w.py"}) {
    const FileEntry* f = find(*snap, p);
    ASSERT_NE(f, nullptr) << p;
    EXPECT_FALSE(f->tracked) << p;
    EXPECT_EQ(f->cache_key.rfind('s', 0), 0u) << p;
  }
}

// Tracked copies are set aside whatever .gitignore says; untracked ones only when not ignored
// (`git add -A` would commit them); ignored untracked ones are not listed at all.
TEST(GitSnapshot, JupyterCheckpointsTrackedOrNotIgnoredAreSetAside) {
  if (!has_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  ASSERT_EQ(git(d, "init -q"), 0);
  d.write(".gitignore", "ignored/.ipynb_checkpoints/\nforced/.ipynb_checkpoints/\n");
  d.write("a/.ipynb_checkpoints/a-checkpoint.ipynb", "{}");
  d.write("a/a.ipynb", "{}");
  d.write("forced/.ipynb_checkpoints/f-checkpoint.ipynb", "{}");
  ASSERT_EQ(git(d, "add .gitignore a"), 0);
  ASSERT_EQ(git(d, "add -f forced"), 0);
  ASSERT_EQ(git(d, "commit -q -m init"), 0);
  d.write("ignored/.ipynb_checkpoints/i-checkpoint.ipynb", "{}");
  d.write("ignored/i.ipynb", "{}");
  d.write("loose/.ipynb_checkpoints/l-checkpoint.ipynb", "{}");

  std::string error;
  auto snap = open_snapshot(d.str(), {}, error);
  ASSERT_TRUE(snap) << error;
  ASSERT_EQ(snap->kind(), "git");
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{".gitignore", "a/a.ipynb", "ignored/i.ipynb"}));
  EXPECT_EQ(aside(*snap), (std::vector<std::string>{"a/.ipynb_checkpoints/a-checkpoint.ipynb",
                                                    "forced/.ipynb_checkpoints/f-checkpoint.ipynb",
                                                    "loose/.ipynb_checkpoints/l-checkpoint.ipynb?"}));
  // Scanning a subdirectory: its own copies, relative to it.
  auto sub = open_snapshot((d.path() / "a").string(), {}, error);
  ASSERT_TRUE(sub) << error;
  EXPECT_EQ(aside(*sub), (std::vector<std::string>{".ipynb_checkpoints/a-checkpoint.ipynb"}));
}

TEST(GitSnapshot, TagsAreThoseOnHeadOrItsAncestors) {
  if (!has_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  ASSERT_EQ(git(d, "init -q -b main"), 0);
  d.write("train.py", "x = 1\n");
  ASSERT_EQ(git(d, "add train.py"), 0);
  ASSERT_EQ(git(d, "commit -q -m one"), 0);
  ASSERT_EQ(git(d, "tag churn@v1.0.0"), 0);
  ASSERT_EQ(git(d, "tag -a -m stage 'churn#prod#1'"), 0);  // annotated: peeled to its commit
  ASSERT_EQ(git(d, "checkout -q -b experiment"), 0);
  d.write("train.py", "x = 2\n");
  ASSERT_EQ(git(d, "commit -q -am two"), 0);
  ASSERT_EQ(git(d, "tag churn@v2.0.0"), 0);
  ASSERT_EQ(git(d, "checkout -q main"), 0);
  std::string error;
  auto snap = open_snapshot(d.str(), {}, error);
  ASSERT_TRUE(snap) << error;
  // v2.0.0 tags a commit main does not contain.
  EXPECT_EQ(snap->tags(), (std::vector<std::string>{"churn#prod#1", "churn@v1.0.0"}));
  auto commit = open_commit_snapshot(d.str(), "experiment", {}, error);
  ASSERT_TRUE(commit) << error;
  EXPECT_EQ(commit->tags(), (std::vector<std::string>{"churn#prod#1", "churn@v1.0.0", "churn@v2.0.0"}));
}

TEST(GitSnapshot, ModifiedTrackedFileDoesNotReuseBlobKey) {
  if (!has_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  ASSERT_EQ(git(d, "init -q"), 0);
  d.write("a.py", "x = 1\n");
  ASSERT_EQ(git(d, "add a.py"), 0);
  ASSERT_EQ(git(d, "commit -q -m init"), 0);
  std::string error;
  auto before = open_snapshot(d.str(), {}, error);
  ASSERT_TRUE(before);
  std::string key_before = find(*before, "a.py")->cache_key;
  d.write("a.py", "x = 22222\n");
  auto after = open_snapshot(d.str(), {}, error);
  ASSERT_TRUE(after);
  const FileEntry* a = find(*after, "a.py");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->tracked);
  EXPECT_NE(a->cache_key, key_before);
  EXPECT_EQ(after->read(*a, 100).bytes, "x = 22222\n");
}

TEST(GitSnapshot, DeletedTrackedFileIsNotListed) {
  if (!has_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  ASSERT_EQ(git(d, "init -q"), 0);
  d.write("a.py", "x\n");
  d.write("b.py", "y\n");
  ASSERT_EQ(git(d, "add ."), 0);
  ASSERT_EQ(git(d, "commit -q -m init"), 0);
  fs::remove(d.path() / "b.py");
  std::string error;
  auto snap = open_snapshot(d.str(), {}, error);
  ASSERT_TRUE(snap);
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"a.py"}));
}

TEST(GitSnapshot, SubdirectoryOfWorkTreeIsScannedRelative) {
  if (!has_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  ASSERT_EQ(git(d, "init -q"), 0);
  d.write("top.py", "x\n");
  d.write("proj/a.py", "x\n");
  d.write("proj/sub/b.py", "x\n");
  ASSERT_EQ(git(d, "add ."), 0);
  ASSERT_EQ(git(d, "commit -q -m init"), 0);
  d.write("proj/new.py", "x\n");
  std::string error;
  auto snap = open_snapshot((d.path() / "proj").string(), {}, error);
  ASSERT_TRUE(snap) << error;
  EXPECT_EQ(snap->kind(), "git");
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"a.py", "new.py", "sub/b.py"}));
  EXPECT_EQ(snap->read(*find(*snap, "sub/b.py"), 10).bytes, "x\n");
}

TEST(GitSnapshot, LfsPointerDetection) {
  if (!has_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  ASSERT_EQ(git(d, "init -q"), 0);
  d.write(".gitattributes", "*.pt filter=lfs diff=lfs merge=lfs -text\n");
  d.write("models/model.pt",
          "version https://git-lfs.github.com/spec/v1\n"
          "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 99999999\n");
  d.write("models/raw.pt", std::string(3000, '\x7f'));
  d.write("weights.bin", std::string(64, 'w'));
  // Commit with the LFS filter disabled so the pointer text is stored as is.
  ASSERT_EQ(git(d, "-c filter.lfs.clean=cat -c filter.lfs.smudge=cat -c filter.lfs.required=false add ."), 0);
  ASSERT_EQ(git(d, "commit -q -m init"), 0);
  std::string error;
  auto snap = open_snapshot(d.str(), {}, error);
  ASSERT_TRUE(snap) << error;
  const FileEntry* p = find(*snap, "models/model.pt");
  const FileEntry* raw = find(*snap, "models/raw.pt");
  const FileEntry* w = find(*snap, "weights.bin");
  ASSERT_TRUE(p && raw && w);
  EXPECT_TRUE(p->lfs_tracked);
  EXPECT_TRUE(p->lfs_pointer);
  EXPECT_TRUE(raw->lfs_tracked);
  EXPECT_FALSE(raw->lfs_pointer);
  EXPECT_FALSE(w->lfs_tracked);
  EXPECT_FALSE(w->lfs_pointer);
}

TEST(GitSnapshot, SymlinkOutOfRootInIndexIsNotFollowed) {
  if (!has_git()) GTEST_SKIP() << "git not installed";
  TempDir outside;
  outside.write("passwd", "root:x:0:0\n");
  TempDir d;
  ASSERT_EQ(git(d, "init -q"), 0);
  d.write("a.py", "x\n");
  fs::create_symlink(outside.path() / "passwd", d.path() / "link");
  ASSERT_EQ(git(d, "add ."), 0);
  ASSERT_EQ(git(d, "commit -q -m init"), 0);
  std::string error;
  auto snap = open_snapshot(d.str(), {}, error);
  ASSERT_TRUE(snap);
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"a.py"}));
  bool noted = false;
  for (const auto& diag : snap->diagnostics()) noted = noted || diag.where.path == "link";
  EXPECT_TRUE(noted);
}

bool has_diagnostic(const Snapshot& s, const std::string& path, const std::string& text) {
  for (const auto& d : s.diagnostics())
    if (d.where.path == path && d.message.find(text) != std::string::npos) return true;
  return false;
}

std::string dump(const Snapshot& s) {
  std::string out;
  for (const auto& d : s.diagnostics()) out += d.where.path + ": " + d.message + "\n";
  return out;
}

// Commits the files written so far in a fresh repository.
void init_repo(const TempDir& d) {
  ASSERT_EQ(git(d, "init -q"), 0);
  ASSERT_EQ(git(d, "add -A"), 0);
  ASSERT_EQ(git(d, "commit -q -m init"), 0);
}

TEST(DiskSnapshotWalk, FifosNeverBlockTheWalk) {
  TempDir d;
  d.write("main.py", "x\n");
  d.write("sub/keep.py", "y\n");
  ASSERT_EQ(::mkfifo((d.path() / ".gitignore").c_str(), 0644), 0);
  ASSERT_EQ(::mkfifo((d.path() / "sub" / ".gitattributes").c_str(), 0644), 0);
  ASSERT_EQ(::mkfifo((d.path() / "data.csv").c_str(), 0644), 0);
  auto snap = DiskSnapshot::walk(d.str(), {});  // would hang if any FIFO were opened
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"main.py", "sub/keep.py"}));
  EXPECT_TRUE(has_diagnostic(*snap, ".gitignore", "not a regular file (FIFO); not read")) << dump(*snap);
  EXPECT_TRUE(has_diagnostic(*snap, "sub/.gitattributes", "not a regular file (FIFO)")) << dump(*snap);
}

TEST(DiskSnapshotWalk, GitignoreSymlinkedOutsideIsNotApplied) {
  TempDir outside;
  outside.write("ignore-all", "*\n");
  TempDir d;
  d.write("main.py", "x\n");
  fs::create_symlink(outside.path() / "ignore-all", d.path() / ".gitignore");
  auto snap = DiskSnapshot::walk(d.str(), {});
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"main.py"}));
  EXPECT_TRUE(has_diagnostic(*snap, ".gitignore", "outside the repository")) << dump(*snap);
  // A .gitignore linked to a file inside the repository is legitimate and applies.
  TempDir in;
  in.write("main.py", "x\n");
  in.write("skip.py", "x\n");
  in.write("conf/ignore", "skip.py\n");
  fs::create_symlink("conf/ignore", in.path() / ".gitignore");
  auto snap2 = DiskSnapshot::walk(in.str(), {});
  EXPECT_EQ(paths(*snap2), (std::vector<std::string>{".gitignore", "conf/ignore", "main.py"}));
}

TEST(DiskSnapshotWalk, UnreadableDirectoryGetsADiagnostic) {
  TempDir d;
  d.write("main.py", "x\n");
  d.write("locked/secret.py", "x\n");
  fs::permissions(d.path() / "locked", fs::perms::none);
  // Permissions do not stop root: as root, walk in a child that drops to nobody first.
  bool as_root = ::geteuid() == 0;
  pid_t pid = as_root ? ::fork() : 0;
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (as_root && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
    auto snap = DiskSnapshot::walk(d.str(), {});
    bool listed_main_only = paths(*snap) == std::vector<std::string>{"main.py"};
    bool noted =
        has_diagnostic(*snap, "locked", "directory not listed: cannot read directory: Permission denied");
    if (as_root) ::_exit(!listed_main_only ? 1 : !noted ? 2 : 0);
    EXPECT_TRUE(listed_main_only);
    EXPECT_TRUE(noted) << dump(*snap);
  } else {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 3) GTEST_SKIP() << "cannot drop privileges to test permissions";
    EXPECT_EQ(WEXITSTATUS(status), 0) << "1: other files not listed, 2: no diagnostic";
  }
  fs::permissions(d.path() / "locked", fs::perms::owner_all);
}

TEST(DiskSnapshotWalk, ReadRefusesAFileSwappedForAnOutsideSymlink) {
  TempDir outside;
  outside.write("secret.txt", "token");
  TempDir d;
  d.write("notes.txt", "fine");
  auto snap = DiskSnapshot::walk(d.str(), {});
  ASSERT_EQ(snap->files().size(), 1u);
  // Between listing and reading the file becomes a link out of the repository.
  fs::remove(d.path() / "notes.txt");
  fs::create_symlink(outside.path() / "secret.txt", d.path() / "notes.txt");
  ReadResult r = snap->read(snap->files()[0], 100);
  EXPECT_TRUE(r.bytes.empty());
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(*r.error, "symlink points outside the repository; not followed");
}

TEST(GitSnapshot, TrackedFileUnderADirectorySymlinkedOutsideIsNotRead) {
  if (!has_git()) GTEST_SKIP() << "git not installed";
  TempDir outside;
  outside.write("w.txt", "outside secret");
  TempDir d;
  d.write("a.py", "x\n");
  d.write("models/w.txt", "weights");
  init_repo(d);
  fs::remove_all(d.path() / "models");
  fs::create_directory_symlink(outside.path(), d.path() / "models");
  std::string error;
  auto snap = open_snapshot(d.str(), {}, error);
  ASSERT_TRUE(snap) << error;
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"a.py"}));
  EXPECT_TRUE(has_diagnostic(*snap, "models/w.txt", "outside the repository")) << dump(*snap);
}

TEST(GitSnapshot, TrackedFifoAndFifoGitignoreDoNotBlock) {
  if (!has_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  d.write("a.py", "x\n");
  d.write("data.csv", "a,b\n");
  init_repo(d);
  fs::remove(d.path() / "data.csv");
  ASSERT_EQ(::mkfifo((d.path() / "data.csv").c_str(), 0644), 0);
  ASSERT_EQ(::mkfifo((d.path() / ".gitignore").c_str(), 0644), 0);
  d.write("new.py", "y\n");
  std::string error;
  auto snap = open_snapshot(d.str(), {}, error);
  ASSERT_TRUE(snap) << error;
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"a.py", "new.py"}));
  EXPECT_TRUE(has_diagnostic(*snap, "data.csv", "not a regular file (FIFO); not read")) << dump(*snap);
  EXPECT_TRUE(has_diagnostic(*snap, ".gitignore", "not a regular file (FIFO)")) << dump(*snap);
}

TEST(GitSnapshot, DeeplyNestedUntrackedDirectoryKeepsOtherUntrackedFiles) {
  if (!has_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  d.write("a.py", "x\n");
  init_repo(d);
  std::string deep;
  for (int i = 0; i < 120; ++i) deep += "d" + std::to_string(i) + "/";
  d.write(deep + "z.py", "z\n");
  d.write("u.py", "u\n");
  d.write("pkg/v.py", "v\n");
  std::string error;
  auto snap = open_snapshot(d.str(), {}, error);
  ASSERT_TRUE(snap) << error;
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"a.py", deep + "z.py", "pkg/v.py", "u.py"}));
  EXPECT_FALSE(find(*snap, "u.py")->tracked);
}

TEST(DiskSnapshotWalk, DirectoriesBeyondTheDepthLimitAreNamed) {
  TempDir d;
  d.write("top.py", "x\n");
  std::string deep;
  for (int i = 0; i <= DiskSnapshot::kMaxWalkDepth; ++i) deep += "d/";
  d.write(deep + "z.py", "z\n");
  auto snap = DiskSnapshot::walk(d.str(), {});
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"top.py"}));
  EXPECT_TRUE(has_diagnostic(*snap, deep.substr(0, deep.size() - 1), "nested deeper than")) << dump(*snap);
}

TEST(GitSnapshot, NestedRepositoryFilesAreNotUntracked) {
  if (!has_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  d.write("a.py", "x\n");
  init_repo(d);
  d.write("vendor/lib/.git/HEAD", "ref: refs/heads/main\n");
  d.write("vendor/lib/x.py", "x\n");
  d.write("vendor/mine.py", "y\n");
  std::string error;
  auto snap = open_snapshot(d.str(), {}, error);
  ASSERT_TRUE(snap) << error;
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"a.py", "vendor/mine.py"}));
}

TEST(GitSnapshot, SplitIndexIsListedThroughTheGitTool) {
  if (!has_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  d.write("a.py", "import os\n");
  d.write("src/b.py", "x = 1\n");
  init_repo(d);
  ASSERT_EQ(git(d, "update-index --split-index"), 0);
  d.write("src/b.py", "x = 2\n");  // modified in the work tree
  d.write("new.py", "n\n");
  std::string error;
  auto snap = open_snapshot(d.str(), {}, error);
  ASSERT_TRUE(snap) << error;
  EXPECT_EQ(snap->kind(), "git");
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"a.py", "new.py", "src/b.py"}));
  const FileEntry* a = find(*snap, "a.py");
  const FileEntry* b = find(*snap, "src/b.py");
  const FileEntry* n = find(*snap, "new.py");
  ASSERT_TRUE(a && b && n);
  EXPECT_TRUE(a->tracked);
  EXPECT_EQ(a->cache_key.size(), 41u) << a->cache_key;  // "b" + blob id
  EXPECT_EQ(a->cache_key[0], 'b');
  EXPECT_TRUE(b->tracked);
  EXPECT_NE(b->cache_key[0], 'b');  // modified: the blob id would name the old content
  EXPECT_FALSE(n->tracked);
  EXPECT_EQ(snap->read(*b, 100).bytes, "x = 2\n");
}

TEST(GitSnapshot, SparseIndexIsListedThroughTheGitTool) {
  if (!has_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  d.write("top.py", "t\n");
  d.write("keep/k.py", "k\n");
  d.write("away/w.py", "w\n");
  init_repo(d);
  ASSERT_EQ(git(d, "sparse-checkout init --cone"), 0);
  ASSERT_EQ(git(d, "config index.sparse true"), 0);
  ASSERT_EQ(git(d, "sparse-checkout set keep"), 0);
  ASSERT_FALSE(fs::exists(d.path() / "away"));
  std::string error;
  auto snap = open_snapshot(d.str(), {}, error);
  ASSERT_TRUE(snap) << error;
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"keep/k.py", "top.py"}));
  EXPECT_TRUE(find(*snap, "keep/k.py")->tracked);
}

TEST(GitSnapshot, UnreadableIndexWithoutGitOnPathIsAClearError) {
  if (!has_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  d.write("a.py", "x\n");
  init_repo(d);
  ASSERT_EQ(git(d, "update-index --split-index"), 0);
  std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "";
  ::setenv("PATH", "/nonexistent-mlops-lint-bin", 1);
  std::string error;
  auto snap = open_snapshot(d.str(), {}, error);
  ::setenv("PATH", old_path.c_str(), 1);
  EXPECT_FALSE(snap);
  EXPECT_NE(error.find("cannot read git index"), std::string::npos) << error;
  EXPECT_NE(error.find("not on PATH"), std::string::npos) << error;
}

TEST(GitSnapshot, SubdirectoryScanHonoursIgnoreFilesAbove) {
  if (!has_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  d.write(".gitignore", "*.pkl\n/proj/build/\n");
  d.write("proj/a.py", "x\n");
  init_repo(d);
  d.write(".git/info/exclude", "scratch.txt\n");
  d.write("proj/model.pkl", "weights");
  d.write("proj/build/out.py", "x\n");
  d.write("proj/scratch.txt", "x\n");
  d.write("proj/new.py", "x\n");
  std::string error;
  auto snap = open_snapshot((d.path() / "proj").string(), {}, error);
  ASSERT_TRUE(snap) << error;
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"a.py", "new.py"}));
}

TEST(GitSnapshot, LinkedWorkTreeDoesNotListItsGitFile) {
  if (!has_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  d.write("a.py", "x\n");
  init_repo(d);
  TempDir wt;
  ASSERT_EQ(git(d, "worktree add -q '" + (wt.path() / "tree").string() + "'"), 0);
  std::string error;
  auto snap = open_snapshot((wt.path() / "tree").string(), {}, error);
  ASSERT_TRUE(snap) << error;
  EXPECT_EQ(paths(*snap), (std::vector<std::string>{"a.py"}));  // not the ".git" file
}

TEST(GitSnapshot, IndexThatIsAFifoIsAnErrorNotAHang) {
  if (!has_git()) GTEST_SKIP() << "git not installed";
  TempDir d;
  d.write("a.py", "x\n");
  init_repo(d);
  fs::remove(d.path() / ".git" / "index");
  ASSERT_EQ(::mkfifo((d.path() / ".git" / "index").c_str(), 0644), 0);
  std::string error;
  auto snap = open_snapshot(d.str(), {}, error);
  EXPECT_FALSE(snap);
  EXPECT_EQ(error, "cannot read git index: not a regular file (FIFO)");
}

}  // namespace
}  // namespace mlops
