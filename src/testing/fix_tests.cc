// Fix fixture runner behind `mlops-lint test-rules` and the built-in rules' test.
#include "testing/fix_tests.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "fix/fixer.h"
#include "fix/fixes.h"
#include "repo/disk_snapshot.h"
#include "util/read_file.h"

namespace fs = std::filesystem;

namespace mlops {
namespace {

struct FixExpectations {
  bool unsafe = false;
  bool no_fix = false;
  std::string profile = "team";
  std::vector<std::string> problems;
};

FixExpectations read_expect(const fs::path& file) {
  FixExpectations ex;
  FileRead text = read_file_capped(file.string(), 1 << 20);
  std::istringstream in(text.bytes);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    if (line == "unsafe-fixes")
      ex.unsafe = true;
    else if (line == "no-fix")
      ex.no_fix = true;
    else if (line.starts_with("profile "))
      ex.profile = line.substr(8);
    else
      ex.problems.push_back("EXPECT:" + std::to_string(n) + ": cannot read '" + line + "'");
  }
  return ex;
}

// The expected files of a case: path -> bytes, from the `.expected` tree.
std::map<std::string, std::string> expected_files(const fs::path& dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    FileRead text = read_file_capped(it->path().string(), 16 << 20);
    out[it->path().lexically_relative(dir).generic_string()] = text.bytes;
  }
  return out;
}

std::function<CheckResult(const Snapshot&)> checker(const RuleSet& rules, const std::string& id,
                                                    const std::string& profile) {
  return [&rules, id, profile](const Snapshot& snapshot) {
    CheckOptions opts;
    opts.profile = profile;
    opts.jobs = 1;
    CheckResult result = run_check(snapshot, rules, opts);
    std::erase_if(result.findings, [&](const Finding& f) { return f.rule_id != id; });
    attach_fixes(result, snapshot, rules);
    return result;
  };
}

void run_case(const RuleSet& rules, const std::string& id, const fs::path& dir, RuleTestReport& report) {
  ++report.cases;
  const std::string name = dir.string();
  FixExpectations ex;
  if (fs::exists(dir / "EXPECT")) ex = read_expect(dir / "EXPECT");
  for (const auto& p : ex.problems) report.problems.push_back(name + ": " + p);
  SnapshotOptions sopts;
  sopts.exclude = {"/EXPECT"};
  auto snap = DiskSnapshot::walk(dir.string(), sopts);
  auto check = checker(rules, id, ex.profile);
  FixRun run = run_fixes(*snap, ex.unsafe, check);
  for (const auto& d : run.diagnostics) report.problems.push_back(name + ": " + d.message);

  auto expected = expected_files(fs::path(name + ".expected"));
  if (ex.no_fix) {
    for (const auto& [path, bytes] : run.fixed)
      report.problems.push_back(name + ": " + path + " changed, expected no fix");
    return;
  }
  if (run.fixed.empty()) report.problems.push_back(name + ": " + id + " fixed nothing");
  for (const auto& [path, bytes] : expected) {
    auto it = run.fixed.find(path);
    if (it == run.fixed.end())
      report.problems.push_back(name + ": " + path + " was not changed; " + name + ".expected/" + path +
                                " says how it should read");
    else if (it->second != bytes)
      report.problems.push_back(name + ": " + path + " differs from " + name + ".expected/" + path + ":\n" +
                                unified_diff({{path, bytes}}, {{path, it->second}}));
  }
  for (const auto& [path, bytes] : run.fixed)
    if (!expected.count(path))
      report.problems.push_back(name + ": " + path + " changed but " + name + ".expected/" + path +
                                " is missing");
  // Idempotent: fixing the fixed files again changes nothing.
  FixRun again = run_fixes(OverlaySnapshot(*snap, run.fixed), ex.unsafe, check);
  for (const auto& [path, bytes] : again.fixed)
    report.problems.push_back(name + ": a second fix pass changed " + path + " again:\n" +
                              unified_diff(again.original, again.fixed));
}

}  // namespace

RuleTestReport run_fix_fixtures(const RuleSet& rules, const std::vector<std::string>& rule_ids,
                                const std::string& fixtures_dir) {
  RuleTestReport report;
  for (const auto& d : check_rule_fixers(rules)) report.problems.push_back(d.where.path + ": " + d.message);
  for (const auto& id : rule_ids) {
    const Rule* rule = rules.find(id);
    if (!rule || rule->fixer.empty()) continue;
    fs::path base = fs::path(fixtures_dir) / id;
    std::vector<fs::path> cases;
    std::error_code ec;
    for (fs::directory_iterator it(base, ec), end; !ec && it != end; it.increment(ec)) {
      std::string leaf = it->path().filename().string();
      if (it->is_directory() && leaf.starts_with("fix") && !leaf.ends_with(".expected"))
        cases.push_back(it->path());
    }
    std::sort(cases.begin(), cases.end());
    if (cases.empty())
      report.problems.push_back(base.string() + ": " + id + " has a fixer but no fix* fixture");
    for (const auto& c : cases) run_case(rules, id, c, report);
  }
  return report;
}

}  // namespace mlops
