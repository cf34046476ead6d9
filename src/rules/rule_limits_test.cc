// The cap on rule files a repository's rule directories may add.
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "rules/builtin/builtin_rules.h"
#include "rules/rule_loader.h"
#include "util/limits.h"

namespace mlops {
namespace {

namespace fs = std::filesystem;

TEST(RuleLimits, RepositoryRuleFilesAreCapped) {
  fs::path dir = fs::temp_directory_path() / ("mlops-rule-limits-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "a");
  fs::create_directories(dir / "b");
  // Not valid rules: each is one cheap error, and which files were read shows in the errors.
  for (size_t i = 0; i < kMaxRepositoryRules + 5; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "r%05zu.yaml", i);
    std::ofstream(dir / "a" / name) << "id: nope\n";
  }
  std::ofstream(dir / "b" / "late.yaml") << "id: nope\n";
  std::vector<Diagnostic> errors;
  load_rules({(dir / "a").string(), (dir / "b").string()}, errors);
  auto cap = std::count_if(errors.begin(), errors.end(), [](const Diagnostic& d) {
    return d.message ==
           "more than 2000 rule files in the repository's rule directories; the rest are not loaded";
  });
  EXPECT_EQ(cap, 1);
  auto read = [&](const std::string& file) {
    return std::any_of(errors.begin(), errors.end(),
                       [&](const Diagnostic& d) { return d.where.path.ends_with(file); });
  };
  EXPECT_TRUE(read("r01999.yaml"));
  EXPECT_FALSE(read("r02000.yaml"));
  EXPECT_FALSE(read("late.yaml"));
  fs::remove_all(dir);
}

// An alias bomb in a rule's check would expand into an exponential expression tree.
TEST(RuleLimits, AliasBombInARuleFileIsRefused) {
  std::string rule = "id: ABC001\nx0: &x0 {file_exists: a}\n";
  for (int i = 1; i < 9; ++i) {
    rule += "x" + std::to_string(i) + ": &x" + std::to_string(i) + " {any: [";
    for (int k = 0; k < 9; ++k) rule += (k ? ", *x" : "*x") + std::to_string(i - 1);
    rule += "]}\n";
  }
  rule += "check: *x8\n";
  RuleLoader loader;
  loader.add({"rules/ABC001.yaml", rule});
  ASSERT_EQ(loader.errors().size(), 1u);
  EXPECT_EQ(loader.errors()[0].message,
            "YAML holds more than 1000000 nodes once its aliases are expanded; not read");
}

}  // namespace
}  // namespace mlops
