// Practice scaffolds (`mlops-lint fix --scaffold`): the standard starting point for a missing
// practice (model card, data card, CI workflow, pre-commit hooks, params.yaml), filled with what
// the static analysis already knows about the project. Planning is pure (snapshot + check result
// in, file contents out); the command line writes the files, never over an existing one.
#pragma once
#include <string>
#include <vector>

#include "engine/engine.h"
#include "repo/snapshot.h"
#include "rules/rule.h"

namespace mlops {

enum class CiProvider { GitHub, GitLab };

struct ScaffoldRequest {
  // Rule ids to scaffold (DOC002, DOC003, CI001, CI002, LNT001, CFG001), in any order; ignored
  // when `missing` is set.
  std::vector<std::string> ids;
  // Every scaffoldable practice whose rule fails in the project's check result.
  bool missing = false;
  CiProvider ci = CiProvider::GitHub;
  std::string project = ".";  // project root relative to the scanned root
  std::string project_name;   // titles of the cards (e.g. the directory name); "project" if empty
  std::string tool_version;   // rev of this tool's pre-commit hook, e.g. "0.2.0"
  // False when the scanned root is a subdirectory of a git work tree: CI configuration only
  // works at the repository root, so it is not written there.
  bool at_repository_root = true;
};

struct ScaffoldFile {
  std::string path;      // relative to the scanned root, '/'-separated
  std::string contents;  // what to write (empty when skipped)
  std::string rule_id;   // the rule whose practice it provides
  // What the analysis could not know and a person must still fill in or do, one item each.
  std::vector<std::string> still_to_fill;
  // Non-empty: not to be written, and why (e.g. "already exists").
  std::string skip_reason;
};

// The rule ids `fix --scaffold` knows, sorted.
const std::vector<std::string>& scaffoldable_rules();

// The files that provide the requested practices, in a stable order, at most one per path.
// Unknown ids, and ids the rule set does not hold, are left out (check them with
// scaffoldable_rules() first). A path the snapshot
// already lists comes back with skip_reason set and no contents.
std::vector<ScaffoldFile> plan_scaffolds(const Snapshot& snapshot, const CheckResult& result,
                                         const RuleSet& rules, const ScaffoldRequest& request);

}  // namespace mlops
