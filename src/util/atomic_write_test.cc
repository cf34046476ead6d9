#include "util/atomic_write.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "support/temp_dir.h"

namespace mlops {
namespace {

namespace fs = std::filesystem;
using test_support::TempDir;
using Kind = WriteError::Kind;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

TEST(AtomicWrite, CreatesAndReplacesAFileLeavingNoTempFile) {
  TempDir d;
  fs::path p = d.path() / "out.json";
  ASSERT_FALSE(write_file_atomically(p.string(), "first"));
  EXPECT_EQ(slurp(p), "first");
  ASSERT_FALSE(write_file_atomically(p.string(), "second, longer"));
  EXPECT_EQ(slurp(p), "second, longer");
  ASSERT_FALSE(write_file_atomically(p.string(), ""));
  EXPECT_EQ(slurp(p), "");
  EXPECT_EQ(names_in(d.path()), std::set<std::string>{"out.json"});
}

TEST(AtomicWrite, KeepsTheModeOfTheReplacedFileAndUsesTheUmaskForNewOnes) {
  TempDir d;
  fs::path kept = d.path() / "kept";
  d.write("kept", "old");
  ASSERT_EQ(::chmod(kept.c_str(), 0600), 0);
  ASSERT_FALSE(write_file_atomically(kept.string(), "new"));
  struct stat st {};
  ASSERT_EQ(::stat(kept.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  mode_t old_mask = ::umask(077);
  auto e = write_file_atomically((d.path() / "private").string(), "x");
  ::umask(022);
  auto e2 = write_file_atomically((d.path() / "public").string(), "x");
  ::umask(old_mask);
  ASSERT_FALSE(e);
  ASSERT_FALSE(e2);
  ASSERT_EQ(::stat((d.path() / "private").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((d.path() / "public").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST(AtomicWrite, NeverWritesThroughASymlinkThatWasNotNamed) {
  TempDir repo, outside;
  outside.write("victim", "precious");
  fs::create_symlink(outside.path() / "victim", repo.path() / "mlops-lint.sarif");
  auto e = write_file_atomically((repo.path() / "mlops-lint.sarif").string(), "pwned", {});
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, Kind::kSymlink);
  EXPECT_NE(e->message.find("mlops-lint.sarif"), std::string::npos) << e->message;
  EXPECT_EQ(slurp(outside.path() / "victim"), "precious");
  EXPECT_TRUE(fs::is_symlink(repo.path() / "mlops-lint.sarif"));
}

TEST(AtomicWrite, ANamedSymlinkInsideTheRepositoryIsRefused) {
  TempDir repo, outside;
  outside.write("victim", "precious");
  fs::create_symlink(outside.path() / "victim", repo.path() / "report.sarif");
  WriteOptions o;
  o.repo_roots = {repo.str()};
  o.named_on_command_line = true;
  auto e = write_file_atomically((repo.path() / "report.sarif").string(), "pwned", o);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, Kind::kSymlink);
  EXPECT_EQ(slurp(outside.path() / "victim"), "precious");
}

TEST(AtomicWrite, TheUsersOwnSymlinkOutsideTheRepositoryIsFollowedAtomically) {
  TempDir repo, outside;
  outside.write("artifacts/report.sarif", "old");
  fs::create_symlink(outside.path() / "artifacts" / "report.sarif", outside.path() / "link.sarif");
  WriteOptions o;
  o.repo_roots = {repo.str()};
  o.named_on_command_line = true;
  ASSERT_FALSE(write_file_atomically((outside.path() / "link.sarif").string(), "new", o));
  EXPECT_TRUE(fs::is_symlink(outside.path() / "link.sarif"));
  EXPECT_EQ(slurp(outside.path() / "artifacts" / "report.sarif"), "new");

  // ...unless it leads back into the repository.
  repo.write("tracked.py", "code");
  fs::create_symlink(repo.path() / "tracked.py", outside.path() / "into-repo");
  auto e = write_file_atomically((outside.path() / "into-repo").string(), "pwned", o);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, Kind::kSymlink);
  EXPECT_EQ(slurp(repo.path() / "tracked.py"), "code");
}

TEST(AtomicWrite, RefusesASymlinkedDirectoryInsideTheRepository) {
  TempDir repo, outside;
  fs::create_symlink(outside.path(), repo.path() / ".github");
  WriteOptions o;
  o.repo_roots = {repo.str()};
  o.create_parents = true;
  o.named_on_command_line = true;
  auto e = write_file_atomically((repo.path() / ".github" / "workflows" / "ci.yml").string(), "x", o);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, Kind::kSymlinkInPath);
  EXPECT_NE(e->message.find(".github"), std::string::npos) << e->message;
  EXPECT_TRUE(fs::is_empty(outside.path()));
  // A relative path through the same link, from inside the repository, is refused the same way.
  fs::path cwd = fs::current_path();
  fs::current_path(repo.path());
  auto rel = write_file_atomically(".github/out.json", "x", o);
  fs::current_path(cwd);
  ASSERT_TRUE(rel);
  EXPECT_EQ(rel->kind, Kind::kSymlinkInPath);
  EXPECT_TRUE(fs::is_empty(outside.path()));
}

TEST(AtomicWrite, CreatesMissingParentsOnlyWhenAsked) {
  TempDir d;
  auto e = write_file_atomically((d.path() / "a" / "b" / "c.txt").string(), "x");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, Kind::kIo);
  WriteOptions o;
  o.create_parents = true;
  ASSERT_FALSE(write_file_atomically((d.path() / "a" / "b" / "c.txt").string(), "x", o));
  EXPECT_EQ(slurp(d.path() / "a" / "b" / "c.txt"), "x");
}

TEST(AtomicWrite, CreateOnlyRefusesAnythingAlreadyThere) {
  TempDir d;
  d.write("exists", "keep");
  fs::create_symlink("/nonexistent/target", d.path() / "dangling");
  WriteOptions o;
  o.replace_existing = false;
  for (const char* name : {"exists", "dangling"}) {
    auto e = write_file_atomically((d.path() / name).string(), "new", o);
    ASSERT_TRUE(e) << name;
    EXPECT_EQ(e->kind, Kind::kExists) << name;
  }
  EXPECT_EQ(slurp(d.path() / "exists"), "keep");
  ASSERT_FALSE(write_file_atomically((d.path() / "fresh").string(), "new", o));
  EXPECT_EQ(slurp(d.path() / "fresh"), "new");
  EXPECT_EQ(names_in(d.path()), (std::set<std::string>{"dangling", "exists", "fresh"}));
}

TEST(AtomicWrite, DirectoriesAndFifosInTheRepositoryAreNotReplaced) {
  TempDir repo;
  fs::create_directories(repo.path() / "dir.json");
  ASSERT_EQ(::mkfifo((repo.path() / "fifo.json").c_str(), 0644), 0);
  WriteOptions o;
  o.repo_roots = {repo.str()};
  o.named_on_command_line = true;
  auto dir = write_file_atomically((repo.path() / "dir.json").string(), "x", o);
  ASSERT_TRUE(dir);
  EXPECT_EQ(dir->kind, Kind::kNotRegular);
  auto fifo = write_file_atomically((repo.path() / "fifo.json").string(), "x", o);  // must not block
  ASSERT_TRUE(fifo);
  EXPECT_EQ(fifo->kind, Kind::kNotRegular);
  // A device the user names outside the repository is written in place.
  EXPECT_FALSE(write_file_atomically("/dev/null", "discarded", o));
}

TEST(AtomicWrite, AFailedWriteLeavesTheOldFileAndNoTempFile) {
  TempDir d;
  d.write("out.json", "old");
  // The file size limit makes write(2) fail part way, after the temp file exists.
  struct rlimit saved {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = saved;
  small.rlim_cur = 1024;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  auto e = write_file_atomically((d.path() / "out.json").string(), std::string(64 * 1024, 'x'));
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, old_handler);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, Kind::kIo);
  EXPECT_NE(e->message.find("out.json"), std::string::npos) << e->message;
  EXPECT_EQ(slurp(d.path() / "out.json"), "old");
  EXPECT_EQ(names_in(d.path()), std::set<std::string>{"out.json"});
}

TEST(AtomicWrite, RejectsNamesThatAreNotFiles) {
  TempDir d;
  for (const std::string& bad : {std::string(), d.str() + "/", d.str() + "/.."}) {
    auto e = write_file_atomically(bad, "x");
    ASSERT_TRUE(e) << bad;
  }
}

}  // namespace
}  // namespace mlops
