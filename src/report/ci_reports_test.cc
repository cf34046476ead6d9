// CI report shapes from a known result: JUnit counts and locations, GitLab check names, SARIF
// security properties.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report/report.h"

namespace mlops {
namespace {

RuleSet two_rules() {
  RuleSet rules;
  Rule dat;
  dat.id = "DAT003";
  dat.name = "absolute-data-path";
  dat.practice = "data_versioning";
  dat.category = "data";
  dat.kind = RuleKind::Pattern;
  dat.source = "rules/DAT003.yaml";
  Rule sec = dat;
  sec.id = "SEC001";
  sec.name = "hardcoded-credential";
  sec.practice = "privacy";
  sec.severity = Severity::Error;
  sec.source = "rules/SEC001.yaml";
  Rule tst = dat;
  tst.id = "TST001";
  tst.kind = RuleKind::Requirement;
  Rule doc = dat;
  doc.id = "DOC001";
  rules.rules = {dat, doc, sec, tst};
  return rules;
}

CheckResult a_result() {
  CheckResult r;
  ProjectReport p;
  p.root = ".";
  p.results = {{"DAT003", Outcome::Fail, "", {}},
               {"DOC001", Outcome::Error, "could not read README.md", {}},
               {"SEC001", Outcome::Fail, "", {}},
               {"TST001", Outcome::NotApplicable, "does not apply", {}}};
  r.projects.push_back(p);
  Finding a;
  a.rule_id = "DAT003";
  a.message = "Hard-coded absolute path /home/a.csv";
  a.where = {"src/load.py", 4, 7, 0, 0};
  a.project = ".";
  a.fingerprint = "f1";
  Finding b = a;
  b.where = {"src/other.py", 9, 1, 0, 0};
  b.fingerprint = "f2";
  Finding c = a;
  c.rule_id = "SEC001";
  c.severity = Severity::Error;
  c.where = {"train.py", 2, 1, 0, 0};
  c.fingerprint = "f3";
  Finding hidden = a;
  hidden.suppressed = true;
  hidden.where = {"src/x.py", 1, 1, 0, 0};
  r.findings = {a, b, hidden, c};
  return r;
}

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

TEST(JunitReport, OneFailingCasePerFindingAtTheUsersFile) {
  RuleSet rules = two_rules();
  CheckResult result = a_result();
  std::string xml = render_junit({result, rules, "team", Severity::Warning});
  // 3 open findings + DOC001 (error) + TST001 (skipped); failing rules get no extra case.
  EXPECT_NE(
      xml.find(
          "<testsuite name=\"mlops-lint\" tests=\"5\" failures=\"3\" errors=\"1\" skipped=\"1\" time=\"0\">"),
      std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testsuites name=\"mlops-lint\" tests=\"5\" failures=\"3\" errors=\"1\" time=\"0\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("file=\"src/load.py\" line=\"4\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("file=\"src/other.py\" line=\"9\""), std::string::npos) << xml;
  EXPECT_EQ(xml.find("src/x.py"), std::string::npos) << "suppressed findings do not fail: " << xml;
  EXPECT_EQ(xml.find("rules/"), std::string::npos) << "points at a rule file: " << xml;
  EXPECT_EQ(count(xml, "<failure "), 3u);
  EXPECT_EQ(count(xml, "<error "), 1u);
  EXPECT_EQ(count(xml, "<skipped "), 1u);
  EXPECT_NE(xml.find("<error message=\"could not read README.md\""), std::string::npos) << xml;
}

TEST(GitlabReport, CheckNamesCarryTheToolPrefix) {
  RuleSet rules = two_rules();
  CheckResult result = a_result();
  nlohmann::json j = nlohmann::json::parse(render_gitlab({result, rules, "team", Severity::Warning}));
  ASSERT_EQ(j.size(), 3u);
  for (const auto& issue : j) EXPECT_TRUE(issue["check_name"].get<std::string>().starts_with("mlops-lint/"));
  EXPECT_EQ(j[0]["check_name"], "mlops-lint/DAT003");
}

TEST(SarifReport, SecurityRulesCarryTagAndSeverity) {
  RuleSet rules = two_rules();
  CheckResult result = a_result();
  nlohmann::json j = nlohmann::json::parse(render_sarif({result, rules, "team", Severity::Warning}));
  std::map<std::string, nlohmann::json> props;
  for (const auto& r : j["runs"][0]["tool"]["driver"]["rules"]) props[r["id"]] = r["properties"];
  ASSERT_TRUE(props.count("SEC001") && props.count("DAT003"));
  EXPECT_EQ(props["SEC001"]["tags"][0], "security");
  EXPECT_EQ(props["SEC001"]["security-severity"], "9.0");
  EXPECT_FALSE(props["DAT003"].contains("security-severity"));
  for (const auto& t : props["DAT003"]["tags"]) EXPECT_NE(t, "security");
}

}  // namespace
}  // namespace mlops
