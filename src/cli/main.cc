// mlops-lint command line: the CLI11 app, every subcommand's options and help, and the dispatch
// to the command that runs it (check_command, audit_command, fix_command, init_command,
// rules_commands); common.h holds the exit codes they all return.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "audit/audit_report.h"
#include "cli/audit_command.h"
#include "cli/check_command.h"
#include "cli/common.h"
#include "cli/fix_command.h"
#include "cli/init_command.h"
#include "cli/rules_commands.h"
#include "report/report.h"
#include "util/cli_conventions.h"

using namespace mlops;
using namespace mlops::cli;

namespace {

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
