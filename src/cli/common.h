// What the subcommands share: exit codes, diagnostics on stderr, writing a file named on the
// command line, the directory a command runs on, loading the built-in rules, and one evaluation
// of a snapshot with the configured filters.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "engine/engine.h"
#include "model/location.h"
#include "repo/snapshot.h"
#include "rules/rule.h"

namespace mlops::cli {

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitError = 2;
// Baselines and audit JSON to merge are our own output; 256 MiB is far beyond any real one.
constexpr uint64_t kMaxReportInput = 256ull << 20;

void print_diagnostics(const std::vector<Diagnostic>& ds);

// Writes a file named on the command line (--output, --write-baseline): atomically, and never
// through a symlink inside one of the scanned repositories (a pull request can commit one).
bool write_named_file(const std::string& path, const std::string& text,
                      const std::vector<std::string>& repo_roots);

// One evaluation of a snapshot: the selected rules, then the selection and suppression filters.
CheckResult evaluate(const Snapshot& snapshot, const RuleSet& rules, const Config& config,
                     const CheckOptions& opts, bool inline_ignores);

// The directory a command runs on, canonical; nullopt (after saying why: a path the user cannot
// traverse is not the same mistake as a file) when it is not a readable directory.
std::optional<std::filesystem::path> checked_root(const std::string& path);

// The built-in rules; on a load error, prints it and sets `status` to kExitError.
RuleSet load_builtin_or_exit(int& status);

}  // namespace mlops::cli
