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

class ProjectPredicate;

// A predicate tree. Inner nodes are the language's operators; leaves are file queries answered
// during analysis, named conditions, or predicates evaluated over the whole project (file
// listing, CI resolution, tags, dependency graphs: rules/evaluation.h).
struct Expr {
  enum class Op {
    Any,
    All,
    Not,
    Before,     // children[0]'s matches with a match of children[1] later in the same scope
    Inside,     // children[0]'s matches where children[1] holds within `scope` (or, negated, does not)
    Query,      // `query` matches
    Condition,  // the named condition holds
    Project     // `project` is evaluated over the project
  };
  // Where an Inside operator asks its context: the match's file, its function (module level
  // counts as one scope), a file of its directory or of a directory above it (within the
  // project: a kustomization beside or above a manifest), or the whole project.
  enum class Scope { File, Function, Directory, Project };
  Op op = Op::Any;
  std::vector<Expr> children;
  size_t query = 0;           // Query: index into RuleSet::queries
  std::string condition;      // Condition: name in RuleSet::conditions
  Scope scope = Scope::File;  // Inside
  bool negated = false;       // Inside: keep the matches where the context does NOT hold
  std::shared_ptr<const ProjectPredicate> project;  // Project
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
  std::vector<std::string> requires_rules;
  // A requirement without which the practice does not exist, whatever else of it is there
  // (declared dependencies with no version at all are no pinning): failing, the practice is
  // missing, not partial.
  bool essential = false;
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
