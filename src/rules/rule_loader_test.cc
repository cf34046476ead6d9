#include "rules/rule_loader.h"

#include <gtest/gtest.h>
#include <re2/re2.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "analysers/file_analyser.h"
#include "analysers/python_analyser.h"
#include "rules/builtin/builtin_rules.h"
#include "rules/evaluation.h"
#include "rules/rule_codec.h"
#include "support/temp_dir.h"

namespace mlops {
namespace {

constexpr const char* kConditions = R"(conditions:
  ml_code:
    python_import: [sklearn, torch]
)";

std::string rule(const std::string& id, const std::string& extra = "",
                 const std::string& check = "check:\n  file_exists: README.md\n") {
  return "id: " + id +
         "\n"
         "name: some-rule\n"
         "practice: documentation\n"
         "category: documentation\n"
         "severity: warning\n"
         "kind: requirement\n"
         "summary: s\n"
         "message: m\n"
         "rationale: r\n"
         "remediation: x\n" +
         extra + check;
}

bool has_error(const std::vector<Diagnostic>& errors, const std::string& path, int line,
               const std::string& text) {
  for (const auto& e : errors)
    if (e.where.path == path && (line == 0 || e.where.line == line) &&
        e.message.find(text) != std::string::npos)
      return true;
  return false;
}

std::string dump(const std::vector<Diagnostic>& errors) {
  std::string out;
  for (const auto& e : errors)
    out += e.where.path + ":" + std::to_string(e.where.line) + ": " + e.message + "\n";
  return out;
}

TEST(RuleLoader, ValidRuleLoads) {
  RuleLoader l;
  l.add({"rules/conditions.yaml", kConditions});
  l.add(
      {"rules/DOC001.yaml", rule("DOC001", "applies: ml_code\nprofiles: [team]\nanchor: [\"/README*\"]\n")});
  RuleSet set = l.finish();
  EXPECT_TRUE(l.errors().empty()) << dump(l.errors());
  ASSERT_EQ(set.rules.size(), 1u);
  const Rule* r = set.find("DOC001");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->kind, RuleKind::Requirement);
  EXPECT_EQ(r->severity, Severity::Warning);
  EXPECT_EQ(r->profiles, (std::vector<std::string>{"team"}));
  EXPECT_EQ(r->anchor, (std::vector<std::string>{"/README*"}));
  ASSERT_TRUE(r->applies.has_value());
  EXPECT_EQ(r->applies->op, Expr::Op::Condition);
  EXPECT_EQ(r->check.op, Expr::Op::Project);
  EXPECT_EQ(r->source, "rules/DOC001.yaml");
  EXPECT_EQ(set.conditions.count("ml_code"), 1u);
  EXPECT_LT(set.suppression_query, set.queries.size());
}

TEST(RuleLoader, UnknownKeyReportedWithLine) {
  RuleLoader l;
  std::string text = rule("DOC001", "", "chek:\n  file_exists: README.md\n");
  l.add({"rules/x.yaml", text});
  l.finish();
  EXPECT_TRUE(has_error(l.errors(), "rules/x.yaml", 11, "unknown key 'chek'")) << dump(l.errors());
  EXPECT_TRUE(has_error(l.errors(), "rules/x.yaml", 0, "missing required key 'check'")) << dump(l.errors());
}

TEST(RuleLoader, UnknownKeyInsidePredicate) {
  RuleLoader l;
  l.add({"r.yaml", rule("DOC001", "", "check:\n  content:\n    pattern: x\n    file: a\n")});
  l.finish();
  EXPECT_TRUE(has_error(l.errors(), "r.yaml", 14, "unknown key 'file'")) << dump(l.errors());
}

TEST(RuleLoader, MissingRequiredKeys) {
  RuleLoader l;
  l.add({"r.yaml", "id: DOC001\nname: x\ncheck:\n  file_exists: a\n"});
  l.finish();
  for (const char* key :
       {"practice", "category", "summary", "message", "rationale", "remediation", "severity", "kind"})
    EXPECT_TRUE(has_error(l.errors(), "r.yaml", 0, std::string("missing required key '") + key + "'"))
        << key << "\n"
        << dump(l.errors());
}

TEST(RuleLoader, IdAndNameShapes) {
  auto errors_for = [](const std::string& id, const std::string& name) {
    RuleLoader l;
    std::string text = rule(id);
    text.replace(text.find("name: some-rule"), 15, "name: " + name);
    l.add({"r.yaml", text});
    l.finish();
    return dump(l.errors());
  };
  for (const char* id : {"DA001", "DAT001", "DATA001"})
    EXPECT_EQ(errors_for(id, "a-b2-c").find("must be 2-4 capital letters"), std::string::npos) << id;
  for (const char* id : {"D001", "DATAS001", "DAT01", "DAT0001", "dAT001", "DAT00A", "DAT 001"})
    EXPECT_NE(errors_for(id, "a").find("must be 2-4 capital letters"), std::string::npos) << id;
  for (const char* name : {"a", "ab-c", "a1-2b-c3"})
    EXPECT_EQ(errors_for("DAT001", name).find("kebab-case"), std::string::npos) << name;
  for (const char* name : {"-a", "a-", "a--b", "A-b", "a_b", "a b"})
    EXPECT_NE(errors_for("DAT001", name).find("kebab-case"), std::string::npos) << name;
}

TEST(RuleLoader, BadIdNameSeverityKindProfile) {
  RuleLoader l;
  std::string text = rule("doc1", "profiles: [team, staging]\n");
  text.replace(text.find("name: some-rule"), 15, "name: Some_Rule");
  text.replace(text.find("severity: warning"), 17, "severity: fatal");
  text.replace(text.find("kind: requirement"), 17, "kind: other");
  l.add({"r.yaml", text});
  l.finish();
  EXPECT_TRUE(has_error(l.errors(), "r.yaml", 1, "id 'doc1'")) << dump(l.errors());
  EXPECT_TRUE(has_error(l.errors(), "r.yaml", 2, "kebab-case")) << dump(l.errors());
  EXPECT_TRUE(has_error(l.errors(), "r.yaml", 5, "severity must be")) << dump(l.errors());
  EXPECT_TRUE(has_error(l.errors(), "r.yaml", 6, "kind must be")) << dump(l.errors());
  EXPECT_TRUE(has_error(l.errors(), "r.yaml", 0, "unknown profile 'staging'")) << dump(l.errors());
}

TEST(RuleLoader, InvalidRegex) {
  RuleLoader l;
  l.add({"r.yaml", rule("DOC001", "", "check:\n  content:\n    pattern: \"(unclosed\"\n")});
  l.finish();
  EXPECT_TRUE(has_error(l.errors(), "r.yaml", 13, "invalid regular expression '(unclosed'"))
      << dump(l.errors());
}

TEST(RuleLoader, InvalidRegexInYamlMatches) {
  RuleLoader l;
  l.add({"r.yaml", rule("DOC001", "", "check:\n  yaml:\n    path: a.b\n    matches: \"[z-a]\"\n")});
  l.finish();
  EXPECT_TRUE(has_error(l.errors(), "r.yaml", 0, "invalid regular expression")) << dump(l.errors());
}

TEST(RuleLoader, NewPythonPredicates) {
  RuleLoader l;
  l.add(
      {"r.yaml",
       rule("DOC001", "",
            "check:\n"
            "  any:\n"
            "    - python_call:\n"
            "        name: sklearn.model_selection.train_test_split\n"
            "        keyword_values: {shuffle: \"False\", test_size: 0.2}\n"
            "        keyword_not_values: {stratify: None}\n"
            "    - python_class: {name: \"*Net\", base: torch.nn.Module, files: [\"src/**\"]}\n"
            "    - python_assign: {name: \"*_SEED\", value: \"^[0-9]+$\"}\n"
            "    - python_query:\n"
            "        query: '(call function: (attribute attribute: (identifier) @m (#eq? @m \"fit\"))) @c'\n"
            "        capture: c\n"
            "        prefilter: [fit]\n"
            "    - python_def: {name: \"test*\", test: true, with_calls: true}\n")});
  RuleSet set = l.finish();
  ASSERT_TRUE(l.errors().empty()) << dump(l.errors());
  const Rule* r = set.find("DOC001");
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->check.children.size(), 5u);
  const FileQuery& call = set.queries[r->check.children[0].query];
  EXPECT_EQ(call.keyword_values,
            (std::vector<std::pair<std::string, std::string>>{{"shuffle", "False"}, {"test_size", "0.2"}}));
  EXPECT_EQ(call.keyword_not_values,
            (std::vector<std::pair<std::string, std::string>>{{"stratify", "None"}}));
  const FileQuery& cls = set.queries[r->check.children[1].query];
  EXPECT_EQ(cls.kind, QueryKind::PythonClass);
  EXPECT_EQ(cls.names, std::vector<std::string>{"*Net"});
  EXPECT_EQ(cls.bases, std::vector<std::string>{"torch.nn.Module"});
  EXPECT_EQ(cls.globs, std::vector<std::string>{"src/**"});
  const FileQuery& assign = set.queries[r->check.children[2].query];
  EXPECT_EQ(assign.kind, QueryKind::PythonAssign);
  ASSERT_TRUE(assign.regex);
  EXPECT_EQ(assign.prefilter, std::vector<std::string>{"_SEED"});
  const FileQuery& raw = set.queries[r->check.children[3].query];
  EXPECT_EQ(raw.kind, QueryKind::PythonQuery);
  EXPECT_TRUE(raw.tree_query);
  EXPECT_FALSE(raw.regex);
  EXPECT_EQ(raw.capture, "c");
  EXPECT_EQ(raw.value, "");
  EXPECT_EQ(raw.prefilter, std::vector<std::string>{"fit"});
  const FileQuery& def = set.queries[r->check.children[4].query];
  EXPECT_TRUE(def.def_with_calls);
  EXPECT_TRUE(def.def_test);
  EXPECT_EQ(def.value, "");
}

TEST(RuleLoader, BadPythonQueryIsALoadError) {
  RuleLoader l;
  l.add({"bad.yaml", rule("DOC001", "",
                          "check:\n"
                          "  python_query:\n"
                          "    query: \"(call function: (no_such_node) @f)\"\n")});
  l.add({"bad2.yaml", rule("DOC002", "",
                           "check:\n"
                           "  python_query:\n"
                           "    query: \"((identifier) @i (#match? @i \\\"[z-a]\\\"))\"\n")});
  l.add({"bad3.yaml", rule("DOC003", "",
                           "check:\n"
                           "  python_query:\n"
                           "    query: \"(call) @c\"\n"
                           "    capture: missing\n")});
  l.add({"bad4.yaml", rule("DOC004", "", "check:\n  python_query: \"(call) @c\"\n")});
  l.add({"bad5.yaml", rule("DOC005", "",
                           "check:\n"
                           "  python_call:\n"
                           "    name: f\n"
                           "    keyword_values: [shuffle]\n")});
  l.add({"bad6.yaml", rule("DOC006", "", "check:\n  python_class: {files: [a.py]}\n")});
  l.finish();
  EXPECT_TRUE(has_error(l.errors(), "bad.yaml", 13, "unknown node type at offset 17")) << dump(l.errors());
  EXPECT_TRUE(has_error(l.errors(), "bad2.yaml", 13, "invalid regular expression")) << dump(l.errors());
  EXPECT_TRUE(has_error(l.errors(), "bad3.yaml", 13, "no capture @missing")) << dump(l.errors());
  EXPECT_TRUE(has_error(l.errors(), "bad4.yaml", 12, "python_query takes a map")) << dump(l.errors());
  EXPECT_TRUE(has_error(l.errors(), "bad5.yaml", 14, "keyword_values must be a map")) << dump(l.errors());
  EXPECT_TRUE(has_error(l.errors(), "bad6.yaml", 12, "python_class needs a name or a base"))
      << dump(l.errors());
}

TEST(RuleLoader, UnknownConditionAndPredicate) {
  RuleLoader l;
  l.add({"conditions.yaml", kConditions});
  l.add({"a.yaml", rule("DOC001", "applies: no_such_condition\n")});
  l.add({"b.yaml",
         rule("DOC002", "", "check:\n  any:\n    - condition: also_missing\n    - file_exists: x\n")});
  l.add({"c.yaml", rule("DOC003", "", "check:\n  files_exist: README.md\n")});
  l.finish();
  EXPECT_TRUE(has_error(l.errors(), "a.yaml", 11, "unknown condition 'no_such_condition'"))
      << dump(l.errors());
  EXPECT_TRUE(has_error(l.errors(), "b.yaml", 13, "unknown condition 'also_missing'")) << dump(l.errors());
  EXPECT_TRUE(has_error(l.errors(), "c.yaml", 12, "unknown predicate 'files_exist'")) << dump(l.errors());
}

TEST(RuleLoader, ConditionCycleRejected) {
  RuleLoader l;
  l.add({"conditions.yaml", "conditions:\n  a:\n    condition: b\n  b:\n    any:\n      - condition: a\n"});
  l.finish();
  EXPECT_TRUE(has_error(l.errors(), "", 0, "refers to itself")) << dump(l.errors());
}

TEST(RuleLoader, DuplicateIds) {
  RuleLoader l;
  l.add({"one.yaml", rule("DOC001")});
  l.add({"two.yaml", rule("DOC001")});
  RuleSet set = l.finish();
  bool found = false;
  for (const auto& e : l.errors())
    found = found || (e.message.find("DOC001 is already defined") != std::string::npos &&
                      (e.where.path == "one.yaml" || e.where.path == "two.yaml"));
  EXPECT_TRUE(found) << dump(l.errors());
}

TEST(RuleLoader, UnknownPracticeAndRequires) {
  RuleLoader l;
  std::string text = rule("DOC001", "requires: [CI999]\n");
  text.replace(text.find("practice: documentation"), 23, "practice: vibes");
  l.add({"r.yaml", text});
  l.finish();
  EXPECT_TRUE(has_error(l.errors(), "r.yaml", 3, "unknown practice 'vibes'")) << dump(l.errors());
  EXPECT_TRUE(has_error(l.errors(), "r.yaml", 0, "requires unknown rule CI999")) << dump(l.errors());
}

TEST(RuleLoader, InvalidYamlAndNonMap) {
  RuleLoader l;
  l.add({"bad.yaml", "id: [unclosed\n"});
  l.add({"list.yaml", "- a\n- b\n"});
  l.finish();
  EXPECT_TRUE(has_error(l.errors(), "bad.yaml", 0, "invalid YAML")) << dump(l.errors());
  EXPECT_TRUE(has_error(l.errors(), "list.yaml", 1, "must be a map")) << dump(l.errors());
}

TEST(RuleLoader, QueriesDeduplicatedAcrossRules) {
  RuleLoader l;
  const std::string check = "check:\n  python_import: [mlflow, wandb]\n";
  l.add({"a.yaml", rule("EXP001", "", check)});
  l.add({"b.yaml", rule("EXP002", "", check)});
  l.add({"c.yaml", rule("EXP003", "", "check:\n  python_import: [mlflow]\n")});
  RuleSet set = l.finish();
  ASSERT_TRUE(l.errors().empty()) << dump(l.errors());
  const Rule* a = set.find("EXP001");
  const Rule* b = set.find("EXP002");
  const Rule* c = set.find("EXP003");
  ASSERT_TRUE(a && b && c);
  ASSERT_EQ(a->check.op, Expr::Op::Query);
  EXPECT_EQ(a->check.query, b->check.query);
  EXPECT_NE(a->check.query, c->check.query);
  // Two distinct user queries plus the built-in suppression and requirements-includes queries.
  EXPECT_EQ(set.queries.size(), 4u);
  EXPECT_EQ(set.queries[set.includes_query].kind, QueryKind::RequirementIncludes);
  EXPECT_EQ(set.queries[a->check.query].kind, QueryKind::PythonImport);
  EXPECT_EQ(set.queries[a->check.query].names, (std::vector<std::string>{"mlflow", "wandb"}));
}

TEST(RuleLoader, RulesSortedById) {
  RuleLoader l;
  l.add({"b.yaml", rule("ZZZ001")});
  l.add({"a.yaml", rule("AAA001")});
  l.add({"c.yaml", rule("MMM001")});
  RuleSet set = l.finish();
  ASSERT_EQ(set.rules.size(), 3u);
  EXPECT_EQ(set.rules[0].id, "AAA001");
  EXPECT_EQ(set.rules[1].id, "MMM001");
  EXPECT_EQ(set.rules[2].id, "ZZZ001");
}

TEST(RuleLoader, RetiredUnlessAndInFileSayWhatReplacesThem) {
  RuleLoader l;
  l.add({"r.yaml", rule("DOC001", "unless:\n  file_exists: x\nin_file:\n  file_exists: y\n")});
  l.finish();
  bool unless = false, in_file = false;
  for (const auto& e : l.errors()) {
    if (e.message.starts_with("'unless' was replaced by not_inside")) unless = true;
    if (e.message.starts_with("'in_file' was replaced by inside / not_inside")) in_file = true;
  }
  EXPECT_TRUE(unless && in_file) << dump(l.errors());
}

TEST(RuleLoader, FlagsTakeTrueOrFalse) {
  RuleLoader l;
  l.add({"a.yaml", rule("AAA001", "", "check:\n  dependency: {versioned: ture}\n")});
  l.add({"b.yaml", rule("BBB001", "", "check:\n  python_string: {pattern: x, skip_comparisons: no}\n")});
  RuleSet set = l.finish();
  EXPECT_TRUE(has_error(l.errors(), "a.yaml", 0, "versioned takes true or false")) << dump(l.errors());
  EXPECT_FALSE(has_error(l.errors(), "b.yaml", 0, "skip_comparisons takes true or false"))
      << dump(l.errors());
}

// The notebook predicate's switches read through the same flag parser: `false` asks nothing and
// is an error, a misspelling too; `true` loads.
TEST(RuleLoader, NotebookSwitchesTakeTrue) {
  RuleLoader l;
  l.add({"a.yaml", rule("AAA001", "", "check:\n  notebook: {error_outputs: false}\n")});
  l.add({"b.yaml", rule("BBB001", "", "check:\n  notebook: {out_of_order: ture}\n")});
  l.add({"c.yaml", rule("CCC001", "", "check:\n  notebook: {error_outputs: true}\n")});
  RuleSet set = l.finish();
  EXPECT_TRUE(has_error(l.errors(), "a.yaml", 0, "error_outputs takes true")) << dump(l.errors());
  EXPECT_TRUE(has_error(l.errors(), "b.yaml", 0, "out_of_order takes true or false")) << dump(l.errors());
  for (const auto& e : l.errors()) EXPECT_NE(e.where.path, "c.yaml") << e.message;
  EXPECT_NE(set.find("CCC001"), nullptr);
}

TEST(RuleLoader, ScopeOperatorsTakeACheckAndOneContext) {
  RuleLoader l;
  l.add({"a.yaml", rule("AAA001", "",
                        "check:\n  inside:\n    check: {file_exists: a}\n    function: {file_exists: b}\n")});
  l.add({"b.yaml", rule("BBB001", "", "check:\n  not_inside:\n    check: {file_exists: a}\n")});
  l.add({"c.yaml", rule("CCC001", "",
                        "check:\n  inside:\n    check: {file_exists: a}\n    file: {file_exists: b}\n"
                        "    project: {file_exists: c}\n")});
  RuleSet set = l.finish();
  const Rule* a = set.find("AAA001");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->check.op, Expr::Op::Inside);
  EXPECT_EQ(a->check.scope, Expr::Scope::Function);
  EXPECT_FALSE(a->check.negated);
  ASSERT_EQ(a->check.children.size(), 2u);
  EXPECT_TRUE(
      has_error(l.errors(), "b.yaml", 0, "not_inside needs a context: file, function, directory or project"))
      << dump(l.errors());
  EXPECT_TRUE(
      has_error(l.errors(), "c.yaml", 0, "inside takes one of file, function, directory or project, not two"))
      << dump(l.errors());
}

TEST(RuleLoader, PredicateShapes) {
  RuleLoader l;
  l.add({"r.yaml", rule("DOC001", "",
                        "check:\n"
                        "  all:\n"
                        "    - not:\n"
                        "        file_exists: [a, b]\n"
                        "    - large_file: {files: [\"*.csv\"], min_size: 5MB}\n"
                        "    - python_call: {name: \"*.fit\", lacks_keyword: random_state}\n"
                        "    - toml: {path: tool.ruff, files: pyproject.toml}\n"
                        "    - dependency: Scikit_Learn\n"
                        "    - unpinned_dependency:\n")});
  RuleSet set = l.finish();
  ASSERT_TRUE(l.errors().empty()) << dump(l.errors());
  const Rule* r = set.find("DOC001");
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->check.op, Expr::Op::All);
  ASSERT_EQ(r->check.children.size(), 6u);
  EXPECT_EQ(r->check.children[0].op, Expr::Op::Not);
  EXPECT_EQ(r->check.children[1].op, Expr::Op::Project);
  EXPECT_NE(r->check.children[1].project, nullptr);
  const FileQuery& call = set.queries[r->check.children[2].query];
  EXPECT_EQ(call.kind, QueryKind::PythonCall);
  EXPECT_EQ(call.lacks_keywords, (std::vector<std::string>{"random_state"}));
  const FileQuery& toml = set.queries[r->check.children[3].query];
  EXPECT_EQ(toml.key_path, (std::vector<std::string>{"tool", "ruff"}));
  const FileQuery& dep = set.queries[r->check.children[4].query];
  EXPECT_EQ(dep.names, (std::vector<std::string>{"scikit-learn"}));
  ASSERT_EQ(r->check.children[5].op, Expr::Op::Project);
  EXPECT_EQ(set.queries[r->check.children[5].project->queries().at(0)].kind, QueryKind::DependencyUnpinned);
}

TEST(RuleLoader, EmptyAnyAndBadSize) {
  RuleLoader l;
  l.add({"r.yaml", rule("DOC001", "", "check:\n  any: []\n")});
  l.add({"s.yaml", rule("DOC002", "", "check:\n  large_file: {min_size: lots}\n")});
  l.finish();
  EXPECT_TRUE(has_error(l.errors(), "r.yaml", 12, "non-empty list")) << dump(l.errors());
  EXPECT_TRUE(has_error(l.errors(), "s.yaml", 12, "expected a size")) << dump(l.errors());
}

TEST(RuleLoader, BuiltinRulesLoad) {
  std::vector<Diagnostic> errors;
  RuleSet set = load_rules({}, errors);
  EXPECT_TRUE(errors.empty()) << dump(errors);
  EXPECT_FALSE(set.rules.empty());
  EXPECT_NE(set.find("DAT003"), nullptr);
}

// The built-in rules are read back from the form they were compiled to at build time, with their
// patterns and tree queries compiled when first used. Loaded from their text as a repository's
// rules instead (every pattern and query compiled at load, errors with lines), they load cleanly
// and give the same rule set, field for field (the codec's own encoding compares every field it
// writes; its static_asserts catch a field it does not): nothing the compiled, lazy path skips
// can fail or differ at run time.
TEST(RuleLoader, BuiltinRulesCompileEagerlyAndMatchTheirCompiledForm) {
  std::vector<Diagnostic> errors;
  RuleSet compiled = load_rules({}, errors);
  ASSERT_TRUE(errors.empty()) << dump(errors);
  RuleLoader text;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(std::string(MLOPS_SOURCE_DIR) + "/rules"))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f);
    std::stringstream s;
    s << in.rdbuf();
    text.add({"rules/" + f.filename().string(), s.str()});
  }
  RuleSet eager = text.finish();
  ASSERT_TRUE(text.errors().empty()) << dump(text.errors());
  ASSERT_EQ(compiled.rules.size(), eager.rules.size());
  for (size_t i = 0; i < compiled.rules.size(); ++i) {
    const Rule &a = compiled.rules[i], &b = eager.rules[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.source, b.source);
    EXPECT_EQ(a.message, b.message) << a.id;
    EXPECT_EQ(a.rationale, b.rationale) << a.id;
    EXPECT_EQ(a.remediation, b.remediation) << a.id;
    EXPECT_EQ(a.bad_example, b.bad_example) << a.id;
    EXPECT_EQ(a.profiles, b.profiles) << a.id;
    EXPECT_EQ(a.anchor, b.anchor) << a.id;
    EXPECT_EQ(a.fix_options, b.fix_options) << a.id;
  }
  EXPECT_EQ(compiled.conditions.size(), eager.conditions.size());
  ASSERT_EQ(compiled.queries.size(), eager.queries.size());
  for (size_t i = 0; i < compiled.queries.size(); ++i) {
    EXPECT_EQ(compiled.queries[i].fingerprint(), eager.queries[i].fingerprint());
    // Every lazily compiled pattern and tree query of the built-in rules compiles.
    if (compiled.queries[i].regex) {
      EXPECT_TRUE(compiled.queries[i].regex->ok()) << compiled.queries[i].pattern;
    }
    for (const auto& re : compiled.queries[i].beside_regexes) EXPECT_TRUE(re->ok());
    if (compiled.queries[i].tree_query) {
      EXPECT_NE(compiled.queries[i].tree_query->compiled(), nullptr) << compiled.queries[i].pattern;
    }
  }
  EXPECT_EQ(compiled.suppression_query, eager.suppression_query);
  EXPECT_EQ(compiled.includes_query, eager.includes_query);
  // Every field the codec writes, project predicates' parameters included.
  EXPECT_TRUE(encode_rules(compiled, {}) == encode_rules(eager, {}));
}

TEST(RuleLoader, CompiledRulesRoundTrip) {
  RuleLoader l;
  l.add({"rules/conditions.yaml", kConditions});
  l.add({"rules/a.yaml", rule("DOC001", "essential: true\nfix: {fixer: f, options: {k: v}}\n",
                              "check:\n  all:\n    - ml_code\n    - git_tag: '^v[0-9]'\n"
                              "    - not_inside: {check: {python_call: {name: torch.load}}, function: "
                              "{python_call: {name: torch.save}}}\n")});
  l.add({"rules/b.yaml", rule("DOC002", "", "check:\n  ci_runs: pytest\n")});
  const std::string bytes = l.encode();
  RuleSet direct = l.finish();
  ASSERT_TRUE(l.errors().empty()) << dump(l.errors());

  RuleLoader back;
  back.add_compiled(bytes);
  RuleSet read = back.finish();
  ASSERT_TRUE(back.errors().empty()) << dump(back.errors());
  EXPECT_TRUE(encode_rules(read, {}) == encode_rules(direct, {}));
  ASSERT_EQ(read.rules.size(), 2u);
  EXPECT_TRUE(read.rules[0].essential);
  EXPECT_EQ(read.rules[0].fixer, "f");
  EXPECT_EQ(read.rules[0].fix_options.at("k"), "v");
  ASSERT_EQ(read.rules[0].check.children.size(), 3u);
  EXPECT_EQ(read.rules[0].check.children[0].condition, "ml_code");
  ASSERT_NE(read.rules[0].check.children[1].project, nullptr);
  EXPECT_EQ(read.rules[0].check.children[1].project->predicate_name(), "git_tag");
  EXPECT_EQ(read.rules[0].check.children[2].op, Expr::Op::Inside);
  EXPECT_TRUE(read.rules[0].check.children[2].negated);
  EXPECT_EQ(read.rules[0].check.children[2].scope, Expr::Scope::Function);
  EXPECT_EQ(read.conditions.count("ml_code"), 1u);
}

// A damaged or truncated blob is refused whole, with a diagnostic, never half-read.
TEST(RuleLoader, DamagedCompiledRulesAreRefused) {
  RuleLoader l;
  l.add({"rules/a.yaml", rule("DOC001")});
  const std::string bytes = l.encode();
  for (size_t cut : {size_t{0}, size_t{5}, bytes.size() / 2, bytes.size() - 1}) {
    RuleLoader back;
    back.add_compiled(std::string_view(bytes).substr(0, cut));
    RuleSet set = back.finish();
    EXPECT_TRUE(set.rules.empty()) << cut;
    ASSERT_EQ(back.errors().size(), 1u) << cut;
    EXPECT_NE(back.errors()[0].message.find("damaged"), std::string::npos);
  }
  std::string extra = bytes + "x";
  RuleLoader back;
  back.add_compiled(extra);
  EXPECT_EQ(back.errors().size(), 1u);
}

// test-rules on a directory: its files replace the built-in files of the same name (rules and
// conditions), and its queries are shared with the built-in ones they equal.
TEST(RuleLoader, CompiledRulesSkipReplacedFilesAndShareQueries) {
  RuleLoader l;
  l.add({"rules/conditions.yaml", kConditions});
  l.add({"rules/a.yaml", rule("DOC001", "", "check:\n  python_import: numpy\n")});
  l.add({"rules/b.yaml", rule("DOC002")});
  const std::string bytes = l.encode();

  RuleLoader back;
  back.add_compiled(bytes, {"a.yaml", "conditions.yaml"});
  back.add({"mine/conditions.yaml", kConditions});  // not "defined twice"
  back.add({"mine/a.yaml", rule("DOC003", "", "check:\n  python_import: numpy\n")});
  RuleSet set = back.finish();
  ASSERT_TRUE(back.errors().empty()) << dump(back.errors());
  ASSERT_EQ(set.rules.size(), 2u);
  EXPECT_EQ(set.rules[0].id, "DOC002");
  EXPECT_EQ(set.rules[1].id, "DOC003");
  size_t imports = 0;
  for (const auto& q : set.queries) imports += q.kind == QueryKind::PythonImport;
  EXPECT_EQ(imports, 2u);  // ml_code's and numpy's, each once
}

// A rule compiled into the binary is trusted: its pattern is compiled when first used, not at
// load, and one that does not compile (the test above rules that out for the real ones) then
// matches nothing. A repository's rule with the same pattern is a load error (InvalidRegex).
TEST(RuleLoader, BuiltinPatternsAreCompiledWhenFirstUsed) {
  RuleLoader l;
  l.add({"r.yaml", rule("DOC001", "", "check:\n  content:\n    pattern: \"(unclosed\"\n"), true});
  RuleSet set = l.finish();
  EXPECT_TRUE(l.errors().empty()) << dump(l.errors());
  const FileQuery& q = set.queries[set.rules[0].check.query];
  ASSERT_TRUE(q.regex);
  EXPECT_FALSE(q.regex->ok());
}

TEST(RuleLoader, PythonCallNamesNeedOneThatIsNotAnExclusion) {
  RuleLoader l;
  l.add({"a.yaml", rule("TST101", "", "check:\n  python_call: [\"!sklearn.*\"]\n")});
  l.add({"b.yaml", rule("TST102", "", "check:\n  python_call: [\"*.fit\", \"!sklearn.impute.*\"]\n")});
  RuleSet set = l.finish();
  ASSERT_EQ(l.errors().size(), 1u) << dump(l.errors());
  EXPECT_NE(l.errors()[0].message.find("not only !exclusions"), std::string::npos);
  const Rule* b = set.find("TST102");
  ASSERT_TRUE(b);
  EXPECT_EQ(set.queries[b->check.query].prefilter, (std::vector<std::string>{"fit"}));
}

TEST(RuleLoader, BesideNeedsScalarKeysAndValidPatterns) {
  RuleLoader l;
  l.add({"a.yaml", rule("TST101", "", "check:\n  yaml: {path: a.b, beside: {c: '(unclosed'}}\n")});
  l.add({"b.yaml", rule("TST102", "", "check:\n  yaml: {path: a.b, beside: {[x]: y}}\n")});
  l.add({"c.yaml", rule("TST103", "", "check:\n  yaml: {path: a.b, beside: {filepath: 'models/'}}\n")});
  RuleSet set = l.finish();
  ASSERT_EQ(l.errors().size(), 2u) << dump(l.errors());
  EXPECT_NE(l.errors()[0].message.find("invalid regular expression '(unclosed'"), std::string::npos);
  EXPECT_NE(l.errors()[1].message.find("beside key must be a string"), std::string::npos);
  const Rule* c = set.find("TST103");
  ASSERT_TRUE(c);
  EXPECT_EQ(set.queries[c->check.query].beside_regexes.size(), 1u);
}

TEST(RuleLoader, UnpinnedDependencyAppliesConstraintsFiles) {
  RuleLoader l;
  l.add({"c.yaml", rule("DEP103", "", "check:\n  unpinned_dependency: {}\n")});
  RuleSet set = l.finish();
  ASSERT_TRUE(l.errors().empty()) << dump(l.errors());
  const Rule* c = set.find("DEP103");
  ASSERT_TRUE(c);
  ASSERT_EQ(c->check.op, Expr::Op::Project);
  std::vector<size_t> qs = c->check.project->queries();
  ASSERT_EQ(qs.size(), 2u);
  EXPECT_EQ(set.queries[qs[0]].kind, QueryKind::DependencyUnpinned);
  // The constraints query is the built-in includes query, not a second copy.
  EXPECT_EQ(qs[1], set.includes_query);
}

TEST(RuleLoader, RepositoryRuleFilesThatAreSymlinksOrFifosAreRefused) {
  test_support::TempDir d;
  d.write("rules/ORG901.yaml", rule("ORG901"));
  d.write("elsewhere/ORG902.yaml", rule("ORG902"));
  std::filesystem::create_symlink("../elsewhere/ORG902.yaml", d.path() / "rules" / "ORG902.yaml");
  ASSERT_EQ(::mkfifo((d.path() / "rules" / "ORG903.yaml").c_str(), 0644), 0);
  std::string dir = (d.path() / "rules").string();
  std::vector<Diagnostic> errors;
  RuleSet set = load_rules({dir}, errors);  // would hang if the FIFO were opened
  EXPECT_NE(set.find("ORG901"), nullptr) << dump(errors);
  EXPECT_EQ(set.find("ORG902"), nullptr);
  EXPECT_TRUE(has_error(errors, dir + "/ORG902.yaml", 0, "rule file is a symlink; not loaded"))
      << dump(errors);
  EXPECT_TRUE(has_error(errors, dir + "/ORG903.yaml", 0, "not a regular file (FIFO); not read"))
      << dump(errors);
}

}  // namespace
}  // namespace mlops

namespace mlops {
namespace {

// The prefilter a python_call / python_class derives from its names, judged by the files it lets
// through: a file that makes the call always passes, most that do not are kept out.
TEST(RuleLoader, NamePrefiltersNeedTheModuleAndTheCalledName) {
  RuleLoader l;
  l.add({"a.yaml", rule("TST101", "", "check:\n  python_call: [\"mlflow.data.from_*\"]\n")});
  l.add({"b.yaml", rule("TST102", "", "check:\n  python_call: [\"*set_seed\", \"pandas.read_*\"]\n")});
  l.add({"c.yaml", rule("TST103", "", "check:\n  python_class: {base: [metaflow.FlowSpec]}\n")});
  RuleSet set = l.finish();
  ASSERT_TRUE(l.errors().empty()) << dump(l.errors());
  auto query = [&](const char* id) { return set.queries[set.find(id)->check.query]; };
  const FileQuery from = query("TST101");
  EXPECT_TRUE(prefilter_admits(from, "import mlflow\nds = mlflow.data.from_pandas(df)\n"));
  EXPECT_TRUE(prefilter_admits(from, "from mlflow.data import from_numpy as fn\nfn(x)\n"));
  EXPECT_FALSE(prefilter_admits(from, "from transformers import AutoModel\nAutoModel.from_pretrained(p)\n"));
  EXPECT_FALSE(prefilter_admits(from, "import mlflow\nmlflow.log_metric('a', 1)\n"));
  const FileQuery seeds = query("TST102");
  EXPECT_TRUE(prefilter_admits(seeds, "from transformers import set_seed\nset_seed(0)\n"));
  EXPECT_TRUE(prefilter_admits(seeds, "utils.fix_set_seed (0)\n"));
  EXPECT_TRUE(prefilter_admits(seeds, "import pandas as pd\ndf = pd.read_parquet(p)\n"));
  EXPECT_FALSE(
      prefilter_admits(seeds, "import pandas as pd\ndef set_seed_value(): pass\nthread_count = 2\n"));
  const FileQuery flows = query("TST103");
  EXPECT_TRUE(prefilter_admits(flows, "from metaflow import FlowSpec\nclass Train(FlowSpec):\n    pass\n"));
  EXPECT_FALSE(prefilter_admits(flows, "class Net(nn.Module):\n    pass\n"));
  EXPECT_FALSE(prefilter_admits(flows, "# FlowSpec is not used here\nx = 1\n"));
}

}  // namespace
}  // namespace mlops
