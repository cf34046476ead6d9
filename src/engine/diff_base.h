// Gating on what a change introduces: the findings of the working tree compared with those of a
// base tree read from git objects (no checkout), for `check --diff-base REF` and the pre-commit
// mode of `check --files`. Also the scanned directory's place in its work tree, so reports name
// files from the repository root whatever directory is scanned.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "engine/engine.h"
#include "repo/snapshot.h"

namespace mlops {

// Where the scanned directory `root` lies in its git work tree: "" at the top, "sub/dir/" below
// it (always '/'-terminated); nullopt outside a work tree.
std::optional<std::string> work_tree_prefix(const std::string& root);

// The full hex id of HEAD's commit in the repository around `root`; nullopt outside git or
// before the first commit. Cheap: no tree is read.
std::optional<std::string> head_commit(const std::string& root);

// Every tag of the repository around `root` with what it points at ("name oid" lines, sorted):
// what a stored answer about HEAD that reads tags (git_tag) must be keyed on, since tags move
// without a commit. Empty outside git.
std::string tag_refs(const std::string& root);

// Files renamed since the base: repository-root path at the base -> path now.
using Renames = std::map<std::string, std::string>;

struct BaseTree {
  std::unique_ptr<Snapshot> snapshot;  // files beneath the scanned directory, paths relative to it
  std::string commit;                  // full hex id of the base commit
  Renames renames;                     // with `merge_base`: renames since the base, as git detects them
};

// The tree to compare with: the merge base of `ref` and HEAD (or `ref` itself when `merge_base`
// is false, as pre-commit compares with HEAD), restricted to the scanned directory `root` and
// filtered by the snapshot excludes. Cache keys match the work-tree snapshot's for unchanged
// files, so a facts cache makes the second scan cost only the files that differ. nullopt with
// `error` set when `root` is not in a git repository or `ref` does not resolve.
std::optional<BaseTree> open_base_tree(const std::string& root, const std::string& ref, bool merge_base,
                                       const SnapshotOptions& options, std::string& error);

struct Preexisting {
  size_t file_level = 0;     // findings dropped because the same finding exists at the base
  size_t project_level = 0;  // project rules dropped because they fail at the base too
};

// Drops from `now` what `base` already has. A file-level finding is matched as its fingerprint
// is made, by rule, path and matched text, counted (a second identical finding is new), with base
// paths followed through `renames` (moving a file adds no finding); unless `file_level_too`, every
// file-level finding stays (pre-commit reports all findings of the staged files). A project-level
// finding is new only when its rule's status changed: it is dropped when the same rule fails for
// the same project at the base. Suppressed base findings match nothing (removing a suppression
// makes its finding new).
Preexisting drop_preexisting(CheckResult& now, const CheckResult& base, bool file_level_too,
                             const Renames& renames = {});

// Prefixes every path of the result (findings, diagnostics, evidence, project roots) with
// `prefix` ("sub/dir/"), so reports are relative to the repository root.
void rebase_paths(CheckResult& result, const std::string& prefix);

}  // namespace mlops
