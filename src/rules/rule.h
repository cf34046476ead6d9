// A rule as loaded from rules/*.yaml: metadata plus a check built from predicates.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysers/query.h"
#include "model/profiles.h"
#include "model/severity.h"

namespace mlops {

enum class RuleKind { Requirement, Pattern };

// A predicate tree. Leaves either look at the file listing (FileExists, LargeFile), name a
// condition, or refer to a file query answered during analysis.
struct Expr {
  enum class Op {
    Any,
    All,
    Not,
    FileExists,
    LargeFile,
    Query,
    Condition,
    CiRuns,
    Before,
    GitTag,
    Unlocked,
    Unpinned
  };
  Op op = Op::Any;
  std::vector<Expr> children;
  std::vector<std::string> globs;  // FileExists, LargeFile
  uint64_t min_size = 0;           // LargeFile; 0 = the configured threshold
  size_t query = 0;                // Query: index into RuleSet::queries
  std::string condition;           // Condition: name in RuleSet::conditions
  // CiRuns: `query` lists CI commands, `build_query` build-file commands (make targets, tox
  // envs, pre-commit hooks); `regex` must match a command, directly or one level down.
  // Unlocked: `query` lists a manifest's declared packages, `build_query` each lock's contents.
  // Unpinned: `query` (DependencyUnpinned) less what constraints files (`build_query`,
  // RequirementIncludes) pin.
  size_t build_query = 0;
  std::shared_ptr<const re2::RE2> regex;  // CiRuns; GitTag: a tag name must match
};

struct Rule {
  std::string id;        // stable code, e.g. DAT001
  std::string name;      // kebab-case slug
  std::string practice;  // practice slug
  std::string category;
  Severity severity = Severity::Warning;
  RuleKind kind = RuleKind::Requirement;
  std::string summary;  // one line
  std::string message;  // the finding text; {match} is replaced by the matched snippet
  std::string rationale, remediation, bad_example, good_example;
  std::vector<std::string> references;
  std::optional<Expr> applies;
  Expr check;
  std::optional<Expr> unless;   // pattern rules: no findings when this holds
  std::optional<Expr> in_file;  // pattern rules: keep a match only if this holds within its file
  std::vector<std::string> requires_rules;
  std::vector<std::string> anchor;    // where a requirement finding points (first existing glob)
  std::vector<std::string> profiles;  // profiles the rule belongs to
  std::string source;                 // the YAML file it came from
  // The fixer that resolves this rule's findings (fix/fixer.h), empty when none, and its options.
  std::string fixer;
  std::map<std::string, std::string> fix_options;
};

struct RuleSet {
  std::vector<Rule> rules;  // sorted by id
  std::map<std::string, Expr> conditions;
  std::vector<FileQuery> queries;  // deduplicated, referenced by Expr::query
  // The built-in query that finds inline suppression comments (`mlops-lint: ignore[ID] reason`).
  size_t suppression_query = 0;
  // The built-in query that lists requirements files' `-r` / `-c` includes and pins (the engine
  // follows them whenever a dependency query is asked); absent when npos.
  size_t includes_query = static_cast<size_t>(-1);

  const Rule* find(const std::string& id) const;
};

// An inline suppression: `# mlops-lint: ignore[DAT003, DAT004] reason` on the finding's line or
// the line before. Group 1 holds the codes, group 2 the reason.
inline constexpr const char* kSuppressionPattern =
    R"(mlops-lint:\s*ignore\[([A-Za-z0-9_, ]*)\](?:\s*[-:]?\s*(.*?))?\s*(?:-->|\*/)?\s*$)";

// The practice slugs every report lists, in a stable order.
const std::vector<std::string>& known_practices();

}  // namespace mlops
