// `check`: loads the configuration and rules, applies the command line over them, checks a
// snapshot (fixing it or adding suppression comments first when asked), filters by baseline and
// diff base, and writes each requested report.
#include "cli/check_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <future>
#include <iostream>
#include <map>
#include <set>

#include "analysers/secrets.h"
#include "cli/common.h"
#include "config/config.h"
#include "engine/base_summary.h"
#include "engine/diff_base.h"
#include "engine/engine.h"
#include "engine/filters.h"
#include "engine/selection.h"
#include "fix/edits.h"
#include "fix/fixer.h"
#include "fix/fixes.h"
#include "fix/suppressions.h"
#include "report/report.h"
#include "rules/builtin/builtin_rules.h"
#include "rules/rule_loader.h"
#include "util/atomic_write.h"
#include "util/cli_conventions.h"
#include "util/escape.h"
#include "util/hash.h"
#include "util/read_file.h"
#include "util/size.h"
#include "util/strings.h"

namespace fs = std::filesystem;

namespace mlops::cli {

namespace {

std::string join_list(const std::vector<std::string>& v);

std::vector<std::string> split_ids(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& s : in)
    for (auto& part : split_commas(s)) out.push_back(std::move(part));
  return out;
}

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

// Everything the base commit's failing project rules depend on besides its files: the rule set
// (queries, rule files, and this binary, which holds the built-in rules), the configuration, the
// scanned directory and the repository's tags (a tag made or deleted moves git_tag's answer
// without a commit). Rule files and the binary are identified by size, mtime and inode.
std::string base_summary_key(const std::string& root, const std::string& commit, const RuleSet& rules,
                             const Config& config, const CheckArgs& a, const std::string& prefix) {
  std::string k;
  auto add = [&](const std::string& s) { (k += s) += '\x1f'; };
  auto add_stat = [&](const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return add(path + ":absent");
    add(path + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_ino) + ":" +
        std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec));
  };
  add(ruleset_signature(rules));
  add_stat("/proc/self/exe");
  std::set<std::string> sources;
  for (const auto& r : rules.rules) sources.insert(r.source);
  // Rule directories may also hold files defining only conditions: every file in them counts.
  for (const auto& dir : config.rule_dirs) {
    std::error_code ec;
    size_t seen = 0;
    for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end && seen < 10000; it.increment(ec), ++seen)
      sources.insert(it->path().string());
  }
  for (const auto& src : sources) add_stat(src);
  add(config.source);
  add(config.profile);
  for (const auto* list : {&config.selection.select, &config.selection.extend_select,
                           &config.selection.ignore, &config.exclude, &config.rule_dirs}) {
    for (const auto& s : *list) add(s);
    add("|");
  }
  for (const auto& [id, sev] : config.selection.severity) add(id + "=" + to_string(sev));
  for (const auto& [glob, codes] : config.per_file_ignores) add(glob + "=" + join_list(codes));
  add(std::to_string(config.max_file_size) + "/" + std::to_string(config.large_file_threshold));
  add(a.no_inline_ignores ? "no-inline-ignores" : "inline-ignores");
  add(prefix);
  add(tag_refs(root));
  return commit + " " + hex64(fnv1a64(k));
}

// The pre-commit case with a cache: HEAD's failing project rules come from the base summary
// (engine/base_summary.h) when one was stored for this commit and set-up; otherwise HEAD is
// checked once, whole, and the summary stored for the next runs. A whole check gives the same
// outcome for every project rule the --files check evaluates (with --files the other files are
// asked what those outcomes need), so the comparison is the same either way.
bool keep_introduced_by_summary(const CheckArgs& a, const fs::path& root, const SnapshotOptions& sopts,
                                const RuleSet& rules, const Config& config, const CheckOptions& opts,
                                const std::string& prefix, CheckResult& result) {
  std::optional<std::string> commit = head_commit(root.string());
  if (!commit) return true;  // outside git or before the first commit, everything is new
  const std::string key = base_summary_key(root.string(), *commit, rules, config, a, prefix);
  const std::string path = base_summary_path(FactsCache::default_path(root.string()));
  std::optional<FailingRules> failing = load_base_summary(path, key);
  if (!failing) {
    std::string error;
    auto base = open_base_tree(root.string(), *commit, false, sopts, error);
    if (!base) return true;
    CheckOptions whole = opts;
    whole.only_files.clear();
    CheckResult before = evaluate(*base->snapshot, rules, config, whole, !a.no_inline_ignores);
    rebase_paths(before, prefix);
    failing = failing_project_rules(before);
    if (!save_base_summary(path, key, *failing, error) && !a.quiet)
      std::cerr << "mlops-lint: " << error << " (not saved)\n";
  }
  drop_preexisting(result, result_of_failures(*failing), false);
  return true;
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
  if (!diff && opts.cache)
    return keep_introduced_by_summary(a, root, sopts, rules, config, opts, prefix, result);
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

}  // namespace

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

  // The listing (libgit2's index, a stat of every file) and the rules do not depend on each
  // other: the repository is listed on a second thread while the rules are compiled.
  SnapshotOptions sopts;
  sopts.max_file_size = config.max_file_size;
  sopts.exclude = config.exclude;
  std::string error;
  std::future<std::unique_ptr<Snapshot>> listing =
      std::async(std::launch::async, [&] { return open_snapshot(root.string(), sopts, error); });

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

  // The facts cache is read while the listing finishes (at 20k files, a tenth of a cached run).
  std::optional<FactsCache> cache;
  if (!a.no_cache && !a.show_files) {
    cache.emplace(FactsCache::default_path(root.string()), ruleset_signature(rules));
    cache->load();
  }

  std::unique_ptr<Snapshot> snapshot = listing.get();
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
  if (cache) opts.cache = &*cache;
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

}  // namespace mlops::cli
