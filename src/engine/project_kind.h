// What kind of project a project root is (application, service, research, notebooks, library,
// template, docs, not_ml), decided from evidence, and which practices each kind cannot have.
// See docs/practices.md, "Project kinds".
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlops {

struct KindInput {
  std::vector<std::string> paths;          // the project's own files, relative to its root
  std::string root;                        // the project root relative to the scanned root ("" for it)
  std::map<std::string, bool> conditions;  // evaluated conditions (ml_code, trains_models, ...)
  // Reads a small file of the project (relative path) or nullopt; used for packaging metadata.
  std::function<std::optional<std::string>(const std::string&)> read;
};

struct ProjectKind {
  std::string kind;                  // one of project_kinds()
  std::vector<std::string> reasons;  // the evidence, one short sentence each
};

// Every kind, in a stable order.
const std::vector<std::string>& project_kinds();

ProjectKind project_kind(const KindInput& in);

// Whether a rule of `practice` applies to a project of `kind` (the one table of
// kind-dependent applicability; rule ids may be listed on their own, e.g. model cards).
// `requirement`: the rule asks for a practice (rather than flagging a line); docs and not_ml
// projects drop only those, so a secret or an absolute path is still reported everywhere.
bool applies_to_kind(const std::string& kind, const std::string& practice, const std::string& rule_id,
                     bool requirement);

// The conditions project_kind() reads (their queries must be answered even when no rule uses them).
const std::vector<std::string>& kind_conditions();

// Whether a rule is asked of a project although its `applies` condition (ML code) fails: a
// template repository's own hygiene (tests, CI, linting, README, code owners) at its root.
bool asked_without_ml(const std::string& kind, const std::string& root, const std::string& practice,
                      const std::string& rule_id);

// Whether a practice the kind is not asked for (applies_to_kind() false) is still credited when
// its evidence is there, whatever its rules' `applies` (ML code) says: present then, never
// missing (a notebook collection that validates its data, a template's own pinned dependencies).
bool credited_for_kind(const std::string& kind, const std::string& practice);

// Whether a project of this kind gets a score and a maturity level (docs and not_ml do not).
bool kind_is_scored(const std::string& kind);

}  // namespace mlops
