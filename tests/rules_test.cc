// Runs every built-in rule's fixtures (rules/fixtures/<ID>/bad*, good*).
#include <gtest/gtest.h>

#include "support/temp_dir.h"
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

TEST(RuleFixtures, OkMarkersWhereTheRuleDoesNotApplyAreAProblem) {
  // A pattern rule asked only of ML code: a good fixture without ML code marks `ok:` lines that
  // would pass whatever the rule said.
  test_support::TempDir dir;
  dir.write("rules/TST900-home-path.yaml",
            "id: TST900\nname: home-path\npractice: config_management\ncategory: data\nseverity: warning\n"
            "kind: pattern\nsummary: s\nmessage: m {match}\nrationale: r\nremediation: r\n"
            "applies: ml_code\ncheck:\n  python_string: {pattern: '^/home/'}\n");
  dir.write("rules/fixtures/TST900/bad/train.py",
            "import sklearn\n# ruleid: TST900\nPATH = '/home/alice/data.csv'\n");
  dir.write("rules/fixtures/TST900/good-no-ml/paths.py", "# ok: TST900\nPATH = '/srv/data.csv'\n");
  std::vector<std::string> ids;
  std::vector<Diagnostic> errors;
  RuleSet rules = load_rules_for_testing(dir.str() + "/rules", ids, errors);
  ASSERT_TRUE(errors.empty()) << errors[0].message;
  RuleTestReport report = run_rule_fixtures(rules, ids, dir.str() + "/rules/fixtures");
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_NE(report.problems[0].find("does not apply here"), std::string::npos) << report.problems[0];
  // Said out loud, it is the fixture's point.
  dir.write("rules/fixtures/TST900/good-no-ml/EXPECT", "outcome not_applicable\n");
  EXPECT_TRUE(run_rule_fixtures(rules, ids, dir.str() + "/rules/fixtures").problems.empty());
}

}  // namespace mlops
