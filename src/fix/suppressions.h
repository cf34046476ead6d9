// `check --add-suppressions REASON` (ruff's --add-noqa): the edits that write an inline
// suppression (`# mlops-lint: ignore[ID] reason`) for every current finding that can hold one,
// so an old codebase can adopt the tool without a baseline file.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "model/fix.h"
#include "repo/snapshot.h"

namespace mlops {

struct SuppressionPlan {
  std::string error;            // set when the reason is unusable; then nothing else is
  std::vector<TextEdit> edits;  // sorted by path, then start; never overlapping
  size_t suppressible = 0;      // findings the edits suppress
  size_t not_suppressible = 0;  // findings left as they are (see `declined`)
  // One per finding left as it is: where, and why (a file that cannot hold a comment, a line
  // inside a multi-line string, block scalar or continuation, ...).
  std::vector<Diagnostic> declined;
};

// The reason as it will be written (control bytes become spaces, ill-formed UTF-8 U+FFFD,
// surrounding blanks trimmed), or nullopt with `error` set when it is empty, spans lines or would
// not read back unchanged from the comment.
std::optional<std::string> suppression_reason(const std::string& reason, std::string& error);

// The edits that suppress every unsuppressed, non-project-level finding of `result` that can
// hold a comment: a comment line above the finding's line (its indentation, the file's line
// break; one comment naming every id of that line, sorted), or the ids added to a suppression
// comment line already there. Paths are the engine's (relative to the scanned root): call before
// rebase_paths. Files are read through `snapshot`; nothing is written. Applying the edits and
// checking again finds those findings suppressed, and planning again gives no edits.
SuppressionPlan suppression_edits(const CheckResult& result, const Snapshot& snapshot,
                                  const std::string& reason);

}  // namespace mlops
