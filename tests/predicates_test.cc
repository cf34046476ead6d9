// The predicate registry's guarantees: every predicate and every option of one is exercised by a
// built-in rule or by a rule of its own in tests/predicates/ (with fixtures that pass), each has
// a row in docs/writing-rules.md, and a mistyped name or key is a load error at file:line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "rules/predicate.h"
#include "rules/rule_loader.h"
#include "testing/rule_tests.h"

namespace mlops {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The predicates and options the rule files of `dir` use.
std::set<std::string> used_in(const std::string& dir) {
  RuleLoader loader;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  for (const auto& f : files) loader.add({f.string(), read_text(f)});
  return loader.used_predicates();
}

TEST(Predicates, EveryPredicateAndOptionIsExercisedByARuleWithFixtures) {
  std::set<std::string> used = used_in(MLOPS_SOURCE_DIR "/rules");
  std::set<std::string> own = used_in(MLOPS_SOURCE_DIR "/tests/predicates");
  used.insert(own.begin(), own.end());
  for (const auto& p : all_predicates()) {
    std::string name(p.name);
    EXPECT_TRUE(used.count(name))
        << "predicate " << name
        << " is used by no built-in rule and has no rule of its own in tests/predicates/";
    for (const auto& o : p.options) {
      std::string key = name + "." + std::string(o);
      EXPECT_TRUE(used.count(key))
          << "option " << key
          << " is used by no built-in rule and has no rule of its own in tests/predicates/";
    }
  }
}

TEST(Predicates, TheirOwnRulesHaveFixturesThatPass) {
  std::vector<std::string> ids;
  std::vector<Diagnostic> errors;
  RuleSet rules = load_rules_for_testing(MLOPS_SOURCE_DIR "/tests/predicates", ids, errors);
  for (const auto& e : errors) ADD_FAILURE() << e.where.path << ":" << e.where.line << ": " << e.message;
  ASSERT_FALSE(ids.empty());
  RuleTestReport report = run_rule_fixtures(rules, ids, MLOPS_SOURCE_DIR "/tests/predicates/fixtures");
  for (const auto& p : report.problems) ADD_FAILURE() << p;
  EXPECT_GE(report.cases, 2 * ids.size());
}

TEST(Predicates, EachHasARowInTheRuleWritingGuide) {
  const std::string doc = read_text(MLOPS_SOURCE_DIR "/docs/writing-rules.md");
  for (const auto& p : all_predicates()) {
    bool found = false;
    std::istringstream lines(doc);
    for (std::string line; std::getline(lines, line);)
      if (line.starts_with("| ") && line.find("`" + std::string(p.name) + "`") != std::string::npos)
        found = true;
    EXPECT_TRUE(found) << "docs/writing-rules.md has no table row for " << p.name;
  }
}

TEST(Predicates, RegistryIsSortedAndFindsByName) {
  const auto& all = all_predicates();
  for (size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].name, all[i].name);
  ASSERT_NE(find_predicate("python_call"), nullptr);
  EXPECT_EQ(find_predicate("python_call")->name, "python_call");
  EXPECT_EQ(find_predicate("python_calls"), nullptr);
}

TEST(Predicates, AMistypedNameSuggestsTheClosestAndAnUnknownOptionIsNamed) {
  RuleLoader loader;
  loader.add(
      {"c.yaml", "conditions:\n  a:\n    python_cal: x.y\n  b:\n    content: {pattern: x, flies: ['*']}\n"});
  (void)loader.finish();
  std::vector<std::string> messages;
  for (const auto& e : loader.errors())
    messages.push_back(e.where.path + ":" + std::to_string(e.where.line) + ": " + e.message);
  EXPECT_NE(std::find(messages.begin(), messages.end(),
                      "c.yaml:3: unknown predicate 'python_cal' (did you mean 'python_call'?)"),
            messages.end())
      << ::testing::PrintToString(messages);
  EXPECT_NE(std::find(messages.begin(), messages.end(), "c.yaml:5: unknown key 'flies'"), messages.end())
      << ::testing::PrintToString(messages);
}

TEST(Predicates, NestingIsBounded) {
  std::string check = "x";
  for (int i = 0; i < 80; ++i) check = "{not: " + check + "}";
  RuleLoader loader;
  // As a built-in file: those skip the YAML depth guard, so the predicate layer bounds them.
  loader.add({"deep.yaml", "conditions:\n  x: {file_exists: a}\n  deep: " + check + "\n", true});
  (void)loader.finish();
  bool bounded = false;
  for (const auto& e : loader.errors())
    if (e.message.find("nest deeper than") != std::string::npos) bounded = true;
  EXPECT_TRUE(bounded);
}

}  // namespace
}  // namespace mlops
