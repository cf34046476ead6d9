// Runs every built-in rule's fixtures (rules/fixtures/<ID>/bad*, good*).
#include <gtest/gtest.h>

#include "testing/fix_tests.h"
#include "testing/rule_tests.h"

namespace mlops {

TEST(BuiltinRules, LoadWithoutErrors) {
  std::vector<std::string> ids;
  std::vector<Diagnostic> errors;
  RuleSet rules = load_rules_for_testing(MLOPS_SOURCE_DIR "/rules", ids, errors);
  for (const auto& e : errors) ADD_FAILURE() << e.where.path << ":" << e.where.line << ": " << e.message;
  EXPECT_GE(rules.rules.size(), 12u);
}

TEST(BuiltinRules, EveryRuleHasFixturesThatPass) {
  std::vector<std::string> ids;
  std::vector<Diagnostic> errors;
  RuleSet rules = load_rules_for_testing(MLOPS_SOURCE_DIR "/rules", ids, errors);
  ASSERT_TRUE(errors.empty());
  RuleTestReport report = run_rule_fixtures(rules, ids, MLOPS_SOURCE_DIR "/rules/fixtures");
  for (const auto& p : report.problems) ADD_FAILURE() << p;
  EXPECT_GE(report.cases, 2 * ids.size());
}

TEST(BuiltinRules, FixersMatchTheirExpectedBytes) {
  std::vector<std::string> ids;
  std::vector<Diagnostic> errors;
  RuleSet rules = load_rules_for_testing(MLOPS_SOURCE_DIR "/rules", ids, errors);
  ASSERT_TRUE(errors.empty());
  RuleTestReport report = run_fix_fixtures(rules, ids, MLOPS_SOURCE_DIR "/rules/fixtures");
  for (const auto& p : report.problems) ADD_FAILURE() << p;
}

}  // namespace mlops
