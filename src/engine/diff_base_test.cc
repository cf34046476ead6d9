// What a change introduces: matching findings against a base result, and repository-root paths.
#include "engine/diff_base.h"

#include <gtest/gtest.h>

namespace mlops {
namespace {

Finding file_finding(const std::string& rule, const std::string& path, const std::string& fingerprint) {
  Finding f;
  f.rule_id = rule;
  f.where = {path, 3, 1, 0, 0};
  f.project = ".";
  f.fingerprint = fingerprint;
  f.subject = "subject-" + fingerprint;
  return f;
}

Finding project_finding(const std::string& rule, const std::string& project) {
  Finding f;
  f.rule_id = rule;
  f.where = {"", 0, 0, 0, 0};
  f.project = project;
  f.project_level = true;
  f.fingerprint = "p-" + rule + project;
  return f;
}

std::vector<std::string> ids(const CheckResult& r) {
  std::vector<std::string> out;
  for (const auto& f : r.findings) out.push_back(f.rule_id + "@" + f.where.path + "#" + f.fingerprint);
  return out;
}

TEST(DropPreexisting, KeepsOnlyFileFindingsAbsentAtTheBase) {
  CheckResult base, now;
  base.findings = {file_finding("DAT003", "a.py", "f1")};
  now.findings = {file_finding("DAT003", "a.py", "f1"), file_finding("DAT003", "b.py", "f2"),
                  file_finding("DAT004", "a.py", "f1")};
  Preexisting p = drop_preexisting(now, base, true);
  EXPECT_EQ(p.file_level, 1u);
  EXPECT_EQ(ids(now), (std::vector<std::string>{"DAT003@b.py#f2", "DAT004@a.py#f1"}));
}

TEST(DropPreexisting, CountsIdenticalFindings) {
  CheckResult base, now;
  base.findings = {file_finding("DAT003", "a.py", "f1")};
  now.findings = {file_finding("DAT003", "a.py", "f1"), file_finding("DAT003", "a.py", "f1")};
  drop_preexisting(now, base, true);
  EXPECT_EQ(now.findings.size(), 1u);
}

TEST(DropPreexisting, ProjectFindingsAreNewOnlyWhenTheirStatusChanged) {
  CheckResult base, now;
  base.findings = {project_finding("TST001", "."), project_finding("CI001", "ml")};
  now.findings = {project_finding("TST001", "."), project_finding("CI001", "."),
                  project_finding("DOC001", ".")};
  Preexisting p = drop_preexisting(now, base, false);
  EXPECT_EQ(p.project_level, 1u);
  ASSERT_EQ(now.findings.size(), 2u);
  EXPECT_EQ(now.findings[0].rule_id, "CI001");  // fails at the base in another project only
  EXPECT_EQ(now.findings[1].rule_id, "DOC001");
}

TEST(DropPreexisting, FollowsRenamedFiles) {
  CheckResult base, now;
  base.findings = {file_finding("DAT003", "old/a.py", "f1"), file_finding("DAT003", "kept.py", "f2")};
  now.findings = {file_finding("DAT003", "new/a.py", "f1"), file_finding("DAT003", "kept.py", "f2"),
                  file_finding("DAT004", "new/a.py", "f3")};
  Preexisting p = drop_preexisting(now, base, true, {{"old/a.py", "new/a.py"}});
  EXPECT_EQ(p.file_level, 2u);
  EXPECT_EQ(ids(now), (std::vector<std::string>{"DAT004@new/a.py#f3"}));
}

TEST(DropPreexisting, PreCommitKeepsEveryFileFinding) {
  CheckResult base, now;
  base.findings = {file_finding("DAT003", "a.py", "f1")};
  now.findings = {file_finding("DAT003", "a.py", "f1")};
  Preexisting p = drop_preexisting(now, base, false);
  EXPECT_EQ(p.file_level, 0u);
  EXPECT_EQ(now.findings.size(), 1u);
}

TEST(DropPreexisting, ASuppressedBaseFindingMatchesNothing) {
  CheckResult base, now;
  base.findings = {file_finding("DAT003", "a.py", "f1")};
  base.findings[0].suppressed = true;
  now.findings = {file_finding("DAT003", "a.py", "f1")};
  drop_preexisting(now, base, true);
  EXPECT_EQ(now.findings.size(), 1u);
}

TEST(RebasePaths, PrefixesEveryPathButTagsAndRepositoryWideNotes) {
  CheckResult r;
  r.findings = {file_finding("DAT003", "train.py", "f"), project_finding("TST001", ".")};
  r.diagnostics = {{{"", 0, 0}, "repository-wide"}, {{"cfg.yaml", 2, 0}, "bad"}};
  ProjectReport p;
  p.root = ".";
  p.results.push_back(
      {"TRK001", Outcome::Pass, "", {{"train.py", 1, 1, 0, 0}, {"refs/tags/v1", 0, 0, 0, 0}}});
  p.practices.push_back({"experiment_tracking", "present", {"TRK001"}, {{"train.py", 1, 1, 0, 0}}});
  r.projects.push_back(p);
  r.suppression_comments["train.py"] = {};
  rebase_paths(r, "ml/app/");
  EXPECT_EQ(r.findings[0].where.path, "ml/app/train.py");
  EXPECT_EQ(r.findings[0].project, "ml/app");
  EXPECT_EQ(r.findings[1].where.path, "ml/app");  // a project finding without an anchor file
  EXPECT_EQ(r.diagnostics[0].where.path, "");
  EXPECT_EQ(r.diagnostics[1].where.path, "ml/app/cfg.yaml");
  EXPECT_EQ(r.projects[0].root, "ml/app");
  EXPECT_EQ(r.projects[0].results[0].evidence[0].path, "ml/app/train.py");
  EXPECT_EQ(r.projects[0].results[0].evidence[1].path, "refs/tags/v1");
  EXPECT_EQ(r.projects[0].practices[0].evidence[0].path, "ml/app/train.py");
  EXPECT_EQ(r.suppression_comments.count("ml/app/train.py"), 1u);
}

TEST(RebasePaths, NothingChangesAtTheTop) {
  CheckResult r;
  r.findings = {file_finding("DAT003", "train.py", "f")};
  rebase_paths(r, "");
  EXPECT_EQ(r.findings[0].where.path, "train.py");
}

}  // namespace
}  // namespace mlops
