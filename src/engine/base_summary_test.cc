// The base summary's file: what it stores comes back, and a summary for another key, or a
// damaged one, is never used.
#include "engine/base_summary.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

namespace mlops {
namespace {

namespace fs = std::filesystem;

struct SummaryDir {
  fs::path dir = fs::temp_directory_path() / ("base_summary_test_" + std::to_string(::getpid()));
  SummaryDir() { fs::create_directories(dir); }
  ~SummaryDir() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string file() const { return (dir / "cache.bin.base").string(); }
};

std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void spit(const std::string& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

TEST(BaseSummary, FailingProjectRulesAreUnsuppressedProjectFindingsOnly) {
  CheckResult r;
  Finding project;
  project.rule_id = "TST001";
  project.project = ".";
  project.project_level = true;
  Finding suppressed = project;
  suppressed.rule_id = "CI001";
  suppressed.suppressed = true;
  Finding file_level;
  file_level.rule_id = "DAT003";
  file_level.project = ".";
  r.findings = {project, suppressed, file_level};
  EXPECT_EQ(failing_project_rules(r), (FailingRules{{"TST001", "."}}));
  CheckResult back = result_of_failures({{"TST001", "."}, {"DOC001", "sub"}});
  ASSERT_EQ(back.findings.size(), 2u);
  for (const auto& f : back.findings) EXPECT_TRUE(f.project_level);
  EXPECT_EQ(failing_project_rules(back), (FailingRules{{"TST001", "."}, {"DOC001", "sub"}}));
}

TEST(BaseSummary, RoundTripsUnderItsKeyOnly) {
  SummaryDir d;
  const FailingRules failing{{"TST001", "."}, {"DOC002", "services/api"}};
  std::string error;
  ASSERT_TRUE(save_base_summary(d.file(), "abc123 key", failing, error)) << error;
  EXPECT_EQ(load_base_summary(d.file(), "abc123 key"), failing);
  EXPECT_FALSE(load_base_summary(d.file(), "def456 key"));  // another commit or set-up
  EXPECT_FALSE(load_base_summary(d.file(), "abc123"));
  EXPECT_FALSE(load_base_summary((d.dir / "absent").string(), "abc123 key"));
  // Nothing failing is an answer too.
  ASSERT_TRUE(save_base_summary(d.file(), "k", {}, error)) << error;
  EXPECT_EQ(load_base_summary(d.file(), "k"), FailingRules{});
}

TEST(BaseSummary, DamagedFilesAreMisses) {
  SummaryDir d;
  std::string error;
  ASSERT_TRUE(save_base_summary(d.file(), "k", {{"TST001", "."}, {"CI001", "."}}, error)) << error;
  const std::string good = slurp(d.file());
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x20);
    spit(d.file(), bad);
    EXPECT_FALSE(load_base_summary(d.file(), "k")) << "flipped byte " << i;
  }
  for (size_t n : {size_t{0}, good.size() / 2, good.size() - 1}) {
    spit(d.file(), good.substr(0, n));
    EXPECT_FALSE(load_base_summary(d.file(), "k")) << "truncated to " << n;
  }
}

TEST(BaseSummary, RefusesWhatCannotBeStoredFaithfully) {
  SummaryDir d;
  std::string error;
  EXPECT_FALSE(save_base_summary(d.file(), "k\nx", {}, error));
  EXPECT_FALSE(save_base_summary(d.file(), "k", {{"TST001", "a\tb"}}, error));
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace mlops
