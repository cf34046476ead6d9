// SIGKILLs the real binary at random moments while it writes --write-baseline, --output and the
// facts cache, and checks that every one of those files then holds its complete old content or
// its complete new content, never a torn one. Stale temp files (`.<name>.tmp.<random>`) may be
// left by a kill: they are harmless (never read) and are the only other files allowed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>  // NOLINT(modernize-deprecated-headers): POSIX kill() is declared here, not in <csignal>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.h"

extern char** environ;

namespace fs = std::filesystem;

namespace {

using mlops::test_support::TempDir;
using Clock = std::chrono::steady_clock;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

// One Python file with `lines` hard-coded data paths (one DAT003 finding each).
std::string python_file(int n, int lines) {
  std::string s = "import pandas as pd\n\n";
  for (int i = 0; i < lines; ++i)
    s += "df" + std::to_string(i) + " = pd.read_csv(\"/home/alice/data/f" + std::to_string(n) + "_" +
         std::to_string(i) + ".csv\")\n";
  return s;
}

class Binary {
 public:
  Binary(const fs::path& repo, const fs::path& out, const fs::path& cache_home) {
    args_ = {MLOPS_BINARY,       "check",
             "--jobs",           "2",
             "--format",         "json",
             "--output",         (out / "report.json").string(),
             "--write-baseline", (out / "baseline.json").string(),
             repo.string()};
    for (char** e = environ; *e; ++e)
      if (std::string_view(*e).rfind("XDG_CACHE_HOME=", 0) != 0) env_.push_back(*e);
    env_.push_back("XDG_CACHE_HOME=" + cache_home.string());
  }

  pid_t start() const {
    std::vector<char*> argv, envp;
    for (const auto& a : args_) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (const auto& e : env_) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    if (posix_spawn(&pid, MLOPS_BINARY, &actions, nullptr, argv.data(), envp.data()) != 0) pid = -1;
    posix_spawn_file_actions_destroy(&actions);
    return pid;
  }

  // Runs to the end; the exit status (1: findings).
  int run() const {
    pid_t pid = start();
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) != pid) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  }

 private:
  std::vector<std::string> args_;
  std::vector<std::string> env_;
};

// The three files the run writes, as bytes.
struct State {
  std::string report, baseline, cache;
};

fs::path cache_file(const fs::path& cache_home) {
  fs::path dir = cache_home / "mlops-lint";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".bin") return e.path();
  return {};
}

State read_state(const fs::path& out, const fs::path& cache_home) {
  fs::path cache = cache_file(cache_home);
  return {slurp(out / "report.json"), slurp(out / "baseline.json"), cache.empty() ? "" : slurp(cache)};
}

// Removes stale temp files, failing the test for any other unexpected file.
void expect_only(const fs::path& dir, const std::vector<std::string>& names, size_t& stale) {
  static const std::regex temp(R"(\..+\.tmp\.[0-9a-f]{12})");
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    if (std::regex_match(name, temp)) {
      ++stale;
      fs::remove(e.path());
      continue;
    }
    ADD_FAILURE() << "unexpected file " << e.path();
  }
}

TEST(KillDuringWrites, EveryFileHoldsTheOldOrTheNewContent) {
  TempDir repo, out, cache_home;
  const int kFiles = 150, kLines = 20;
  for (int i = 0; i < kFiles; ++i) repo.write("pkg/m" + std::to_string(i) + ".py", python_file(i, kLines));
  Binary lint(repo.path(), out.path(), cache_home.path());

  // Old state: a complete run over the repository as it was.
  ASSERT_EQ(lint.run(), 1);
  const State old_state = read_state(out.path(), cache_home.path());
  ASSERT_FALSE(old_state.cache.empty());
  const fs::path cache = cache_file(cache_home.path());
  // New state: a third of the files change; a complete run from the old state.
  for (int i = 0; i < kFiles; i += 3)
    repo.write("pkg/m" + std::to_string(i) + ".py", python_file(i, kLines + 5));
  auto started = Clock::now();
  ASSERT_EQ(lint.run(), 1);
  const auto full_run = Clock::now() - started;
  const State new_state = read_state(out.path(), cache_home.path());
  ASSERT_NE(old_state.report, new_state.report);
  ASSERT_NE(old_state.baseline, new_state.baseline);
  ASSERT_NE(old_state.cache, new_state.cache);
  for (const auto* text : {&old_state.report, &new_state.report, &old_state.baseline, &new_state.baseline})
    ASSERT_FALSE(nlohmann::json::parse(*text, nullptr, false).is_discarded());

  // Kill at a random moment of the run, most often in its last part, where the writes are.
  std::mt19937 rng(std::random_device{}());
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(full_run).count();
  std::uniform_int_distribution<long> anywhere(0, us * 5 / 4), late(us / 2, us * 5 / 4);
  size_t olds = 0, news = 0, stale = 0, iterations = 0;
  const auto budget = std::chrono::seconds(12);
  const auto loop_start = Clock::now();
  while (iterations < 60 && Clock::now() - loop_start < budget) {
    ++iterations;
    spit(out.path() / "report.json", old_state.report);
    spit(out.path() / "baseline.json", old_state.baseline);
    spit(cache, old_state.cache);
    pid_t pid = lint.start();
    ASSERT_GT(pid, 0);
    long delay = iterations % 4 == 0 ? anywhere(rng) : late(rng);
    std::this_thread::sleep_for(std::chrono::microseconds(delay));
    ::kill(pid, SIGKILL);
    int st = 0;
    ASSERT_EQ(waitpid(pid, &st, 0), pid);

    State now = read_state(out.path(), cache_home.path());
    EXPECT_TRUE(now.report == old_state.report || now.report == new_state.report)
        << "torn report.json (" << now.report.size() << " bytes) after " << delay << " us";
    EXPECT_TRUE(now.baseline == old_state.baseline || now.baseline == new_state.baseline)
        << "torn baseline.json (" << now.baseline.size() << " bytes) after " << delay << " us";
    EXPECT_TRUE(now.cache == old_state.cache || now.cache == new_state.cache)
        << "torn cache (" << now.cache.size() << " bytes) after " << delay << " us";
    (now.report == new_state.report ? news : olds) += 1;
    expect_only(out.path(), {"report.json", "baseline.json"}, stale);
    expect_only(cache.parent_path(), {cache.filename().string()}, stale);
    if (HasFailure()) break;
  }
  // For the log: how the kills fell (timing varies from machine to machine; nothing asserted).
  std::cout << iterations << " kills: " << olds << " left the old report, " << news << " the new one; "
            << stale << " stale temp files\n";
  EXPECT_GT(iterations, 0u);
}

}  // namespace
