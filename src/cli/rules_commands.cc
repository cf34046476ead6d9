// `rules`, `explain`, `test-rules` and `generate-docs` (see rules_commands.h).
#include "cli/rules_commands.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/common.h"
#include "fix/fixer.h"
#include "report/report.h"
#include "report/rule_docs.h"
#include "rules/rule_loader.h"
#include "testing/rule_tests.h"
#include "util/atomic_write.h"
#include "util/escape.h"
#include "util/read_file.h"

namespace fs = std::filesystem;

namespace mlops::cli {

namespace {

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

}  // namespace

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

int run_rules_json_command() {
  int status = kExitClean;
  RuleSet rules = load_builtin_or_exit(status);
  if (status) return status;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& r : rules.rules) list.push_back(rule_to_json(r));
  std::cout << list.dump(2) << "\n";
  return kExitClean;
}

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

}  // namespace mlops::cli
