#include "engine/selection.h"

#include <gtest/gtest.h>

#include "repo/memory_snapshot.h"
#include "rules/rule_loader.h"

namespace mlops {
namespace {

std::string rule(const std::string& id, const std::string& practice, const std::string& check) {
  return "id: " + id + "\nname: r\npractice: " + practice +
         "\ncategory: code\nseverity: warning\nkind: requirement\nsummary: s\nmessage: m\n"
         "rationale: r\nremediation: x\ncheck:\n  file_exists: " +
         check + "\n";
}

RuleSet rules() {
  RuleLoader l;
  l.add({"a", rule("DAT001", "data_versioning", "dvc.yaml")});
  l.add({"b", rule("DAT002", "data_split", "split.py")});
  l.add({"c", rule("DAT010", "data_validation", "schema.py")});
  l.add({"d", rule("TST001", "tests", "test_x.py")});
  RuleSet set = l.finish();
  EXPECT_TRUE(l.errors().empty());
  return set;
}

TEST(Selection, SelectorMatches) {
  EXPECT_TRUE(selector_matches("ALL", "DAT001"));
  EXPECT_TRUE(selector_matches("DAT", "DAT001"));
  EXPECT_TRUE(selector_matches("DAT00", "DAT001"));
  EXPECT_TRUE(selector_matches("DAT001", "DAT001"));
  EXPECT_FALSE(selector_matches("DAT002", "DAT001"));
  EXPECT_FALSE(selector_matches("TST", "DAT001"));
}

TEST(Selection, DefaultSelectsEverything) {
  Selection s;
  EXPECT_TRUE(is_selected(s, "DAT001"));
  EXPECT_TRUE(is_selected(s, "TST001"));
}

TEST(Selection, LongestSelectorWins) {
  Selection s;
  s.select = {"DAT"};
  s.ignore = {"DAT002"};
  EXPECT_TRUE(is_selected(s, "DAT001"));
  EXPECT_FALSE(is_selected(s, "DAT002"));
  EXPECT_FALSE(is_selected(s, "TST001"));

  Selection t;
  t.ignore = {"DAT"};
  t.select = {"DAT002"};
  EXPECT_TRUE(is_selected(t, "DAT002"));
  EXPECT_FALSE(is_selected(t, "DAT001"));

  Selection u;
  u.ignore = {"DAT"};
  EXPECT_FALSE(is_selected(u, "DAT001"));
  EXPECT_TRUE(is_selected(u, "TST001"));

  Selection all;
  all.select = {"TST"};
  all.extend_select = {"DAT001"};
  EXPECT_TRUE(is_selected(all, "TST001"));
  EXPECT_TRUE(is_selected(all, "DAT001"));
  EXPECT_FALSE(is_selected(all, "DAT002"));

  Selection none;
  none.ignore = {"ALL"};
  EXPECT_FALSE(is_selected(none, "DAT001"));
}

TEST(Selection, UnknownSelectors) {
  RuleSet set = rules();
  Selection s;
  s.select = {"DAT", "XYZ"};
  s.ignore = {"TST001", "TST9"};
  s.severity["DAT001"] = Severity::Error;
  s.severity["NOPE001"] = Severity::Info;
  s.severity["DAT"] = Severity::Info;
  auto unknown = unknown_selectors(s, set);
  std::sort(unknown.begin(), unknown.end());
  EXPECT_EQ(unknown, (std::vector<std::string>{"DAT", "NOPE001", "TST9", "XYZ"}));
}

TEST(Selection, ApplySelectionDropsAndOverrides) {
  RuleSet set = rules();
  MemorySnapshot snap(std::map<std::string, std::string>{{"README.md", ""}, {"dvc.yaml", ""}});
  CheckOptions o;
  o.jobs = 1;
  CheckResult r = run_check(snap, set, o);
  ASSERT_EQ(r.findings.size(), 3u);  // DAT002, DAT010, TST001 fail
  Selection s;
  s.select = {"DAT"};
  s.ignore = {"DAT010"};
  s.severity["DAT002"] = Severity::Error;
  apply_selection(r, set, s);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule_id, "DAT002");
  EXPECT_EQ(r.findings[0].severity, Severity::Error);
  ASSERT_EQ(r.projects.size(), 1u);
  std::vector<std::string> ids;
  for (const auto& res : r.projects[0].results) ids.push_back(res.rule_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"DAT001", "DAT002"}));
  // Practices are recomputed: those of dropped rules are no longer missing.
  ASSERT_EQ(r.projects[0].practices.size(), known_practices().size());
  for (const auto& p : r.projects[0].practices) {
    if (p.practice == "data_versioning")
      EXPECT_EQ(p.status, "present");
    else if (p.practice == "data_split")
      EXPECT_EQ(p.status, "missing");
    else
      EXPECT_EQ(p.status, "not_applicable") << p.practice;
  }
}

}  // namespace
}  // namespace mlops
