// The predicate registry: each predicate of the rule language (`python_call`, `ci_runs`, `any`,
// ...) is one unit in rules/predicates/<name>.cc — its typed parameters, the file queries it
// contributes and, when it is answered over a whole project, its evaluation — plus one
// registration line in rules/predicates/registry.cc. The loader looks predicates up by name.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/location.h"
#include "rules/rule.h"

namespace YAML {
class Node;
}

namespace mlops {

struct PredicateInfo;

// What a predicate's parser works with while one rule file is loaded: typed reads of its
// parameters with `file:line` errors, the query set (equal queries are shared), and nested
// checks for the operators. Errors are collected; a predicate returns its best-effort Expr.
class PredicateParser {
 public:
  PredicateParser(std::string path, RuleSet& set, std::unordered_map<std::string, size_t>& query_index,
                  std::vector<Diagnostic>& errors,
                  std::vector<std::pair<std::string, Location>>& condition_refs,
                  std::set<std::string>* used = nullptr);

  void error(const YAML::Node& at, const std::string& message);

  // Keys of `map` outside the options the current predicate registered are errors; false when
  // there were any.
  bool check_options(const YAML::Node& map);
  // Keys outside `allowed` are errors (maps that are not a predicate's own, e.g. `fix:`).
  bool check_keys(const YAML::Node& map, std::initializer_list<const char*> allowed);

  std::optional<std::string> scalar(const YAML::Node& n, const std::string& what);
  // A string or a list of strings.
  std::vector<std::string> strings(const YAML::Node& n, const std::string& what);
  // `key: true` (YAML's spellings of true); false when absent. Anything but a spelling of true
  // or false is an error (`versioned: ture` must not quietly read as false).
  bool flag(const YAML::Node& map, const char* key);
  // A map of keyword -> literal value, in the order written.
  std::vector<std::pair<std::string, std::string>> keyword_map(const YAML::Node& n, const std::string& what);
  // A size such as 5MB; 0 (and an error) when it is not one.
  uint64_t size(const YAML::Node& n);
  // `files:` of a predicate's map into `q.globs`, when present.
  void files(const YAML::Node& map, FileQuery& q);

  // An RE2 from a rule (rules come from untrusted repositories: linear time). A repository's is
  // compiled now: one that does not compile is a load error at `at`, naming the pattern as the
  // rule wrote it. A built-in rule's is compiled when first used (the tests compile them all).
  Regex regex(const YAML::Node& at, const std::string& pattern, const std::string& written);

  // The rule file is compiled into the binary: its patterns and queries are compiled lazily.
  void set_built_in(bool built_in) { built_in_ = built_in; }
  bool built_in() const { return built_in_; }

  // Adds a file query (compiling its pattern) or finds the equal one; returns its index.
  size_t add_query(FileQuery q, const YAML::Node& at);
  // A leaf that holds where the query matches.
  Expr query(FileQuery q, const YAML::Node& at);
  // A nested check: a map with exactly one predicate, or a bare condition name.
  Expr expr(const YAML::Node& n);
  // Records a reference to a named condition (checked once every rule file is loaded).
  void condition_ref(const std::string& name, const YAML::Node& at);

 private:
  std::string path_;
  RuleSet& set_;
  std::unordered_map<std::string, size_t>& query_index_;
  std::vector<Diagnostic>& errors_;
  std::vector<std::pair<std::string, Location>>& condition_refs_;
  std::set<std::string>* used_;             // predicates and `predicate.option`s the rules use
  const PredicateInfo* current_ = nullptr;  // the predicate whose parameters are being read
  int depth_ = 0;
  bool built_in_ = false;
};

// Reads a predicate's value (what follows `name:` in the rule) into an expression.
using PredicateParseFn = Expr (*)(PredicateParser& parser, const YAML::Node& value);
class RuleReader;
// Reads back what a project predicate's encode() wrote (rules/rule_codec.h); null when it is not
// what it wrote. `set` holds the queries its indices refer to.
using ProjectDecodeFn = std::shared_ptr<const ProjectPredicate> (*)(RuleReader& in, const RuleSet& set);

struct PredicateInfo {
  std::string_view name;
  // The keys its map form takes (checked by check_options, listed by the docs test); empty for
  // predicates written as a scalar or a list.
  std::vector<std::string_view> options;
  PredicateParseFn parse;
  ProjectDecodeFn decode = nullptr;  // the predicates answered over the project
};

// Every predicate, sorted by name.
const std::vector<PredicateInfo>& all_predicates();
const PredicateInfo* find_predicate(std::string_view name);

// A leaf evaluated over the whole project (rules/evaluation.h).
Expr project_expr(std::shared_ptr<const ProjectPredicate> predicate);

// The longest run of characters in a glob that carries no wildcard (prefilter literals).
std::string longest_literal(const std::string& glob);

}  // namespace mlops
