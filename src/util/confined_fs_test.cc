// Tests of the confined file-access layer: symlinks inside, outside, dangling, looping, through
// directory components; special files that must not block; size caps.
#include "util/confined_fs.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <thread>
#include <vector>

#include "support/temp_dir.h"

namespace fs = std::filesystem;

namespace mlops {
namespace {

using mlops::test_support::TempDir;

// Every test runs twice: with the kernel resolving symlink-free paths in one openat2 call, and
// walking every component.
class ConfinedFs : public ::testing::TestWithParam<bool> {};

TEST_P(ConfinedFs, ReadsRegularFilesByRelativePath) {
  TempDir d;
  d.write("a/b/c.txt", "hello");
  ConfinedRoot root(d.str(), GetParam());
  ASSERT_TRUE(root.ok()) << root.error();
  ConfinedRead r = root.read("a/b/c.txt", 100, Symlinks::kRefuse);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.bytes, "hello");
  EXPECT_FALSE(r.truncated);
  ConfinedRead dotted = root.read("./a//b/./c.txt", 100, Symlinks::kRefuse);
  EXPECT_EQ(dotted.bytes, "hello");
}

TEST_P(ConfinedFs, MissingFileIsNotFound) {
  TempDir d;
  d.write("a.txt", "x");
  ConfinedRoot root(d.str(), GetParam());
  EXPECT_EQ(root.read("b.txt", 100, Symlinks::kFollowInside).error, ConfinedError::kNotFound);
  EXPECT_EQ(root.read("a.txt/b", 100, Symlinks::kFollowInside).error, ConfinedError::kNotFound);
  EXPECT_EQ(root.read("../x", 100, Symlinks::kFollowInside).error, ConfinedError::kNotFound);
}

TEST_P(ConfinedFs, UnopenableRootIsReported) {
  ConfinedRoot root("/nonexistent/mlops-lint-root", GetParam());
  EXPECT_FALSE(root.ok());
  EXPECT_NE(root.error().find("cannot open"), std::string::npos);
  EXPECT_EQ(root.read("a", 10, Symlinks::kRefuse).error, ConfinedError::kIo);
}

TEST_P(ConfinedFs, SymlinkInsideRootIsFollowedOnlyWhenAllowed) {
  TempDir d;
  d.write("data/real.txt", "content");
  fs::create_symlink("data/real.txt", d.path() / "rel-link");
  fs::create_symlink(d.path() / "data" / "real.txt", d.path() / "abs-link");
  fs::create_directories(d.path() / "sub");
  fs::create_symlink("../data/./real.txt", d.path() / "sub" / "up-link");
  fs::create_directories(d.path() / "x" / "y" / "z");
  fs::create_symlink("../../../sub/up-link", d.path() / "x" / "y" / "z" / "chain");
  ConfinedRoot root(d.str(), GetParam());
  for (const char* p : {"rel-link", "abs-link", "sub/up-link", "x/y/z/chain"}) {
    ConfinedRead r = root.read(p, 100, Symlinks::kFollowInside);
    EXPECT_TRUE(r.ok()) << p << ": " << r.message;
    EXPECT_EQ(r.bytes, "content") << p;
    ConfinedRead refused = root.read(p, 100, Symlinks::kRefuse);
    EXPECT_EQ(refused.error, ConfinedError::kSymlinkRefused) << p;
    EXPECT_EQ(refused.message, "is a symlink; not followed");
  }
  ConfinedStat s = root.stat("rel-link", Symlinks::kFollowInside);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.mode, S_IFREG);
  EXPECT_EQ(s.size, 7u);
  EXPECT_TRUE(s.via_symlink);
}

TEST_P(ConfinedFs, SymlinkLeavingRootIsRefused) {
  TempDir outside;
  outside.write("secret.txt", "token");
  TempDir d;
  fs::create_symlink(outside.path() / "secret.txt", d.path() / "abs");
  fs::create_symlink("../" + outside.path().filename().string() + "/secret.txt", d.path() / "rel");
  fs::create_directories(d.path() / "a");
  fs::create_symlink("../../", d.path() / "a" / "up");  // leaves by one level
  ConfinedRoot root(d.str(), GetParam());
  for (const char* p : {"abs", "rel", "a/up/x"}) {
    ConfinedRead r = root.read(p, 100, Symlinks::kFollowInside);
    EXPECT_EQ(r.error, ConfinedError::kSymlinkOutside) << p << ": " << r.message;
    EXPECT_EQ(r.message, "symlink points outside the repository; not followed");
    EXPECT_TRUE(r.bytes.empty());
  }
}

TEST_P(ConfinedFs, DanglingSymlinkAndLoopsAreRefused) {
  TempDir d;
  fs::create_symlink("missing.txt", d.path() / "dangling");
  fs::create_symlink("loop-b", d.path() / "loop-a");
  fs::create_symlink("loop-a", d.path() / "loop-b");
  fs::create_symlink("self", d.path() / "self");
  ConfinedRoot root(d.str(), GetParam());
  ConfinedRead dangling = root.read("dangling", 100, Symlinks::kFollowInside);
  EXPECT_EQ(dangling.error, ConfinedError::kSymlinkBroken);
  EXPECT_EQ(dangling.message, "symlink target does not exist; not followed");
  for (const char* p : {"loop-a", "self"}) {
    ConfinedRead r = root.read(p, 100, Symlinks::kFollowInside);
    EXPECT_EQ(r.error, ConfinedError::kSymlinkBroken) << p;
    EXPECT_NE(r.message.find("loop"), std::string::npos) << r.message;
  }
}

TEST_P(ConfinedFs, DirectoryComponentSymlinkFollowsThePolicy) {
  // The hostile case: a tracked file "models/w.txt" whose directory was replaced by a symlink.
  TempDir outside;
  outside.write("w.txt", "outside");
  TempDir d;
  d.write("real/w.txt", "inside");
  fs::create_directory_symlink(outside.path(), d.path() / "models");
  fs::create_directory_symlink("real", d.path() / "alias");
  ConfinedRoot root(d.str(), GetParam());
  ConfinedRead out = root.read("models/w.txt", 100, Symlinks::kFollowInside);
  EXPECT_EQ(out.error, ConfinedError::kSymlinkOutside);
  EXPECT_TRUE(out.bytes.empty());
  ConfinedRead in = root.read("alias/w.txt", 100, Symlinks::kFollowInside);
  EXPECT_TRUE(in.ok()) << in.message;
  EXPECT_EQ(in.bytes, "inside");
  ConfinedRead strict = root.read("alias/w.txt", 100, Symlinks::kRefuse);
  EXPECT_EQ(strict.error, ConfinedError::kSymlinkRefused);
  EXPECT_EQ(strict.message, "a directory on the path is a symlink; not followed");
}

TEST_P(ConfinedFs, FifoIsRefusedWithoutBlocking) {
  TempDir d;
  ASSERT_EQ(::mkfifo((d.path() / ".gitignore").c_str(), 0644), 0);
  fs::create_symlink(".gitignore", d.path() / "to-fifo");
  ConfinedRoot root(d.str(), GetParam());
  // No writer ever opens the FIFO: a blocking open or read would hang the test.
  ConfinedRead r = root.read(".gitignore", 100, Symlinks::kFollowInside);
  EXPECT_EQ(r.error, ConfinedError::kNotRegular);
  EXPECT_EQ(r.message, "not a regular file (FIFO); not read");
  EXPECT_EQ(root.read("to-fifo", 100, Symlinks::kFollowInside).error, ConfinedError::kNotRegular);
  EXPECT_EQ(root.stat(".gitignore", Symlinks::kRefuse).mode, S_IFIFO);
}

TEST_P(ConfinedFs, SocketAndDirectoryAreNotRegular) {
  TempDir d;
  fs::create_directories(d.path() / "dir");
  ConfinedRoot root(d.str(), GetParam());
  EXPECT_EQ(root.read("dir", 100, Symlinks::kRefuse).error, ConfinedError::kNotRegular);
  EXPECT_EQ(root.read("", 100, Symlinks::kRefuse).error, ConfinedError::kNotRegular);
  int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(s, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string sp = (d.path() / "sock").string();
  if (sp.size() >= sizeof addr.sun_path) GTEST_SKIP() << "temp path too long for a socket";
  std::copy(sp.begin(), sp.end(), addr.sun_path);
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ConfinedRead r = root.read("sock", 100, Symlinks::kRefuse);
  EXPECT_EQ(r.error, ConfinedError::kNotRegular);
  EXPECT_EQ(r.message, "not a regular file (socket); not read");
  ::close(s);
}

TEST_P(ConfinedFs, OversizeIsRefusedOrTruncatedOnRequest) {
  TempDir d;
  d.write("big.txt", std::string(3000, 'x'));
  d.write("exact.txt", std::string(100, 'y'));
  ConfinedRoot root(d.str(), GetParam());
  ConfinedRead refused = root.read("big.txt", 100, Symlinks::kRefuse);
  EXPECT_EQ(refused.error, ConfinedError::kTooLarge);
  EXPECT_EQ(refused.message, "larger than 1 MiB; not read");
  EXPECT_TRUE(refused.bytes.empty());
  ConfinedRead head = root.read("big.txt", 100, Symlinks::kRefuse, true);
  ASSERT_TRUE(head.ok());
  EXPECT_TRUE(head.truncated);
  EXPECT_EQ(head.bytes, std::string(100, 'x'));
  ConfinedRead exact = root.read("exact.txt", 100, Symlinks::kRefuse);
  ASSERT_TRUE(exact.ok());
  EXPECT_FALSE(exact.truncated);
  EXPECT_EQ(exact.bytes.size(), 100u);
}

TEST_P(ConfinedFs, ListsDirectoriesWithLstatTypes) {
  TempDir d;
  d.write("dir/b.txt", "bb");
  d.write("dir/a.txt", "a");
  fs::create_directories(d.path() / "dir" / "sub");
  fs::create_symlink("a.txt", d.path() / "dir" / "link");
  fs::create_directory_symlink("dir", d.path() / "dirlink");
  ConfinedRoot root(d.str(), GetParam());
  std::string error;
  auto entries = root.list("dir", error);
  ASSERT_TRUE(entries) << error;
  ASSERT_EQ(entries->size(), 4u);
  EXPECT_EQ((*entries)[0].name, "a.txt");
  EXPECT_EQ((*entries)[0].mode, S_IFREG);
  EXPECT_EQ((*entries)[1].name, "b.txt");
  EXPECT_EQ((*entries)[1].size, 2u);
  EXPECT_EQ((*entries)[2].name, "link");
  EXPECT_EQ((*entries)[2].mode, S_IFLNK);
  EXPECT_EQ((*entries)[3].mode, S_IFDIR);
  auto top = root.list("", error);
  ASSERT_TRUE(top);
  EXPECT_EQ(top->size(), 2u);
  // Listing never goes through a symlinked directory.
  EXPECT_FALSE(root.list("dirlink", error));
  EXPECT_FALSE(root.list("dir/a.txt", error));
}

TEST_P(ConfinedFs, ConcurrentReadsShareOneRoot) {
  TempDir d;
  for (int i = 0; i < 8; ++i) d.write("f" + std::to_string(i), std::string(i + 1, 'z'));
  ConfinedRoot root(d.str(), GetParam());
  std::vector<std::thread> threads;
  std::vector<int> good(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < 200; ++k) {
        ConfinedRead r = root.read("f" + std::to_string(t), 100, Symlinks::kRefuse);
        if (r.ok() && r.bytes == std::string(t + 1, 'z')) ++good[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(good[t], 200);
}

INSTANTIATE_TEST_SUITE_P(Resolution, ConfinedFs, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "KernelResolve" : "StepByStep"; });

}  // namespace
}  // namespace mlops
