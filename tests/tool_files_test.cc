// `tool_files` over a check: set-aside files (Jupyter checkpoint copies) are seen by that
// predicate alone, once per project, and never analysed by per-file predicates.
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "repo/memory_snapshot.h"
#include "rules/rule_loader.h"

namespace mlops {
namespace {

using Files = std::map<std::string, std::string>;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string rule(const std::string& id, const std::string& kind, const std::string& check) {
  return "id: " + id + "\nname: rule-" + lower(id) + "\npractice: notebook_hygiene\ncategory: code\n" +
         "severity: warning\nkind: " + kind +
         "\nsummary: s\nmessage: \"found {match}\"\nrationale: r\nremediation: x\ncheck:\n" + check;
}

RuleSet load(const std::vector<std::string>& rules, std::vector<Diagnostic>* errors = nullptr) {
  RuleLoader l;
  for (size_t i = 0; i < rules.size(); ++i) l.add({"r" + std::to_string(i) + ".yaml", rules[i]});
  RuleSet set = l.finish();
  if (errors)
    *errors = l.errors();
  else
    for (const auto& e : l.errors())
      ADD_FAILURE() << e.where.path << ":" << e.where.line << ": " << e.message;
  return set;
}

std::vector<const Finding*> findings_of(const CheckResult& r, const std::string& id) {
  std::vector<const Finding*> out;
  for (const auto& f : r.findings)
    if (f.rule_id == id) out.push_back(&f);
  return out;
}

CheckOptions options() {
  CheckOptions o;
  o.jobs = 1;
  return o;
}

const std::string kCopies = rule("TLF001", "pattern", "  tool_files: jupyter_checkpoints\n");
// A per-file rule that would fire on every copy, were copies analysed.
const std::string kContent = rule(
    "TLF002", "pattern", "  content: {files: [\"*.ipynb\"], pattern: 'read_csv', prefilter: [read_csv]}\n");

TEST(ToolFiles, OneFindingPerProjectAtTheFirstCopyAndCopiesAreNotAnalysed) {
  const std::string nb = R"nb({"cells": [{"cell_type": "code", "source": ["df = pd.read_csv('x.csv')"]}]})nb";
  MemorySnapshot snap(Files{{"explore.ipynb", nb},
                            {"nb/.ipynb_checkpoints/b-checkpoint.ipynb", nb},
                            {".ipynb_checkpoints/explore-checkpoint.ipynb", nb},
                            {".ipynb_checkpoints/helpers-checkpoint.py", "x = 1\n"}});
  RuleSet rules = load({kCopies, kContent});
  CheckResult r = run_check(snap, rules, options());
  auto copies = findings_of(r, "TLF001");
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_EQ(copies[0]->where.path, ".ipynb_checkpoints/explore-checkpoint.ipynb");
  EXPECT_EQ(copies[0]->where.line, 1);
  EXPECT_EQ(copies[0]->message, "found 3 files under .ipynb_checkpoints/");
  auto content = findings_of(r, "TLF002");
  ASSERT_EQ(content.size(), 1u);
  EXPECT_EQ(content[0]->where.path, "explore.ipynb");
  EXPECT_EQ(r.files_listed, 1u);
}

TEST(ToolFiles, NoCopiesPasses) {
  MemorySnapshot snap(Files{{"explore.ipynb", "{}"}, {"checkpoints/model-checkpoint.ipynb", "{}"}});
  CheckResult r = run_check(snap, load({kCopies}), options());
  EXPECT_TRUE(findings_of(r, "TLF001").empty());
  ASSERT_EQ(r.projects.size(), 1u);
  ASSERT_EQ(r.projects[0].results.size(), 1u);
  EXPECT_EQ(r.projects[0].results[0].outcome, Outcome::Pass);
}

// Each copy belongs to the deepest project containing it, as a file would.
TEST(ToolFiles, CopiesAreCountedInTheirOwnProject) {
  MemorySnapshot snap(Files{{"pyproject.toml", "[project]\nname = 'top'\n"},
                            {".ipynb_checkpoints/top-checkpoint.ipynb", "{}"},
                            {"svc/pyproject.toml", "[project]\nname = 'svc'\n"},
                            {"svc/.ipynb_checkpoints/a-checkpoint.ipynb", "{}"},
                            {"svc/nb/.ipynb_checkpoints/b-checkpoint.ipynb", "{}"}});
  CheckResult r = run_check(snap, load({kCopies}), options());
  auto copies = findings_of(r, "TLF001");
  ASSERT_EQ(copies.size(), 2u);
  EXPECT_EQ(copies[0]->where.path, ".ipynb_checkpoints/top-checkpoint.ipynb");
  EXPECT_EQ(copies[0]->message, "found 1 file under .ipynb_checkpoints/");
  EXPECT_EQ(copies[1]->where.path, "svc/.ipynb_checkpoints/a-checkpoint.ipynb");
  EXPECT_EQ(copies[1]->message, "found 2 files under .ipynb_checkpoints/");
  EXPECT_EQ(copies[1]->project, "svc");
}

// As a requirement rule's evidence, a copy is named by its path.
TEST(ToolFiles, RequirementEvidenceNamesTheCopy) {
  MemorySnapshot snap(Files{{"a.py", "x = 1\n"}, {"nb/.ipynb_checkpoints/c-checkpoint.ipynb", "{}"}});
  CheckResult r = run_check(
      snap, load({rule("TLF003", "requirement", "  tool_files: jupyter_checkpoints\n")}), options());
  ASSERT_EQ(r.projects.size(), 1u);
  const RuleResult& res = r.projects[0].results.at(0);
  EXPECT_EQ(res.outcome, Outcome::Pass);
  ASSERT_EQ(res.evidence.size(), 1u);
  EXPECT_EQ(res.evidence[0].path, "nb/.ipynb_checkpoints/c-checkpoint.ipynb");
}

// --files (pre-commit): the copies are reported when one of them is among the checked files.
TEST(ToolFiles, WithFilesOnlyWhenACopyIsChecked) {
  MemorySnapshot snap(Files{{"a.py", "x = 1\n"}, {"nb/.ipynb_checkpoints/c-checkpoint.ipynb", "{}"}});
  RuleSet rules = load({kCopies});
  CheckOptions o = options();
  o.only_files = {"a.py"};
  EXPECT_TRUE(findings_of(run_check(snap, rules, o), "TLF001").empty());
  o.only_files = {"a.py", "nb/.ipynb_checkpoints/c-checkpoint.ipynb"};
  CheckResult r = run_check(snap, rules, o);
  auto copies = findings_of(r, "TLF001");
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_EQ(copies[0]->where.path, "nb/.ipynb_checkpoints/c-checkpoint.ipynb");
}

TEST(ToolFiles, UnknownKindIsALoadError) {
  std::vector<Diagnostic> errors;
  load({rule("TLF004", "pattern", "  tool_files: vim_swap_files\n")}, &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("unknown kind 'vim_swap_files' (known: jupyter_checkpoints)"),
            std::string::npos)
      << errors[0].message;
}

}  // namespace
}  // namespace mlops
