// mlops-lint command line: check, rules, explain.
#include <unistd.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "analysers/secrets.h"
#include "audit/audit.h"
#include "audit/audit_report.h"
#include "audit/store.h"
#include "config/config.h"
#include "engine/diff_base.h"
#include "engine/engine.h"
#include "engine/filters.h"
#include "engine/selection.h"
#include "fix/edits.h"
#include "fix/fixer.h"
#include "fix/fixes.h"
#include "fix/scaffold.h"
#include "fix/suppressions.h"
#include "report/report.h"
#include "report/rule_docs.h"
#include "rules/rule_loader.h"
#include "testing/rule_tests.h"
#include "util/atomic_write.h"
#include "util/cli_conventions.h"
#include "util/confined_fs.h"
#include "util/escape.h"
#include "util/read_file.h"
#include "util/size.h"
#include "util/strings.h"

namespace fs = std::filesystem;
using namespace mlops;

namespace {

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitError = 2;
// Baselines and audit JSON to merge are our own output; 256 MiB is far beyond any real one.
constexpr uint64_t kMaxReportInput = 256ull << 20;

void print_diagnostics(const std::vector<Diagnostic>& ds) {
  for (const auto& d : ds) {
    std::string where = d.where.path;
    if (d.where.line > 0) where += ":" + std::to_string(d.where.line);
    // Paths and messages quote the repository's bytes: nothing in them may drive the terminal.
    std::cerr << "mlops-lint: " << escape_terminal(where.empty() ? "" : where + ": ")
              << escape_terminal(d.message) << "\n";
  }
}

// Writes a file named on the command line (--output, --write-baseline): atomically, and never
// through a symlink inside one of the scanned repositories (a pull request can commit one).
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

std::vector<std::string> split_ids(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& s : in)
    for (auto& part : split_commas(s)) out.push_back(std::move(part));
  return out;
}

struct CheckArgs {
  std::string path = ".";
  std::vector<std::string> positionals;  // PATH, or files (see resolve_positionals)
  std::vector<std::string> formats;
  std::vector<std::string> outputs;
  std::string config;
  bool no_config = false;
  std::vector<std::string> select, extend_select, ignore, files;
  std::string fail_on;
  bool exit_zero = false;
  unsigned jobs = 0;
  bool no_cache = false;
  bool quiet = false;
  bool statistics = false;
  std::string color = "auto";
  std::string profile;
  bool no_inline_ignores = false;
  std::string baseline, write_baseline;
  std::string max_file_size;  // --max-file-size: may exceed the hard limit a config cannot pass
  std::string diff_base;
  bool show_settings = false, show_files = false;
  bool fix = false, diff = false, unsafe_fixes = false;
  std::optional<std::string> add_suppressions;  // --add-suppressions REASON
};

// Paths given to --files are relative to the working directory (as pre-commit passes them);
// the engine wants them relative to the scanned root.
std::vector<std::string> relative_to_root(const std::vector<std::string>& files, const fs::path& root) {
  std::vector<std::string> out;
  for (const auto& f : files) {
    std::error_code ec;
    fs::path abs = fs::weakly_canonical(fs::absolute(f, ec), ec);
    fs::path rel = abs.lexically_relative(root);
    if (rel.empty() || *rel.begin() == "..") continue;
    out.push_back(rel.generic_string());
  }
  return out;
}

// One evaluation of a snapshot: the selected rules, then the selection and suppression filters.
CheckResult evaluate(const Snapshot& snapshot, const RuleSet& rules, const Config& config,
                     const CheckOptions& opts, bool inline_ignores) {
  CheckResult result = run_check(snapshot, prune_rules(rules, config.selection), opts);
  apply_selection(result, rules, config.selection);
  apply_suppressions(result, rules, {inline_ignores, config.per_file_ignores, config.source});
  return result;
}

// --diff: the fixes as a unified diff on stdout, nothing written. Secrets on changed lines are
// masked like everywhere else. Exit 1 when there is something to fix (as ruff does), else 0.
int print_fix_diff(const FixRun& run, const RuleSet& rules, const std::string& prefix, bool quiet) {
  std::map<std::string, std::string> before, after;
  for (const auto& [path, bytes] : run.original) before[prefix + path] = bytes;
  for (const auto& [path, bytes] : run.fixed) after[prefix + path] = bytes;
  const SecretScanner scanner(rules.queries);
  std::vector<std::string> known;
  for (const auto& [path, bytes] : run.original)
    for (const auto& r : scanner.find(bytes)) known.push_back(bytes.substr(r.begin, r.end - r.begin));
  // Terminal-safe, but a CRLF line keeps its CR: the diff must still apply with patch or git apply.
  std::string text = scanner.mask(unified_diff(before, after), known);
  for (size_t at = 0; at < text.size();) {
    size_t nl = text.find('\n', at);
    size_t end = nl == std::string::npos ? text.size() : nl;
    bool cr = end > at && text[end - 1] == '\r';
    std::cout << escape_terminal(std::string_view(text).substr(at, end - at - (cr ? 1 : 0)), true)
              << (cr ? "\r" : "") << (nl == std::string::npos ? "" : "\n");
    at = end + 1;
  }
  std::cout.flush();
  if (!quiet)
    std::cerr << "mlops-lint: " << run.applied << " fix" << (run.applied == 1 ? "" : "es") << " in "
              << run.fixed.size() << " file" << (run.fixed.size() == 1 ? "" : "s") << " would be applied\n";
  return run.fixed.empty() ? kExitClean : kExitFindings;
}

// --add-suppressions: the comment edits applied in memory (each file re-parsed), as a FixRun so
// that --diff and the writer treat them like fixes. nullopt (exit 2) when the reason is unusable.
std::optional<FixRun> plan_suppression_run(const CheckResult& result, const Snapshot& snapshot,
                                           const RuleSet& rules, const std::string& reason, bool quiet) {
  SuppressionPlan plan = suppression_edits(result, snapshot, reason);
  if (!plan.error.empty()) {
    std::cerr << "mlops-lint: --add-suppressions: " << escape_terminal(plan.error) << "\n";
    return std::nullopt;
  }
  FixContext files(snapshot, result, rules);
  std::map<std::string, std::vector<TextEdit>> by_file;
  for (const auto& e : plan.edits) by_file[e.path].push_back(e);
  FixRun run;
  for (const auto& [path, edits] : by_file) {
    const std::string* bytes = files.read(path);
    if (!bytes) continue;
    std::string fixed = apply_edits(*bytes, edits);
    if (!still_parses(path, *bytes, fixed)) {
      std::cerr << "mlops-lint: " << escape_terminal(path)
                << ": suppression comments would not parse; left alone\n";
      continue;
    }
    run.original[path] = *bytes;
    run.fixed[path] = std::move(fixed);
    run.applied += edits.size();
  }
  if (!quiet) {
    for (const auto& d : plan.declined)
      std::cerr << escape_terminal(format_location(d.where)) << ": note: " << escape_terminal(d.message)
                << "\n";
    std::cerr << "mlops-lint: " << plan.suppressible << " finding" << (plan.suppressible == 1 ? "" : "s")
              << " suppressed with comments in " << run.fixed.size() << " file"
              << (run.fixed.size() == 1 ? "" : "s") << "; " << plan.not_suppressible
              << " cannot hold a comment\n";
  }
  return run;
}

// --fix: each changed file replaced atomically (it keeps its mode; no symlink is followed).
bool write_fixed_files(const FixRun& run, const fs::path& root, bool quiet) {
  WriteOptions wo;
  wo.repo_roots = {root.string()};
  for (const auto& [path, bytes] : run.fixed) {
    if (auto err = write_file_atomically((root / path).string(), bytes, wo)) {
      std::cerr << "mlops-lint: " << escape_terminal(err->message) << "\n";
      return false;
    }
  }
  if (!quiet && run.applied)
    std::cerr << "mlops-lint: applied " << run.applied << " fix" << (run.applied == 1 ? "" : "es") << " in "
              << run.fixed.size() << " file" << (run.fixed.size() == 1 ? "" : "s") << "\n";
  return true;
}

// Each format goes to its --output or to stdout; two on stdout would interleave into one
// unreadable stream, so that is a usage error. GitHub annotations are the exception: workflow
// commands are picked out of the job log line by line, so they may share it with one report.
bool outputs_are_distinct(const std::vector<std::string>& formats, const std::vector<std::string>& outputs) {
  std::vector<std::string> on_stdout;
  for (size_t i = 0; i < formats.size(); ++i)
    if ((i >= outputs.size() || outputs[i] == "-") && formats[i] != "github") on_stdout.push_back(formats[i]);
  if (on_stdout.size() < 2) return true;
  std::cerr << "mlops-lint: --format " << on_stdout[0] << " and --format " << on_stdout[1]
            << " both write to stdout; give all but one an --output FILE\n";
  return false;
}

// --diff-base REF, and --files inside a git repository (pre-commit), keep only what the change
// introduces. --diff-base compares every finding with the merge base of REF and HEAD; --files
// keeps every finding of the given files and compares project-level ones with HEAD, so a commit
// is blocked only by a project rule its change makes fail. The base tree is read from git objects
// and shares the facts cache. False (after a message) when --diff-base cannot read its base.
bool keep_introduced(const CheckArgs& a, const fs::path& root, const SnapshotOptions& sopts,
                     const RuleSet& rules, const Config& config, const CheckOptions& opts,
                     const std::string& prefix, CheckResult& result) {
  bool diff = !a.diff_base.empty();
  if (!diff && a.files.empty()) return true;
  std::string error;
  auto base = open_base_tree(root.string(), diff ? a.diff_base : "HEAD", diff, sopts, error);
  if (!base) {
    if (!diff) return true;  // outside git or before the first commit, everything is new
    std::cerr << "mlops-lint: --diff-base " << a.diff_base << ": " << error << "\n";
    return false;
  }
  CheckResult before = evaluate(*base->snapshot, rules, config, opts, !a.no_inline_ignores);
  rebase_paths(before, prefix);
  Preexisting dropped = drop_preexisting(result, before, diff, base->renames);
  if (diff && !a.quiet)
    std::cerr << "mlops-lint: " << dropped.file_level + dropped.project_level
              << " finding(s) already present at the merge base " << base->commit.substr(0, 12) << " of "
              << a.diff_base << " and HEAD not reported\n";
  return true;
}

// --files paths as reports name them, for the baseline's staleness check.
std::vector<std::string> checked_files(const std::vector<std::string>& only_files,
                                       const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& f : only_files) out.push_back(prefix + f);
  return out;
}

// --show-files: the files a check would read, after excludes, from the repository root.
int print_files(const Snapshot& snapshot, const std::string& prefix) {
  for (const auto& f : snapshot.files())
    std::cout << escape_terminal(prefix + f.path) << (f.oversized ? "  (oversized: listed, not read)" : "")
              << "\n";
  return kExitClean;
}

std::string join_list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (const auto& s : v) out += (out.size() > 1 ? ", " : "") + s;
  return out + "]";
}

// --show-settings: the merged configuration, each value with where it came from.
int print_settings(const Config& config, const CheckArgs& a) {
  auto origin = [&](const std::string& key, bool from_cli) -> std::string {
    auto it = config.origins.find(key);
    // --extend-select and --ignore add to the configured lists; the others replace.
    bool adds = key == "extend-select" || key == "ignore";
    if (from_cli) return adds && it != config.origins.end() ? it->second + " + command line" : "command line";
    return it != config.origins.end() ? it->second : "default";
  };
  auto row = [](const std::string& key, const std::string& value, const std::string& from) {
    std::cout << key << ": " << escape_terminal(value) << "    # " << escape_terminal(from) << "\n";
  };
  std::cout << "# configuration file: " << (config.source.empty() ? "none" : escape_terminal(config.source))
            << "\n";
  row("profile", config.profile, origin("profile", !a.profile.empty()));
  row("select", config.selection.select.empty() ? "[ALL]" : join_list(config.selection.select),
      origin("select", !a.select.empty()));
  row("extend-select", join_list(config.selection.extend_select),
      origin("extend-select", !a.extend_select.empty()));
  row("ignore", join_list(config.selection.ignore), origin("ignore", !a.ignore.empty()));
  std::vector<std::string> severities;
  for (const auto& [id, sev] : config.selection.severity) severities.push_back(id + ": " + to_string(sev));
  row("severity", "{" + join_list(severities).substr(1, join_list(severities).size() - 2) + "}",
      origin("severity", false));
  row("exclude", join_list(config.exclude), origin("exclude", false));
  std::vector<std::string> pfi;
  for (const auto& [glob, codes] : config.per_file_ignores) pfi.push_back(glob + ": " + join_list(codes));
  row("per-file-ignores", "{" + join_list(pfi).substr(1, join_list(pfi).size() - 2) + "}",
      origin("per-file-ignores", false));
  row("rules", join_list(config.rule_dirs), origin("rules", false));
  row("fail-on", !a.fail_on.empty() ? a.fail_on : config.fail_on.value_or("warning"),
      origin("fail-on", !a.fail_on.empty()));
  row("max-file-size", std::to_string(config.max_file_size), origin("max-file-size", false));
  row("large-file-threshold", std::to_string(config.large_file_threshold),
      origin("large-file-threshold", false));
  if (!a.baseline.empty()) row("baseline", a.baseline, "command line");
  if (!a.diff_base.empty()) row("diff-base", a.diff_base, "command line");
  return kExitClean;
}
// `check a.py b.py`, as pre-commit passes staged files: several positionals, or regular files,
// are --files of the repository around the working directory (the nearest directory above with
// a .git, else .); a single other positional is the PATH to check.
void resolve_positionals(CheckArgs& a) {
  std::error_code ec;
  if (a.positionals.empty()) return;
  if (a.positionals.size() == 1 && !fs::is_regular_file(a.positionals[0], ec)) {
    a.path = a.positionals[0];
    return;
  }
  a.path = ".";
  for (fs::path dir = fs::current_path(ec); !dir.empty(); dir = dir.parent_path()) {
    if (fs::exists(dir / ".git", ec)) {
      a.path = dir.string();
      break;
    }
    if (dir == dir.parent_path()) break;
  }
  a.files.insert(a.files.end(), a.positionals.begin(), a.positionals.end());
}

// The directory a command runs on, canonical; nullopt (after saying why: a path the user cannot
// traverse is not the same mistake as a file) when it is not a readable directory.
std::optional<fs::path> checked_root(const std::string& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    std::cerr << "mlops-lint: cannot read " << escape_terminal(path) << ": "
              << (ec ? ec.message() : std::string("not a directory")) << "\n";
    return std::nullopt;
  }
  return fs::weakly_canonical(path, ec);
}

int run_check_command(const CheckArgs& a) {
  if (!outputs_are_distinct(a.formats.empty() ? std::vector<std::string>{"text"} : a.formats, a.outputs))
    return kExitError;
  std::optional<fs::path> checked = checked_root(a.path);
  if (!checked) return kExitError;
  const fs::path& root = *checked;
  ConfigResult cfg = load_config(root.string(), a.config, !a.no_config);
  if (!cfg.errors.empty()) {
    print_diagnostics(cfg.errors);
    return kExitError;
  }
  if (!a.quiet) print_diagnostics(cfg.warnings);
  Config& config = cfg.config;
  if (!a.max_file_size.empty()) {
    auto size = parse_size(a.max_file_size);
    if (!size || *size == 0) {
      std::cerr << "mlops-lint: --max-file-size must be a size such as 32MB\n";
      return kExitError;
    }
    config.max_file_size = *size;
  }
  if (!a.select.empty()) config.selection.select = split_ids(a.select);
  if (!a.extend_select.empty()) {
    auto more = split_ids(a.extend_select);
    config.selection.extend_select.insert(config.selection.extend_select.end(), more.begin(), more.end());
  }
  if (!a.ignore.empty()) {
    auto more = split_ids(a.ignore);
    config.selection.ignore.insert(config.selection.ignore.end(), more.begin(), more.end());
  }
  if (!a.profile.empty()) config.profile = a.profile;
  if (a.show_settings) return print_settings(config, a);
  if (!a.write_baseline.empty() && (!a.files.empty() || !a.diff_base.empty())) {
    // A baseline records the whole repository; these modes see part of it.
    std::cerr << "mlops-lint: --write-baseline records every finding; it cannot be combined with --files or "
                 "--diff-base\n";
    return kExitError;
  }

  std::vector<Diagnostic> rule_errors;
  RuleSet rules = load_rules(config.rule_dirs, rule_errors);
  for (auto& d : check_rule_fixers(rules)) rule_errors.push_back(std::move(d));
  if (!rule_errors.empty()) {
    print_diagnostics(rule_errors);
    return kExitError;
  }
  if (auto unknown = unknown_selectors(config.selection, rules); !unknown.empty()) {
    for (const auto& u : unknown) std::cerr << "mlops-lint: unknown rule code or prefix '" << u << "'\n";
    return kExitError;
  }

  std::string fail_on = !a.fail_on.empty() ? a.fail_on : config.fail_on.value_or("warning");
  std::optional<Severity> threshold = fail_on == "never" ? std::nullopt : parse_severity(fail_on);

  SnapshotOptions sopts;
  sopts.max_file_size = config.max_file_size;
  sopts.exclude = config.exclude;
  std::string error;
  auto snapshot = open_snapshot(root.string(), sopts, error);
  if (!snapshot) {
    std::cerr << "mlops-lint: cannot read " << a.path << ": " << error << "\n";
    return kExitError;
  }
  // Reports name files from the repository root, whatever directory is scanned.
  const std::string prefix = work_tree_prefix(root.string()).value_or("");
  if (a.show_files) return print_files(*snapshot, prefix);

  CheckOptions opts;
  opts.profile = config.profile;
  opts.jobs = a.jobs;
  opts.max_file_size = config.max_file_size;
  opts.large_file_threshold = config.large_file_threshold;
  opts.only_files = relative_to_root(a.files, root);
  if (!a.files.empty() && opts.only_files.empty()) {
    if (!a.quiet) std::cerr << "mlops-lint: none of the given files is inside " << a.path << "\n";
    return kExitClean;
  }
  std::optional<FactsCache> cache;
  if (!a.no_cache) {
    cache.emplace(FactsCache::default_path(root.string()), ruleset_signature(rules));
    cache->load();
    opts.cache = &*cache;
  }
  Baseline baseline;
  if (!a.baseline.empty()) {
    FileRead text = read_file_capped(a.baseline, kMaxReportInput);
    std::string berr = text.error;
    if (!text.ok() || !parse_baseline(text.bytes, baseline, berr)) {
      std::cerr << "mlops-lint: " << a.baseline << ": " << berr << "\n";
      return kExitError;
    }
  }
  auto check_fixable = [&](const Snapshot& s) {
    CheckResult r = evaluate(s, rules, config, opts, !a.no_inline_ignores);
    attach_fixes(r, s, rules, a.jobs);
    return r;
  };
  CheckResult result;
  if (a.add_suppressions) {
    CheckResult before = check_fixable(*snapshot);
    std::optional<FixRun> run = plan_suppression_run(before, *snapshot, rules, *a.add_suppressions, a.quiet);
    if (!run) return kExitError;
    if (a.diff) return print_fix_diff(*run, rules, prefix, a.quiet);
    if (!write_fixed_files(*run, root, true)) return kExitError;
    OverlaySnapshot fixed(*snapshot, run->fixed);
    result = check_fixable(fixed);
  } else if (a.fix || a.diff) {
    FixRun run = run_fixes(*snapshot, a.unsafe_fixes, check_fixable);
    if (a.diff) return print_fix_diff(run, rules, prefix, a.quiet);
    if (!write_fixed_files(run, root, a.quiet)) return kExitError;
    result = std::move(run.result);
  } else {
    result = check_fixable(*snapshot);
  }
  rebase_paths(result, prefix);
  if (!a.write_baseline.empty() &&
      !write_named_file(a.write_baseline, baseline_json(result), {root.string()}))
    return kExitError;
  if (!a.baseline.empty())
    apply_baseline(result, baseline, a.baseline, checked_files(opts.only_files, prefix));
  if (!keep_introduced(a, root, sopts, rules, config, opts, prefix, result)) return kExitError;
  // With --files the rule results cover only what the files touch: a score would not be the
  // project's, so none is shown.
  if (!a.files.empty())
    for (auto& p : result.projects) p.practices.clear();
  if (cache) {
    std::string cache_error;
    if (!cache->save(cache_error) && !a.quiet)
      std::cerr << "mlops-lint: " << cache_error << " (cache not saved)\n";
  }

  ReportInput in{result, rules, config.profile, threshold};
  std::vector<std::string> formats = a.formats.empty() ? std::vector<std::string>{"text"} : a.formats;
  if (a.outputs.size() > formats.size()) {
    std::cerr << "mlops-lint: more --output than --format options\n";
    return kExitError;
  }

  for (size_t i = 0; i < formats.size(); ++i) {
    bool to_stdout = i >= a.outputs.size() || a.outputs[i] == "-";
    bool color = a.color == "always" ||
                 (to_stdout && colour_enabled(a.color, ::isatty(STDOUT_FILENO), std::getenv("NO_COLOR"),
                                              std::getenv("FORCE_COLOR")));
    std::string text = formats[i] != "text" ? render(formats[i], in, color)
                       : a.statistics       ? render_statistics(in, color)
                                            : render_text(in, color, a.quiet);
    if (to_stdout) {
      std::cout << text;
    } else if (!write_named_file(a.outputs[i], text, {root.string()})) {
      return kExitError;
    }
  }
  std::cout.flush();
  if (a.exit_zero || !threshold) return kExitClean;
  return failing_findings(in) > 0 ? kExitFindings : kExitClean;
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

int run_rules_command() {
  int status = kExitClean;
  RuleSet rules = load_builtin_or_exit(status);
  if (status) return status;
  // The fix column says whether --fix can resolve the rule's findings: safe, unsafe or -.
  for (const auto& r : rules.rules) {
    const FixerInfo* fixer = rule_fixer(r);
    std::printf("%-7s %-8s %-6s %-20s %-34s %s\n", r.id.c_str(), to_string(r.severity),
                fixer ? to_string(fixer->applicability) : "-", r.practice.c_str(), r.name.c_str(),
                r.summary.c_str());
  }
  return kExitClean;
}

nlohmann::ordered_json rule_to_json(const Rule& r);

// `explain ID`: the rule's whole documentation, as text or (`json`) as one object.
int run_explain_command(const std::string& id, bool json) {
  int status = kExitClean;
  RuleSet rules = load_builtin_or_exit(status);
  if (status) return status;
  const Rule* r = rules.find(id);
  if (!r) {
    std::cerr << "mlops-lint: unknown rule '" << escape_terminal(id) << "' (see `mlops-lint rules`)\n";
    return kExitError;
  }
  if (json) {
    nlohmann::ordered_json j = rule_to_json(*r);
    j["rationale"] = r->rationale;
    j["remediation"] = r->remediation;
    j["bad_example"] = r->bad_example;
    j["good_example"] = r->good_example;
    j["references"] = r->references;
    std::cout << j.dump(2) << "\n";
    return kExitClean;
  }
  std::string profiles;
  for (const auto& p : r->profiles) profiles += (profiles.empty() ? "" : ", ") + p;
  std::cout << r->id << " " << r->name << "\n\n"
            << r->summary << "\n\n"
            << "Severity: " << to_string(r->severity) << "    Practice: " << r->practice
            << "    Category: " << r->category << "\n"
            << "Kind: "
            << (r->kind == RuleKind::Requirement ? "requirement (project level)" : "pattern (file:line)")
            << "    Profiles: " << profiles << "\n\n"
            << "Why\n"
            << r->rationale << "\n";
  if (!r->bad_example.empty()) std::cout << "\nExample that fires\n" << r->bad_example << "\n";
  if (!r->good_example.empty()) std::cout << "\nExample that passes\n" << r->good_example << "\n";
  std::cout << "\nHow to fix\n" << r->remediation << "\n";
  if (const FixerInfo* fixer = rule_fixer(*r))
    std::cout << "\nAutomatic fix (" << to_string(fixer->applicability)
              << (fixer->applicability == Applicability::Safe ? ", applied by --fix"
                                                              : ", applied by --fix --unsafe-fixes")
              << "): " << fixer->summary << "\n";
  if (!r->references.empty()) {
    std::cout << "\nReferences\n";
    for (const auto& ref : r->references) std::cout << "  - " << ref << "\n";
  }
  std::cout << "\nSuppress one occurrence: mlops-lint: ignore[" << r->id
            << "] reason   (same line or the line before)\n"
            << "Documentation: " << rule_help_uri(r->id) << "\n";
  return kExitClean;
}

int run_test_rules_command(const std::string& dir) {
  std::vector<std::string> ids;
  std::vector<Diagnostic> errors;
  RuleSet rules = load_rules_for_testing(dir, ids, errors);
  if (!errors.empty()) {
    print_diagnostics(errors);
    return kExitError;
  }
  RuleTestReport report = run_rule_fixtures(rules, ids, (fs::path(dir) / "fixtures").string());
  for (const auto& p : report.problems) std::cout << p << "\n";
  std::cout << ids.size() << " rules, " << report.cases << " fixtures, " << report.problems.size()
            << " problem" << (report.problems.size() == 1 ? "" : "s") << "\n";
  return report.problems.empty() ? kExitClean : kExitFindings;
}

// Lists the pages generate-docs wrote, so that it removes only its own stale pages, never
// another *.md that shares the directory.
constexpr char kDocsManifest[] = ".mlops-lint-generated";

// The page names in a manifest; anything that is not a plain "*.md" name in the directory is ignored.
std::set<std::string> read_docs_manifest(const fs::path& dir) {
  std::set<std::string> names;
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(dir / kDocsManifest, ec))) return names;
  FileRead text = read_file_capped((dir / kDocsManifest).string(), 1 << 20);
  if (!text.ok()) return names;
  std::istringstream lines(text.bytes);
  for (std::string name; std::getline(lines, name);) {
    if (name.empty() || name[0] == '#' || name[0] == '.' || name.find('/') != std::string::npos ||
        !name.ends_with(".md"))
      continue;
    names.insert(name);
  }
  return names;
}

int run_generate_docs_command(const std::string& out_dir) {
  int status = kExitClean;
  RuleSet rules = load_builtin_or_exit(status);
  if (status) return status;
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (!fs::is_directory(out_dir, ec)) {
    std::cerr << "mlops-lint: cannot write " << out_dir << ": not a directory\n";
    return kExitError;
  }
  const fs::path dir(out_dir);
  std::set<std::string> before = read_docs_manifest(dir);
  // The directory is the root: a symlinked page is refused, not written through.
  WriteOptions options;
  options.repo_roots = {out_dir};
  std::string manifest =
      "# Pages written by `mlops-lint generate-docs`; it replaces or removes only these.\n";
  std::set<std::string> written;
  // A page that cannot be written (a symlink planted in its place) is reported and skipped; the
  // other pages are still written, and the run exits 2.
  bool refused = false;
  for (const auto& [name, text] : rule_doc_pages(rules)) {
    if (auto e = write_file_atomically((dir / name).string(), text, options)) {
      std::cerr << "mlops-lint: " << escape_terminal(e->message) << "\n";
      refused = true;
      continue;
    }
    written.insert(name);
    manifest += name + "\n";
  }
  // Pages of rules that no longer exist must not linger; stale ones go before the manifest
  // forgets them, so a kill in between leaves nothing unaccounted for.
  for (const auto& name : before)
    if (!written.count(name) && fs::is_regular_file(fs::symlink_status(dir / name, ec)))
      fs::remove(dir / name, ec);
  if (auto e = write_file_atomically((dir / kDocsManifest).string(), manifest, options)) {
    std::cerr << "mlops-lint: " << escape_terminal(e->message) << "\n";
    return kExitError;
  }
  return refused ? kExitError : kExitClean;
}

struct AuditArgs {
  std::vector<std::string> paths;
  std::string list;
  std::string format = "table";
  std::string output;
  std::string profile = "team";
  size_t history = 0;
  std::string since;  // YYYY-MM-DD
  unsigned jobs = 0;
  bool no_cache = false;
  std::string store;
  std::string shard;  // I/N
  bool quiet = false;
  bool no_findings = false;
};

// `repo_roots`: the repositories this run read, which the output must not be redirected into.
int write_report(const std::string& text, const std::string& output,
                 const std::vector<std::string>& repo_roots = {}) {
  if (output.empty() || output == "-") {
    std::cout << text;
    return kExitClean;
  }
  return write_named_file(output, text, repo_roots) ? kExitClean : kExitError;
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int run_report_command(const std::string& store_path, const std::string& format, const std::string& output) {
  AuditStore store;
  std::string error;
  // Read-only: a mistyped path is "no such store", never a new empty one.
  if (!store.open(store_path, error, AuditStore::Mode::kReadOnly)) {
    std::cerr << "mlops-lint: " << store_path << ": " << error << "\n";
    return kExitError;
  }
  std::vector<RepoAudit> repos = store.trends(error);
  if (!error.empty()) {
    std::cerr << "mlops-lint: " << store_path << ": " << error << "\n";
    return kExitError;
  }
  std::string profile = store.latest_profile(error);
  if (!error.empty()) {
    std::cerr << "mlops-lint: " << store_path << ": " << error << "\n";
    return kExitError;
  }
  return write_report(render_audit(format, repos, profile), output);
}

int run_merge_command(const std::vector<std::string>& inputs, const std::string& format,
                      const std::string& output) {
  std::vector<RepoAudit> all;
  for (const auto& in : inputs) {
    FileRead text = read_file_capped(in, kMaxReportInput);
    std::string error = text.error;
    if (!text.ok() || !parse_audit_json(text.bytes, all, error)) {
      std::cerr << "mlops-lint: " << in << ": " << error << "\n";
      return kExitError;
    }
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const RepoAudit& a, const RepoAudit& b) { return a.path < b.path; });
  return write_report(render_audit(format, all, "merged"), output);
}

int run_audit_command(const AuditArgs& a) {
  if (a.paths.empty() && a.list.empty()) {
    std::cerr << "mlops-lint: audit needs repository paths or --list FILE\n";
    return kExitError;
  }
  std::string error;
  std::vector<std::string> warnings;
  std::vector<AuditTarget> targets = discover_repositories(a.paths, a.list, warnings, error);
  if (!error.empty()) {
    std::cerr << "mlops-lint: " << error << "\n";
    return kExitError;
  }
  for (const auto& w : warnings) std::cerr << "mlops-lint: warning: " << w << "\n";
  if (!a.shard.empty()) {
    size_t slash = a.shard.find('/');
    size_t index = 0, count = 0;
    try {
      index = std::stoul(a.shard.substr(0, slash));
      count = slash == std::string::npos ? 0 : std::stoul(a.shard.substr(slash + 1));
    } catch (const std::exception&) {
    }
    if (count == 0 || index == 0 || index > count) {
      std::cerr << "mlops-lint: --shard wants I/N with 1 <= I <= N, e.g. 2/8\n";
      return kExitError;
    }
    std::vector<std::string> paths;
    for (const auto& t : targets) paths.push_back(t.path);
    std::vector<std::string> kept = shard_repositories(paths, index, count);
    std::set<std::string> keep(kept.begin(), kept.end());
    std::vector<AuditTarget> sharded;
    for (auto& t : targets)
      if (keep.count(t.path)) sharded.push_back(std::move(t));
    std::sort(sharded.begin(), sharded.end(),
              [](const AuditTarget& x, const AuditTarget& y) { return x.path < y.path; });
    targets = std::move(sharded);
  }
  AuditOptions opts;
  opts.profile = a.profile;
  opts.jobs = a.jobs;
  opts.history = a.history;
  opts.use_cache = !a.no_cache;
  if (!a.since.empty()) {
    std::tm tm{};
    if (!strptime(a.since.c_str(), "%Y-%m-%d", &tm)) {
      std::cerr << "mlops-lint: --since wants a date like 2026-01-31\n";
      return kExitError;
    }
    opts.since = static_cast<int64_t>(timegm(&tm));
    if (opts.history == 0) opts.history = 10000;  // every commit since the date
  }
  int status = kExitClean;
  RuleSet rules = load_builtin_or_exit(status);
  if (status) return status;
  if (::isatty(STDERR_FILENO) && !a.quiet) {
    // A progress bar for people watching, redrawn in place.
    opts.progress = [](size_t done, size_t total, const RepoAudit& r, double) {
      const size_t width = 30;
      size_t filled = total ? width * done / total : width;
      std::string name = r.name.size() > 40 ? r.name.substr(0, 39) + "~" : r.name;
      std::cerr << "\r\033[K[" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << done
                << "/" << total << " " << escape_terminal(name) << (done == total ? "\n" : "") << std::flush;
    };
  } else if (!a.quiet) {
    // In CI logs: a line per repository as it finishes, so a long audit shows it is moving.
    opts.progress = [](size_t done, size_t total, const RepoAudit& r, double seconds) {
      std::string score = !r.error.empty()       ? "error"
                          : r.scores.overall < 0 ? "-"
                                                 : std::to_string(r.scores.overall);
      std::cerr << fmt::format("[{}/{}] {} {} ({:.1f} s)\n", done, total, escape_terminal(r.name), score,
                               seconds)
                << std::flush;
    };
  }
  // The store is opened first: a damaged or locked one fails before the audit's work, not after.
  AuditStore store;
  if (!a.store.empty() && !store.open(a.store, error)) {
    std::cerr << "mlops-lint: " << a.store << ": " << error << "\n";
    return kExitError;
  }
  std::vector<RepoAudit> audits = run_audit(targets, rules, opts);
  if (!a.store.empty() && !store.record(audits, a.profile, utc_now(), error)) {
    std::cerr << "mlops-lint: " << a.store << ": " << error << "\n";
    return kExitError;
  }
  std::vector<std::string> roots;
  for (const auto& t : targets) roots.push_back(t.path);
  return write_report(render_audit(a.format, audits, a.profile, !a.no_findings), a.output, roots);
}

struct InitArgs {
  std::string path = ".";
  bool force = false;
  bool pre_commit = false;
  std::string ci;  // github or gitlab
};

// Writes `text` to root/name unless something is there (and --force is not given). The
// repository may be hostile: no symlink in it is followed, and --force replaces regular files only.
bool write_new_file(const fs::path& root, const std::string& name, const std::string& text, bool force) {
  fs::path p = root / name;
  WriteOptions options;
  options.repo_roots = {root.string()};
  options.create_parents = true;
  options.replace_existing = force;
  if (auto e = write_file_atomically(p.string(), text, options)) {
    std::cerr << "mlops-lint: " << e->message
              << (e->kind == WriteError::Kind::kExists ? " (use --force)" : "") << "\n";
    return false;
  }
  std::cout << "wrote " << p.string() << "\n";
  return true;
}

int run_init_command(const InitArgs& a) {
  std::error_code ec;
  if (!fs::is_directory(a.path, ec)) {
    std::cerr << "mlops-lint: cannot read " << a.path << ": not a directory\n";
    return kExitError;
  }
  int status = kExitClean;
  RuleSet rules = load_builtin_or_exit(status);
  if (status) return status;
  std::string error;
  auto snapshot = open_snapshot(a.path, {}, error);
  if (!snapshot) {
    std::cerr << "mlops-lint: cannot read " << a.path << ": " << error << "\n";
    return kExitError;
  }
  CheckOptions opts;
  CheckResult result = run_check(*snapshot, rules, opts);
  bool serves = false, trains = false;
  for (const auto& p : result.projects) {
    auto get = [&](const char* c) {
      auto it = p.conditions.find(c);
      return it != p.conditions.end() && it->second;
    };
    serves = serves || get("serves_model");
    trains = trains || get("trains_models");
  }
  std::string profile = serves ? "production" : trains ? "team" : "research";
  std::string config =
      "# mlops-lint configuration: https://github.com/mlops-lint/mlops-lint#configuration\n"
      "# Detected: " +
      std::string(serves   ? "serves a model"
                  : trains ? "trains models"
                           : "no training code found") +
      ".\nprofile: " + profile +
      "\n# select: [ALL]\n# ignore: []\n# severity: {DAT003: error}\n# exclude: []\n"
      "# per-file-ignores: {\"notebooks/*.ipynb\": [DAT003]}\nfail-on: warning\n";
  bool ok = write_new_file(a.path, ".mlops-lint.yaml", config, a.force);
  if (a.pre_commit) {
    std::string hook =
        "# Add to .pre-commit-config.yaml (id mlops-lint-system runs the mlops-lint on PATH instead):\n"
        "repos:\n  - repo: https://github.com/mlops-lint/mlops-lint\n    rev: v" MLOPS_LINT_VERSION
        "\n"
        "    hooks:\n      - id: mlops-lint\n";
    if (fs::exists(fs::symlink_status(fs::path(a.path) / ".pre-commit-config.yaml", ec)) && !a.force)
      std::cout << hook;
    else
      ok = write_new_file(a.path, ".pre-commit-config.yaml", hook, a.force) && ok;
  }
  if (a.ci == "github") {
    ok = write_new_file(a.path, ".github/workflows/mlops-lint.yml",
                        "name: mlops-lint\non: [push, pull_request]\npermissions:\n  contents: read\n"
                        "  security-events: write\njobs:\n  mlops-lint:\n    runs-on: ubuntu-latest\n"
                        "    steps:\n      - uses: actions/checkout@v4\n      - uses: "
                        "mlops-lint/mlops-lint@v" MLOPS_LINT_VERSION "\n",
                        a.force) &&
         ok;
  } else if (a.ci == "gitlab") {
    ok = write_new_file(
             a.path, ".gitlab/mlops-lint.gitlab-ci.yml",
             "# Include from .gitlab-ci.yml:  include: [{local: .gitlab/mlops-lint.gitlab-ci.yml}]\n"
             "mlops-lint:\n  stage: test\n  script:\n"
             "    - mlops-lint check --format gitlab --output gl-code-quality-report.json --format text\n"
             "  artifacts:\n    when: always\n    reports:\n      codequality: gl-code-quality-report.json\n",
             a.force) &&
         ok;
  }
  return ok ? kExitClean : kExitError;
}

// `rules --format json`: every rule's metadata, for tools and editors.
// null when the rule has no fixer.
nlohmann::ordered_json fix_json(const Rule& r) {
  const FixerInfo* fixer = rule_fixer(r);
  if (!fixer) return nullptr;
  return {{"fixer", fixer->name},
          {"applicability", to_string(fixer->applicability)},
          {"summary", fixer->summary}};
}

nlohmann::ordered_json rule_to_json(const Rule& r) {
  return {{"id", r.id},
          {"name", r.name},
          {"summary", r.summary},
          {"severity", to_string(r.severity)},
          {"practice", r.practice},
          {"category", r.category},
          {"kind", r.kind == RuleKind::Requirement ? "requirement" : "pattern"},
          {"profiles", r.profiles},
          {"fix", fix_json(r)},
          {"help_uri", rule_help_uri(r.id)}};
}

int run_rules_json_command() {
  int status = kExitClean;
  RuleSet rules = load_builtin_or_exit(status);
  if (status) return status;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& r : rules.rules) list.push_back(rule_to_json(r));
  std::cout << list.dump(2) << "\n";
  return kExitClean;
}

// After a parse error, names the closest subcommand or option to what was mistyped (CLI11's
// message has already said what is wrong).
void suggest_spelling(CLI::App& app, int argc, char** argv) {
  std::vector<std::string> names;
  CLI::App* sub = nullptr;
  for (auto* s : app.get_subcommands([](CLI::App*) { return true; })) names.push_back(s->get_name());
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (!sub && !arg.starts_with("-")) {
      for (auto* s : app.get_subcommands([](CLI::App*) { return true; }))
        if (s->get_name() == arg) sub = s;
      if (sub) continue;
      if (auto m = closest_match(arg, names))
        std::cerr << "mlops-lint: unknown command '" << arg << "'; did you mean '" << *m << "'?\n";
      return;
    }
    if (!arg.starts_with("--")) continue;
    std::string flag = arg.substr(0, arg.find('='));
    std::vector<std::string> flags;
    for (const auto* opt : (sub ? sub : &app)->get_options())
      for (const auto& l : opt->get_lnames()) flags.push_back("--" + l);
    if (std::find(flags.begin(), flags.end(), flag) != flags.end()) continue;
    if (auto m = closest_match(flag, flags))
      std::cerr << "mlops-lint: unknown option '" << flag << "'; did you mean '" << *m << "'?\n";
    return;
  }
}

struct FixScaffoldArgs {
  std::vector<std::string> scaffold;  // rule ids, or "missing"
  std::string path = ".";
  std::string ci;  // github, gitlab; empty: from the git remote
  bool dry_run = false;
};

// `fix --scaffold ID...|missing [PATH]`: runs the check, plans the practice scaffolds
// (fix/scaffold.h) and writes each new file atomically, never over an existing one. Prints what
// was written or skipped and what is still to fill in. Exit 0 when every file was written or
// skipped, 2 on errors (unknown id, unreadable path, a refused write).
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mlops-lint: a linter for machine-learning projects' lifecycle practices"};
  app.set_version_flag("--version", std::string("mlops-lint ") + MLOPS_LINT_VERSION);
  app.require_subcommand(1);

  CheckArgs a;
  auto* check = app.add_subcommand("check", "Check a repository (default: the current directory)");
  check->add_option("path", a.positionals, "Directory to check, or files to check (as --files)");
  check
      ->add_option("--format", a.formats,
                   "Output format: text, json, sarif, github, gitlab, junit, markdown (repeatable)")
      ->check(CLI::IsMember(report_formats()))
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  check->add_option("--output", a.outputs, "Write the matching --format here (repeatable; - for stdout)")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  check->add_option("--config", a.config, "Configuration file (default: discovered at PATH)");
  check->add_flag("--no-config", a.no_config, "Ignore configuration files");
  check->add_option("--select", a.select, "Rule codes or prefixes to report (comma-separated, ALL)")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  check
      ->add_option("--extend-select", a.extend_select,
                   "Rule codes or prefixes to report in addition to select")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  check->add_option("--ignore", a.ignore, "Rule codes or prefixes to leave out (comma-separated)")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  check->add_option("--fail-on", a.fail_on, "Lowest severity that makes the exit code 1 (default warning)")
      ->check(CLI::IsMember({"error", "warning", "info", "never"}));
  check->add_flag("--exit-zero", a.exit_zero, "Exit 0 even when there are findings");
  check->add_option("--files", a.files, "Check only these files and the project rules they affect");
  check->add_option("--jobs,-j", a.jobs, "Worker threads (default: all cores)");
  check->add_option("--profile", a.profile, "Rule profile: research, team or production")
      ->check(CLI::IsMember({"research", "team", "production"}));
  check->add_flag("--no-cache", a.no_cache, "Do not read or write the facts cache");
  check->add_option(
      "--max-file-size", a.max_file_size,
      "Files larger than this are listed, not read (default 10MB; a config cannot go above 16MB)");
  check->add_flag("--no-inline-ignores", a.no_inline_ignores, "Ignore inline suppression comments (audits)");
  check->add_option("--baseline", a.baseline, "Report only findings not recorded in this baseline file");
  check->add_option("--write-baseline", a.write_baseline, "Record today's findings in this baseline file");
  check->add_option("--diff-base", a.diff_base,
                    "Report only findings absent at the merge base of REF and HEAD (pull requests)");
  check->add_flag("--show-settings", a.show_settings,
                  "Print the merged configuration and where each value came from");
  check->add_flag("--show-files", a.show_files, "Print the files a check would read, after excludes");
  check->add_flag("--fix", a.fix, "Apply the safe fixes in place, then report what remains");
  check->add_flag("--diff", a.diff, "Print the fixes as a unified diff; write nothing (exit 1 if any)");
  check->add_flag("--unsafe-fixes", a.unsafe_fixes, "Also apply fixes that may change behaviour");
  check->add_option("--add-suppressions", a.add_suppressions,
                    "Write `# mlops-lint: ignore[ID] REASON` above every current finding that can hold it");
  check->add_flag("--quiet,-q", a.quiet, "Print findings only");
  check->add_flag("--statistics", a.statistics,
                  "Text output: count findings per rule instead of listing them");
  check->add_option("--color", a.color, "Colour: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));

  std::string rules_format = "text", explain_format = "text";
  auto* rules = app.add_subcommand("rules", "List every rule");
  rules->add_option("--format", rules_format, "text or json")->check(CLI::IsMember({"text", "json"}));
  std::string explain_id;
  auto* explain = app.add_subcommand("explain", "Show a rule's documentation");
  explain->add_option("id", explain_id, "Rule id, e.g. DAT001")->required();
  explain->add_option("--format", explain_format, "text or json")->check(CLI::IsMember({"text", "json"}));

  std::string test_dir;
  auto* test_rules = app.add_subcommand(
      "test-rules", "Run the fixtures of the rules in DIR (DIR/fixtures/<ID>/bad*, good*)");
  test_rules->add_option("dir", test_dir, "Rule directory")->required();

  AuditArgs audit_args;
  auto* audit = app.add_subcommand("audit", "Score many repositories (HEAD, or --history N commits)");
  audit->add_option("paths", audit_args.paths, "Repositories, or directories of repositories");
  audit->add_option("--list", audit_args.list, "File with one repository path per line");
  audit->add_option("--format", audit_args.format, "table, json, csv, markdown or html")
      ->check(CLI::IsMember(audit_formats()));
  audit->add_option("--output", audit_args.output, "Write the report here");
  audit->add_option("--profile", audit_args.profile, "Rule profile: research, team or production")
      ->check(CLI::IsMember({"research", "team", "production"}));
  audit->add_option("--history", audit_args.history, "Also score the last N first-parent commits");
  audit->add_option("--since", audit_args.since, "Score every commit since this date (YYYY-MM-DD)");
  audit->add_option("--jobs,-j", audit_args.jobs, "Repositories audited in parallel (default: all cores)");
  audit->add_flag("--no-cache", audit_args.no_cache, "Do not read or write the facts cache");
  audit->add_option("--store", audit_args.store, "Also record this audit in a SQLite file");
  audit->add_option("--shard", audit_args.shard,
                    "Audit only shard I of N of the sorted repository list (I/N)");
  audit->add_flag("--quiet,-q", audit_args.quiet, "No progress lines on stderr");
  audit->add_flag("--no-findings", audit_args.no_findings,
                  "Leave the per-repository finding lists out of the report");

  std::vector<std::string> merge_inputs;
  std::string merge_format = "table", merge_output;
  auto* merge = app.add_subcommand("merge", "Combine audit JSON reports (e.g. from --shard jobs)");
  merge->add_option("inputs", merge_inputs, "audit --format json outputs")->required();
  merge->add_option("--format", merge_format, "table, json, csv, markdown or html")
      ->check(CLI::IsMember(audit_formats()));
  merge->add_option("--output", merge_output, "Write the report here");

  std::string report_store, report_format = "table", report_output;
  auto* report =
      app.add_subcommand("report", "Render the audits recorded in a store, with trends across runs");
  report->add_option("--store", report_store, "SQLite file written by audit --store")->required();
  report->add_option("--format", report_format, "table, json, csv, markdown or html")
      ->check(CLI::IsMember(audit_formats()));
  report->add_option("--output", report_output, "Write the report here");

  InitArgs init_args;
  auto* init =
      app.add_subcommand("init", "Write a starter .mlops-lint.yaml (and, on request, hook and CI snippets)");
  init->add_option("path", init_args.path, "Repository root");
  init->add_flag("--force", init_args.force, "Overwrite existing files");
  init->add_flag("--pre-commit", init_args.pre_commit, "Also write the pre-commit hook configuration");
  init->add_option("--ci", init_args.ci, "Also write a CI job: github or gitlab")
      ->check(CLI::IsMember({"github", "gitlab"}));

  std::string docs_dir;
  auto* gen_docs = app.add_subcommand("generate-docs", "Write the rule documentation pages (docs/rules/)");
  gen_docs->add_option("dir", docs_dir, "Output directory")->required();

  FixScaffoldArgs fix_args;
  auto* fix = app.add_subcommand("fix", "Write starting points for missing practices (--scaffold)");
  fix->add_option("--scaffold", fix_args.scaffold,
                  "Rule ids to scaffold (DOC002 DOC003 CI001 CI002 LNT001 CFG001), or `missing`")
      ->expected(1, -1);
  fix->add_option("path", fix_args.path, "Repository root (default: .)");
  fix->add_option("--ci", fix_args.ci, "CI workflow for: github or gitlab (default: from the git remote)")
      ->check(CLI::IsMember({"github", "gitlab"}));
  fix->add_flag("--dry-run", fix_args.dry_run, "Print what would be written; write nothing");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    if (code != 0) suggest_spelling(app, argc, argv);
    return code == 0 ? kExitClean : kExitError;
  }
  try {
    if (check->parsed()) {
      resolve_positionals(a);
      return run_check_command(a);
    }
    if (rules->parsed()) return rules_format == "json" ? run_rules_json_command() : run_rules_command();
    if (explain->parsed()) return run_explain_command(explain_id, explain_format == "json");
    if (test_rules->parsed()) return run_test_rules_command(test_dir);
    if (gen_docs->parsed()) return run_generate_docs_command(docs_dir);
    if (init->parsed()) return run_init_command(init_args);
    if (fix->parsed()) return run_fix_scaffold_command(fix_args);
    if (audit->parsed()) return run_audit_command(audit_args);
    if (report->parsed()) return run_report_command(report_store, report_format, report_output);
    if (merge->parsed()) return run_merge_command(merge_inputs, merge_format, merge_output);
  } catch (const std::exception& e) {
    std::cerr << "mlops-lint: internal error: " << e.what() << "\n";
    return kExitError;
  }
  return kExitError;
}
