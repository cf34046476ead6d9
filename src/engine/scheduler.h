// The analysis scheduler: reads and analyses, on worker threads and through the facts cache,
// every file some query needs, so that rules are evaluated over the facts gathered. Internal to
// the engine.
#pragma once
#include <set>
#include <vector>

#include "engine/engine.h"
#include "engine/evaluator.h"
#include "engine/layout.h"
#include "model/facts.h"
#include "repo/snapshot.h"
#include "rules/rule.h"

namespace mlops::engine {

// Analyses every file some query needs. Files go in fixed-size chunks in path order, each chunk
// in parallel; results land at the file's index and short-circuit decisions are only taken
// between chunks, so the outcome does not depend on thread scheduling. `file_caches` (one per
// project) keep what file_exists found, for the project evaluation after it: it depends on the
// file names only.
void analyse_files(const Snapshot& snapshot, const RuleSet& rules, const Layout& layout,
                   const std::vector<bool>& global_needed, const std::set<size_t>& only_files,
                   const CheckOptions& options, std::vector<FileFacts>& facts, CheckResult& result,
                   std::vector<FileExistsCache>& file_caches);

}  // namespace mlops::engine
