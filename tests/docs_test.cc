// The rule pages in docs/rules/ are generated from the rules: this fails when they are stale.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "report/rule_docs.h"
#include "rules/builtin/builtin_rules.h"
#include "rules/rule_loader.h"

namespace mlops {

TEST(RuleDocs, CommittedPagesMatchTheRules) {
  std::vector<Diagnostic> errors;
  RuleSet rules = load_rules({}, errors);
  ASSERT_TRUE(errors.empty());
  const std::filesystem::path dir = std::filesystem::path(MLOPS_SOURCE_DIR) / "docs" / "rules";
  auto pages = rule_doc_pages(rules);
  for (const auto& [name, text] : pages) {
    std::ifstream in(dir / name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_EQ(ss.str(), text) << "docs/rules/" << name
                              << " is stale: run `build/mlops-lint generate-docs docs/rules`";
  }
  size_t on_disk = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".md") ++on_disk;
  EXPECT_EQ(on_disk, pages.size()) << "docs/rules/ holds pages of rules that no longer exist";
}

}  // namespace mlops
