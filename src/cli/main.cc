// mlops-lint command line: check, rules, explain.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "audit/audit.h"
#include "audit/audit_report.h"
#include "audit/store.h"
#include "config/config.h"
#include "engine/engine.h"
#include "engine/filters.h"
#include "engine/selection.h"
#include "report/escape.h"
#include "report/report.h"
#include "report/rule_docs.h"
#include "rules/rule_loader.h"
#include "rules/rule_tests.h"
#include "util/read_file.h"
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

std::vector<std::string> split_ids(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& s : in)
    for (auto& part : split_commas(s)) out.push_back(std::move(part));
  return out;
}

struct CheckArgs {
  std::string path = ".";
  std::vector<std::string> formats;
  std::vector<std::string> outputs;
  std::string config;
  bool no_config = false;
  std::vector<std::string> select, ignore, files;
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

int run_check_command(const CheckArgs& a) {
  std::error_code ec;
  if (!fs::is_directory(a.path, ec)) {
    std::cerr << "mlops-lint: cannot read " << a.path << ": not a directory\n";
    return kExitError;
  }
  fs::path root = fs::weakly_canonical(a.path, ec);
  ConfigResult cfg = load_config(root.string(), a.config, !a.no_config);
  if (!cfg.errors.empty()) {
    print_diagnostics(cfg.errors);
    return kExitError;
  }
  Config& config = cfg.config;
  if (!a.select.empty()) config.selection.select = split_ids(a.select);
  if (!a.ignore.empty()) {
    auto more = split_ids(a.ignore);
    config.selection.ignore.insert(config.selection.ignore.end(), more.begin(), more.end());
  }
  if (!a.profile.empty()) config.profile = a.profile;

  std::vector<Diagnostic> rule_errors;
  RuleSet rules = load_rules(config.rule_dirs, rule_errors);
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
  CheckResult result = run_check(*snapshot, prune_rules(rules, config.selection), opts);
  apply_selection(result, rules, config.selection);
  apply_suppressions(result, rules, {!a.no_inline_ignores, config.per_file_ignores, config.source});
  if (!a.write_baseline.empty()) {
    std::ofstream out(a.write_baseline, std::ios::binary | std::ios::trunc);
    out << baseline_json(result);
    if (!out) {
      std::cerr << "mlops-lint: cannot write " << a.write_baseline << "\n";
      return kExitError;
    }
  }
  if (!a.baseline.empty()) apply_baseline(result, baseline, a.baseline);
  if (cache) {
    std::string cache_error;
    if (!cache->save(cache_error) && !a.quiet) std::cerr << "mlops-lint: " << cache_error << " (cache not saved)\n";
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
                 (a.color == "auto" && to_stdout && ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"));
    std::string text = formats[i] != "text"  ? render(formats[i], in, color)
                       : a.statistics        ? render_statistics(in, color)
                                             : render_text(in, color, a.quiet);
    if (to_stdout) {
      std::cout << text;
    } else {
      std::ofstream out(a.outputs[i], std::ios::binary | std::ios::trunc);
      out << text;
      if (!out) {
        std::cerr << "mlops-lint: cannot write " << a.outputs[i] << "\n";
        return kExitError;
      }
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
  for (const auto& r : rules.rules)
    std::printf("%-7s %-8s %-20s %-34s %s\n", r.id.c_str(), to_string(r.severity), r.practice.c_str(),
                r.name.c_str(), r.summary.c_str());
  return kExitClean;
}

int run_explain_command(const std::string& id) {
  int status = kExitClean;
  RuleSet rules = load_builtin_or_exit(status);
  if (status) return status;
  const Rule* r = rules.find(id);
  if (!r) {
    std::cerr << "mlops-lint: unknown rule '" << id << "' (see `mlops-lint rules`)\n";
    return kExitError;
  }
  std::string profiles;
  for (const auto& p : r->profiles) profiles += (profiles.empty() ? "" : ", ") + p;
  std::cout << r->id << " " << r->name << "\n\n"
            << r->summary << "\n\n"
            << "Severity: " << to_string(r->severity) << "    Practice: " << r->practice
            << "    Category: " << r->category << "\n"
            << "Kind: " << (r->kind == RuleKind::Requirement ? "requirement (project level)" : "pattern (file:line)")
            << "    Profiles: " << profiles << "\n\n"
            << "Why\n" << r->rationale << "\n";
  if (!r->bad_example.empty()) std::cout << "\nExample that fires\n" << r->bad_example << "\n";
  if (!r->good_example.empty()) std::cout << "\nExample that passes\n" << r->good_example << "\n";
  std::cout << "\nHow to fix\n" << r->remediation << "\n";
  if (!r->references.empty()) {
    std::cout << "\nReferences\n";
    for (const auto& ref : r->references) std::cout << "  - " << ref << "\n";
  }
  std::cout << "\nSuppress one occurrence: mlops-lint: ignore[" << r->id << "] reason   (same line or the line before)\n"
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

int run_generate_docs_command(const std::string& out_dir) {
  int status = kExitClean;
  RuleSet rules = load_builtin_or_exit(status);
  if (status) return status;
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  // Pages of rules that no longer exist must not linger.
  for (fs::directory_iterator it(out_dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".md") fs::remove(it->path(), ec);
  for (const auto& [name, text] : rule_doc_pages(rules)) {
    std::ofstream out(fs::path(out_dir) / name, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
      std::cerr << "mlops-lint: cannot write " << (fs::path(out_dir) / name).string() << "\n";
      return kExitError;
    }
  }
  return kExitClean;
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
};

int write_report(const std::string& text, const std::string& output) {
  if (output.empty() || output == "-") {
    std::cout << text;
    return kExitClean;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    std::cerr << "mlops-lint: cannot write " << output << "\n";
    return kExitError;
  }
  return kExitClean;
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
  if (!store.open(store_path, error)) {
    std::cerr << "mlops-lint: " << store_path << ": " << error << "\n";
    return kExitError;
  }
  std::vector<RepoAudit> repos = store.trends(error);
  if (!error.empty()) {
    std::cerr << "mlops-lint: " << store_path << ": " << error << "\n";
    return kExitError;
  }
  return write_report(render_audit(format, repos, "recorded"), output);
}

int run_merge_command(const std::vector<std::string>& inputs, const std::string& format, const std::string& output) {
  std::vector<RepoAudit> all;
  for (const auto& in : inputs) {
    FileRead text = read_file_capped(in, kMaxReportInput);
    std::string error = text.error;
    if (!text.ok() || !parse_audit_json(text.bytes, all, error)) {
      std::cerr << "mlops-lint: " << in << ": " << error << "\n";
      return kExitError;
    }
  }
  std::stable_sort(all.begin(), all.end(), [](const RepoAudit& a, const RepoAudit& b) { return a.path < b.path; });
  return write_report(render_audit(format, all, "merged"), output);
}

int run_audit_command(const AuditArgs& a) {
  if (a.paths.empty() && a.list.empty()) {
    std::cerr << "mlops-lint: audit needs repository paths or --list FILE\n";
    return kExitError;
  }
  std::string error;
  std::vector<std::string> repos = expand_repositories(a.paths, a.list, error);
  if (!error.empty()) {
    std::cerr << "mlops-lint: " << error << "\n";
    return kExitError;
  }
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
    repos = shard_repositories(repos, index, count);
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
  if (::isatty(STDERR_FILENO)) {
    // A progress bar for people watching; never in logs or pipes.
    opts.progress = [](size_t done, size_t total) {
      const size_t width = 30;
      size_t filled = total ? width * done / total : width;
      std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << done << "/" << total
                << (done == total ? "\n" : "") << std::flush;
    };
  }
  std::vector<RepoAudit> audits = run_audit(repos, rules, opts);
  if (!a.store.empty()) {
    AuditStore store;
    if (!store.open(a.store, error) || !store.record(audits, a.profile, utc_now(), error)) {
      std::cerr << "mlops-lint: " << a.store << ": " << error << "\n";
      return kExitError;
    }
  }
  return write_report(render_audit(a.format, audits, a.profile), a.output);
}

struct InitArgs {
  std::string path = ".";
  bool force = false;
  bool pre_commit = false;
  std::string ci;  // github or gitlab
};

// Writes `text` to root/name unless it exists (and --force is not given).
bool write_new_file(const fs::path& root, const std::string& name, const std::string& text, bool force) {
  fs::path p = root / name;
  std::error_code ec;
  if (fs::exists(p, ec) && !force) {
    std::cerr << "mlops-lint: " << p.string() << " exists; not overwritten (use --force)\n";
    return false;
  }
  fs::create_directories(p.parent_path(), ec);
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    std::cerr << "mlops-lint: cannot write " << p.string() << "\n";
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
    auto get = [&](const char* c) { auto it = p.conditions.find(c); return it != p.conditions.end() && it->second; };
    serves = serves || get("serves_model");
    trains = trains || get("trains_models");
  }
  std::string profile = serves ? "production" : trains ? "team" : "research";
  std::string config = "# mlops-lint configuration: https://github.com/mlops-lint/mlops-lint#configuration\n"
                       "# Detected: " + std::string(serves ? "serves a model" : trains ? "trains models" : "no training code found") +
                       ".\nprofile: " + profile +
                       "\n# select: [ALL]\n# ignore: []\n# severity: {DAT003: error}\n# exclude: []\n"
                       "# per-file-ignores: {\"notebooks/*.ipynb\": [DAT003]}\nfail-on: warning\n";
  bool ok = write_new_file(a.path, ".mlops-lint.yaml", config, a.force);
  if (a.pre_commit) {
    std::string hook =
        "# Add to .pre-commit-config.yaml (mlops-lint must be on PATH):\n"
        "repos:\n  - repo: https://github.com/mlops-lint/mlops-lint\n    rev: v" MLOPS_LINT_VERSION "\n"
        "    hooks:\n      - id: mlops-lint\n";
    if (fs::exists(fs::path(a.path) / ".pre-commit-config.yaml", ec) && !a.force) std::cout << hook;
    else ok = write_new_file(a.path, ".pre-commit-config.yaml", hook, a.force) && ok;
  }
  if (a.ci == "github") {
    ok = write_new_file(a.path, ".github/workflows/mlops-lint.yml",
                        "name: mlops-lint\non: [push, pull_request]\npermissions:\n  contents: read\n"
                        "  security-events: write\njobs:\n  mlops-lint:\n    runs-on: ubuntu-latest\n"
                        "    steps:\n      - uses: actions/checkout@v4\n      - uses: mlops-lint/mlops-lint@v" MLOPS_LINT_VERSION "\n",
                        a.force) && ok;
  } else if (a.ci == "gitlab") {
    ok = write_new_file(a.path, ".gitlab/mlops-lint.gitlab-ci.yml",
                        "# Include from .gitlab-ci.yml:  include: [{local: .gitlab/mlops-lint.gitlab-ci.yml}]\n"
                        "mlops-lint:\n  stage: test\n  script:\n"
                        "    - mlops-lint check --format gitlab --output gl-code-quality-report.json --format text\n"
                        "  artifacts:\n    when: always\n    reports:\n      codequality: gl-code-quality-report.json\n",
                        a.force) && ok;
  }
  return ok ? kExitClean : kExitError;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mlops-lint: a linter for machine-learning projects' lifecycle practices"};
  app.set_version_flag("--version", std::string("mlops-lint ") + MLOPS_LINT_VERSION);
  app.require_subcommand(1);

  CheckArgs a;
  auto* check = app.add_subcommand("check", "Check a repository (default: the current directory)");
  check->add_option("path", a.path, "Repository or directory to check");
  check->add_option("--format", a.formats, "Output format: text, json, sarif, github, gitlab, junit, markdown (repeatable)")
      ->check(CLI::IsMember(report_formats()))
      ->expected(1)->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  check->add_option("--output", a.outputs, "Write the matching --format here (repeatable; - for stdout)")
      ->expected(1)->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  check->add_option("--config", a.config, "Configuration file (default: discovered at PATH)");
  check->add_flag("--no-config", a.no_config, "Ignore configuration files");
  check->add_option("--select", a.select, "Rule codes or prefixes to report (comma-separated, ALL)")
      ->expected(1)->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  check->add_option("--ignore", a.ignore, "Rule codes or prefixes to leave out (comma-separated)")
      ->expected(1)->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  check->add_option("--fail-on", a.fail_on, "Lowest severity that makes the exit code 1 (default warning)")
      ->check(CLI::IsMember({"error", "warning", "info", "never"}));
  check->add_flag("--exit-zero", a.exit_zero, "Exit 0 even when there are findings");
  check->add_option("--files", a.files, "Check only these files and the project rules they affect");
  check->add_option("--jobs,-j", a.jobs, "Worker threads (default: all cores)");
  check->add_option("--profile", a.profile, "Rule profile: research, team or production")
      ->check(CLI::IsMember({"research", "team", "production"}));
  check->add_flag("--no-cache", a.no_cache, "Do not read or write the facts cache");
  check->add_flag("--no-inline-ignores", a.no_inline_ignores, "Ignore inline suppression comments (audits)");
  check->add_option("--baseline", a.baseline, "Report only findings not recorded in this baseline file");
  check->add_option("--write-baseline", a.write_baseline, "Record today's findings in this baseline file");
  check->add_flag("--quiet,-q", a.quiet, "Print findings only");
  check->add_flag("--statistics", a.statistics, "Text output: count findings per rule instead of listing them");
  check->add_option("--color", a.color, "Colour: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));

  auto* rules = app.add_subcommand("rules", "List every rule");
  std::string explain_id;
  auto* explain = app.add_subcommand("explain", "Show a rule's documentation");
  explain->add_option("id", explain_id, "Rule id, e.g. DAT001")->required();

  std::string test_dir;
  auto* test_rules = app.add_subcommand("test-rules", "Run the fixtures of the rules in DIR (DIR/fixtures/<ID>/bad*, good*)");
  test_rules->add_option("dir", test_dir, "Rule directory")->required();

  AuditArgs audit_args;
  auto* audit = app.add_subcommand("audit", "Score many repositories (HEAD, or --history N commits)");
  audit->add_option("paths", audit_args.paths, "Repositories, or directories of repositories");
  audit->add_option("--list", audit_args.list, "File with one repository path per line");
  audit->add_option("--format", audit_args.format, "table, json, csv, markdown or html")->check(CLI::IsMember(audit_formats()));
  audit->add_option("--output", audit_args.output, "Write the report here");
  audit->add_option("--profile", audit_args.profile, "Rule profile: research, team or production")
      ->check(CLI::IsMember({"research", "team", "production"}));
  audit->add_option("--history", audit_args.history, "Also score the last N first-parent commits");
  audit->add_option("--since", audit_args.since, "Score every commit since this date (YYYY-MM-DD)");
  audit->add_option("--jobs,-j", audit_args.jobs, "Repositories audited in parallel (default: all cores)");
  audit->add_flag("--no-cache", audit_args.no_cache, "Do not read or write the facts cache");
  audit->add_option("--store", audit_args.store, "Also record this audit in a SQLite file");
  audit->add_option("--shard", audit_args.shard, "Audit only shard I of N of the sorted repository list (I/N)");

  std::vector<std::string> merge_inputs;
  std::string merge_format = "table", merge_output;
  auto* merge = app.add_subcommand("merge", "Combine audit JSON reports (e.g. from --shard jobs)");
  merge->add_option("inputs", merge_inputs, "audit --format json outputs")->required();
  merge->add_option("--format", merge_format, "table, json, csv, markdown or html")->check(CLI::IsMember(audit_formats()));
  merge->add_option("--output", merge_output, "Write the report here");

  std::string report_store, report_format = "table", report_output;
  auto* report = app.add_subcommand("report", "Render the audits recorded in a store, with trends across runs");
  report->add_option("--store", report_store, "SQLite file written by audit --store")->required();
  report->add_option("--format", report_format, "table, json, csv, markdown or html")->check(CLI::IsMember(audit_formats()));
  report->add_option("--output", report_output, "Write the report here");

  InitArgs init_args;
  auto* init = app.add_subcommand("init", "Write a starter .mlops-lint.yaml (and, on request, hook and CI snippets)");
  init->add_option("path", init_args.path, "Repository root");
  init->add_flag("--force", init_args.force, "Overwrite existing files");
  init->add_flag("--pre-commit", init_args.pre_commit, "Also write the pre-commit hook configuration");
  init->add_option("--ci", init_args.ci, "Also write a CI job: github or gitlab")->check(CLI::IsMember({"github", "gitlab"}));

  std::string docs_dir;
  auto* gen_docs = app.add_subcommand("generate-docs", "Write the rule documentation pages (docs/rules/)");
  gen_docs->add_option("dir", docs_dir, "Output directory")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitClean : kExitError;
  }
  try {
    if (check->parsed()) return run_check_command(a);
    if (rules->parsed()) return run_rules_command();
    if (explain->parsed()) return run_explain_command(explain_id);
    if (test_rules->parsed()) return run_test_rules_command(test_dir);
    if (gen_docs->parsed()) return run_generate_docs_command(docs_dir);
    if (init->parsed()) return run_init_command(init_args);
    if (audit->parsed()) return run_audit_command(audit_args);
    if (report->parsed()) return run_report_command(report_store, report_format, report_output);
    if (merge->parsed()) return run_merge_command(merge_inputs, merge_format, merge_output);
  } catch (const std::exception& e) {
    std::cerr << "mlops-lint: internal error: " << e.what() << "\n";
    return kExitError;
  }
  return kExitError;
}
