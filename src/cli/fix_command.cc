// `fix --scaffold` (see fix_command.h).
#include "cli/fix_command.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/common.h"
#include "config/config.h"
#include "engine/diff_base.h"
#include "engine/engine.h"
#include "fix/scaffold.h"
#include "repo/snapshot.h"
#include "rules/builtin/builtin_rules.h"
#include "rules/rule_loader.h"
#include "util/atomic_write.h"
#include "util/confined_fs.h"
#include "util/escape.h"
#include "util/strings.h"

namespace fs = std::filesystem;

namespace mlops::cli {

int run_fix_scaffold_command(FixScaffoldArgs a) {
  // CLI11 gives `--scaffold missing PATH` all to --scaffold: a last value that is not a rule id
  // (nor a comma-separated list of them) is the path.
  auto id_like = [](const std::string& s) {
    bool letters = !s.empty() && std::isalpha(static_cast<unsigned char>(s[0]));
    return s == "missing" ||
           (letters && s.size() <= 8 &&
            std::all_of(s.begin(), s.end(),
                        [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }) &&
            std::isdigit(static_cast<unsigned char>(s.back())));
  };
  if (a.scaffold.size() > 1 && a.path == ".") {
    auto parts = split_commas(a.scaffold.back());
    if (parts.empty() || !std::all_of(parts.begin(), parts.end(), id_like)) {
      a.path = a.scaffold.back();
      a.scaffold.pop_back();
    }
  }
  std::vector<std::string> ids;
  for (const auto& v : a.scaffold)
    for (auto& part : split_commas(v)) ids.push_back(std::move(part));
  ScaffoldRequest request;
  const auto& known = scaffoldable_rules();
  for (auto id : ids) {
    if (id == "missing") {
      request.missing = true;
      continue;
    }
    std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return std::toupper(c); });
    if (std::find(known.begin(), known.end(), id) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      std::cerr << "mlops-lint: no scaffold for '" << escape_terminal(id) << "'; scaffolds exist for " << list
                << " (or `missing`)\n";
      return kExitError;
    }
    request.ids.push_back(id);
  }
  if (ids.empty()) {
    std::cerr << "mlops-lint: fix needs --scaffold ID... or --scaffold missing\n";
    return kExitError;
  }
  std::optional<fs::path> checked = checked_root(a.path);
  if (!checked) return kExitError;
  const fs::path& root = *checked;
  ConfigResult cfg = load_config(root.string(), "", true);
  if (!cfg.errors.empty()) {
    print_diagnostics(cfg.errors);
    return kExitError;
  }
  const Config& config = cfg.config;
  std::vector<Diagnostic> rule_errors;
  RuleSet rules = load_rules(config.rule_dirs, rule_errors);
  if (!rule_errors.empty()) {
    print_diagnostics(rule_errors);
    return kExitError;
  }
  SnapshotOptions sopts;
  sopts.max_file_size = config.max_file_size;
  sopts.exclude = config.exclude;
  std::string error;
  auto snapshot = open_snapshot(root.string(), sopts, error);
  if (!snapshot) {
    std::cerr << "mlops-lint: cannot read " << escape_terminal(a.path) << ": " << error << "\n";
    return kExitError;
  }
  CheckOptions opts;
  opts.profile = config.profile;
  opts.max_file_size = config.max_file_size;
  opts.large_file_threshold = config.large_file_threshold;
  CheckResult result = evaluate(*snapshot, rules, config, opts, true);

  std::optional<std::string> prefix = work_tree_prefix(root.string());
  request.at_repository_root = !prefix || prefix->empty();
  request.project_name = root.filename().string();
  request.tool_version = MLOPS_LINT_VERSION;
  if (a.ci == "gitlab") {
    request.ci = CiProvider::GitLab;
  } else if (a.ci.empty() && request.at_repository_root) {
    // The remote's host decides: the origin remote's URL in .git/config, read through the
    // confined layer (the repository may be hostile), else the first remote's.
    ConfinedRoot top(root.string());
    ConfinedRead git_config = top.read(".git/config", 1 << 20, Symlinks::kRefuse);
    std::string section, origin_url, first_url;
    std::istringstream lines(git_config.ok() ? git_config.bytes : std::string());
    for (std::string line; std::getline(lines, line);) {
      std::string t = trim(line);
      if (t.starts_with("[")) section = t;
      size_t eq = t.find('=');
      if (eq == std::string::npos || trim(t.substr(0, eq)) != "url") continue;
      std::string url = trim(t.substr(eq + 1));
      if (first_url.empty()) first_url = url;
      if (section == "[remote \"origin\"]") origin_url = url;
    }
    std::string url = origin_url.empty() ? first_url : origin_url;
    std::transform(url.begin(), url.end(), url.begin(), [](unsigned char c) { return std::tolower(c); });
    if (url.find("gitlab") != std::string::npos) request.ci = CiProvider::GitLab;
  }

  std::vector<ScaffoldFile> files = plan_scaffolds(*snapshot, result, rules, request);
  bool root_project = std::any_of(result.projects.begin(), result.projects.end(),
                                  [](const ProjectReport& p) { return p.root == "."; });
  if (files.empty() && request.missing && !root_project) {
    std::cout << "nothing to scaffold: " << escape_terminal(a.path)
              << " is not a project root (run on a project's directory, or name the ids)\n";
    return kExitClean;
  }
  if (files.empty()) {
    std::cout << (request.missing ? "nothing to scaffold: every practice fix --scaffold covers is present or "
                                    "does not apply here\n"
                                  : "nothing to scaffold\n");
    return kExitClean;
  }
  bool failed = false;
  for (auto& f : files) {
    fs::path target = fs::path(a.path) / f.path;
    std::string shown = escape_terminal(target.generic_string());
    if (f.skip_reason.empty() && !a.dry_run) {
      WriteOptions options;
      options.repo_roots = {root.string()};
      options.create_parents = true;
      options.replace_existing = false;
      if (auto e = write_file_atomically((root / f.path).string(), f.contents, options)) {
        if (e->kind == WriteError::Kind::kExists) {
          f.skip_reason = "already exists; not overwritten";
          f.still_to_fill.clear();
        } else {
          std::cerr << "mlops-lint: " << escape_terminal(e->message) << "\n";
          failed = true;
          continue;
        }
      }
    }
    if (!f.skip_reason.empty()) {
      std::cout << "skipped " << shown << " (" << f.rule_id << "): " << escape_terminal(f.skip_reason)
                << "\n";
    } else if (a.dry_run) {
      std::cout << "would write " << shown << " (" << f.rule_id << "):\n"
                << escape_terminal(f.contents, true) << "--- end of " << shown << "\n";
    } else {
      std::cout << "wrote " << shown << " (" << f.rule_id << ")\n";
    }
    for (const auto& item : f.still_to_fill) std::cout << "  to fill in: " << escape_terminal(item) << "\n";
  }
  return failed ? kExitError : kExitClean;
}

}  // namespace mlops::cli
