// The fix stage: attaches each finding's fix (from its rule's fixer), picks the fixes to apply
// and applies them in memory, pass after pass, until nothing applicable is left.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "repo/snapshot.h"
#include "rules/rule.h"

namespace mlops {

// Sets Finding::fix on every unsuppressed finding whose rule has a fixer that can fix it. A fix
// whose result would not parse is dropped with a diagnostic. Paths are the engine's (relative to
// the scanned root): call before rebase_paths.
// Fixers run on `jobs` threads (0: all cores); the result does not depend on the count.
void attach_fixes(CheckResult& result, const Snapshot& snapshot, const RuleSet& rules, unsigned jobs = 0);

// A snapshot with some files' contents replaced (the fixed ones), for checking again in memory.
class OverlaySnapshot : public Snapshot {
 public:
  OverlaySnapshot(const Snapshot& base, const std::map<std::string, std::string>& contents);
  const std::vector<FileEntry>& files() const override { return entries_; }
  ReadResult read(const FileEntry& file, uint64_t limit) const override;
  const std::vector<Diagnostic>& diagnostics() const override { return base_.diagnostics(); }
  std::string kind() const override { return base_.kind(); }
  const std::vector<std::string>& tags() const override { return base_.tags(); }
  const std::vector<AsideFile>& set_aside() const override { return base_.set_aside(); }

 private:
  const Snapshot& base_;
  const std::map<std::string, std::string>& contents_;
  std::vector<FileEntry> entries_;
};

struct FixRun {
  std::map<std::string, std::string> original;  // path -> bytes before any fix, for changed files
  std::map<std::string, std::string> fixed;     // path -> bytes after every pass
  size_t applied = 0;                           // fixes applied, over all passes
  CheckResult result;                           // the check of the fixed contents (what remains)
  std::vector<Diagnostic> diagnostics;          // fixes dropped (would not parse, conflicts left)
};

// Checks, applies the applicable fixes (safe ones; unsafe too when `unsafe`) in memory and
// checks again, up to a few passes (a fix can make room for another). `check` evaluates a
// snapshot the way the command line does (selection, suppressions) and attaches fixes.
FixRun run_fixes(const Snapshot& snapshot, bool unsafe,
                 const std::function<CheckResult(const Snapshot&)>& check);

// A unified diff (`--- a/PATH`, `+++ b/PATH`, 3 lines of context) of every changed file.
std::string unified_diff(const std::map<std::string, std::string>& original,
                         const std::map<std::string, std::string>& fixed);

}  // namespace mlops
