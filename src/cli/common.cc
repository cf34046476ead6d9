// What the subcommands share (see common.h).
#include "cli/common.h"

#include <iostream>

#include "engine/filters.h"
#include "engine/selection.h"
#include "rules/builtin/builtin_rules.h"
#include "rules/rule_loader.h"
#include "util/atomic_write.h"
#include "util/escape.h"

namespace fs = std::filesystem;

namespace mlops::cli {

void print_diagnostics(const std::vector<Diagnostic>& ds) {
  for (const auto& d : ds) {
    std::string where = d.where.path;
    if (d.where.line > 0) where += ":" + std::to_string(d.where.line);
    // Paths and messages quote the repository's bytes: nothing in them may drive the terminal.
    std::cerr << "mlops-lint: " << escape_terminal(where.empty() ? "" : where + ": ")
              << escape_terminal(d.message) << "\n";
  }
}

bool write_named_file(const std::string& path, const std::string& text,
                      const std::vector<std::string>& repo_roots) {
  WriteOptions options;
  options.repo_roots = repo_roots;
  options.named_on_command_line = true;
  if (auto e = write_file_atomically(path, text, options)) {
    std::cerr << "mlops-lint: " << e->message << "\n";
    return false;
  }
  return true;
}

CheckResult evaluate(const Snapshot& snapshot, const RuleSet& rules, const Config& config,
                     const CheckOptions& opts, bool inline_ignores) {
  CheckResult result = run_check(snapshot, prune_rules(rules, config.selection), opts);
  apply_selection(result, rules, config.selection);
  apply_suppressions(result, rules, {inline_ignores, config.per_file_ignores, config.source});
  return result;
}

std::optional<fs::path> checked_root(const std::string& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    std::cerr << "mlops-lint: cannot read " << escape_terminal(path) << ": "
              << (ec ? ec.message() : std::string("not a directory")) << "\n";
    return std::nullopt;
  }
  return fs::weakly_canonical(path, ec);
}

RuleSet load_builtin_or_exit(int& status) {
  std::vector<Diagnostic> errors;
  RuleSet rules = load_rules({}, errors);
  if (!errors.empty()) {
    print_diagnostics(errors);
    status = kExitError;
  }
  return rules;
}

}  // namespace mlops::cli
