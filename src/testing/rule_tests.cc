// Fixture runner behind `mlops-lint test-rules` and the built-in rules' test.
#include "testing/rule_tests.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "config/config.h"
#include "engine/engine.h"
#include "repo/disk_snapshot.h"
#include "rules/builtin/builtin_rules.h"
#include "rules/rule_loader.h"
#include "util/read_file.h"

namespace fs = std::filesystem;

namespace mlops {
namespace {

struct Expectations {
  std::optional<std::string> outcome;
  std::string profile = "team";
  uint64_t large_file_threshold = 10ull * 1024 * 1024;
  std::set<std::pair<std::string, int>> findings;  // path, line
  std::set<std::pair<std::string, int>> forbidden;
  std::vector<std::string>
      tags;  // git tags the fixture repository stands for (fixtures are plain directories)
  std::vector<std::string> problems;
};

// A fixture directory with the git tags its EXPECT file names.
class TaggedSnapshot : public Snapshot {
 public:
  TaggedSnapshot(std::unique_ptr<Snapshot> inner, std::vector<std::string> tags)
      : inner_(std::move(inner)), tags_(std::move(tags)) {
    std::sort(tags_.begin(), tags_.end());
  }
  const std::vector<FileEntry>& files() const override { return inner_->files(); }
  ReadResult read(const FileEntry& f, uint64_t limit) const override { return inner_->read(f, limit); }
  const std::vector<Diagnostic>& diagnostics() const override { return inner_->diagnostics(); }
  std::string kind() const override { return inner_->kind(); }
  const std::vector<std::string>& tags() const override { return tags_; }
  const std::vector<AsideFile>& set_aside() const override { return inner_->set_aside(); }

 private:
  std::unique_ptr<Snapshot> inner_;
  std::vector<std::string> tags_;
};

// Fixture files are small; a cap keeps a mistaken fixture from being read whole.
std::string read_all(const fs::path& p) {
  return read_file_capped(p.string(), 16ull << 20).bytes;
}

std::optional<std::pair<std::string, int>> parse_path_line(const std::string& s) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  try {
    return std::pair{s.substr(0, colon), std::stoi(s.substr(colon + 1))};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void read_expect_file(const fs::path& file, Expectations& ex) {
  std::istringstream in(read_all(file));
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string key, value;
    words >> key >> value;
    if (key == "outcome")
      ex.outcome = value;
    else if (key == "profile")
      ex.profile = value;
    else if (key == "large-file-threshold" && parse_size(value))
      ex.large_file_threshold = *parse_size(value);
    else if (key == "finding" && parse_path_line(value))
      ex.findings.insert(*parse_path_line(value));
    else if (key == "tag" && !value.empty())
      ex.tags.push_back(value);
    else
      ex.problems.push_back("EXPECT:" + std::to_string(n) + ": cannot read '" + line + "'");
  }
}

// Finds `ruleid: ID` / `ok: ID` markers; each refers to the line after it.
void read_markers(const Snapshot& snap, const std::string& id, Expectations& ex) {
  const std::string fire = "ruleid: " + id, ok = "ok: " + id;
  for (const auto& f : snap.files()) {
    if (f.oversized) continue;
    ReadResult r = snap.read(f, f.size);
    if (r.error || r.bytes.find('\0') != std::string::npos) continue;
    std::istringstream in(r.bytes);
    std::string line;
    int n = 0;
    auto has = [](const std::string& text, const std::string& marker) {
      size_t pos = text.find(marker);
      // The id must end there: `ruleid: DAT001` is not a marker for DAT0010.
      return pos != std::string::npos &&
             (pos + marker.size() == text.size() ||
              !std::isalnum(static_cast<unsigned char>(text[pos + marker.size()])));
    };
    while (std::getline(in, line)) {
      ++n;
      if (has(line, fire)) ex.findings.insert({f.path, n + 1});
      if (has(line, ok)) ex.forbidden.insert({f.path, n + 1});
    }
  }
}

std::string overall_outcome(const CheckResult& r, const std::string& id) {
  std::string out;
  for (const auto& p : r.projects)
    for (const auto& res : p.results)
      if (res.rule_id == id) {
        std::string o = to_string(res.outcome);
        if (out.empty() || o == "fail") out = o;
      }
  return out.empty() ? "absent" : out;
}

// Whether the rule applies anywhere in the result, whatever the profile (its observed outcome).
bool applies_somewhere(const CheckResult& r, const std::string& id) {
  for (const auto& p : r.projects)
    for (const auto& res : p.results)
      if (res.rule_id == id && res.observed != Outcome::NotApplicable) return true;
  return false;
}

void run_case(const RuleSet& rules, const std::string& id, const fs::path& dir, bool bad,
              RuleTestReport& report) {
  ++report.cases;
  std::string name = dir.string();
  Expectations ex;
  if (fs::exists(dir / "EXPECT")) read_expect_file(dir / "EXPECT", ex);
  for (const auto& p : ex.problems) report.problems.push_back(name + ": " + p);
  SnapshotOptions sopts;
  sopts.exclude = {"/EXPECT"};
  auto snap = std::make_unique<TaggedSnapshot>(DiskSnapshot::walk(dir.string(), sopts), ex.tags);
  read_markers(*snap, id, ex);
  CheckOptions opts;
  opts.profile = ex.profile;
  opts.jobs = 1;
  opts.large_file_threshold = ex.large_file_threshold;
  CheckResult result = run_check(*snap, rules, opts);

  std::string outcome = overall_outcome(result, id);
  std::string want = ex.outcome.value_or(bad ? "fail" : "");
  if (!want.empty() ? outcome != want : (outcome != "pass" && outcome != "not_applicable"))
    report.problems.push_back(name + ": " + id + " outcome is " + outcome + ", expected " +
                              (want.empty() ? "pass or not_applicable" : want));
  // `ok:` markers where the rule does not apply test nothing: the fixture must make it apply
  // (an ML project for most rules), or say `outcome not_applicable` if that is its point.
  if (!bad && !ex.forbidden.empty() && !ex.outcome && !applies_somewhere(result, id))
    report.problems.push_back(name + ": " + id + " does not apply here, so its `ok:` markers test nothing");
  std::set<std::pair<std::string, int>> actual;
  for (const auto& f : result.findings)
    if (f.rule_id == id) actual.insert({f.where.path, f.where.line});
  for (const auto& e : ex.findings)
    if (!actual.count(e))
      report.problems.push_back(name + ": expected " + id + " at " + e.first + ":" +
                                std::to_string(e.second) + ", not reported");
  for (const auto& a : actual) {
    bool expected = ex.findings.count(a) > 0;
    if (ex.forbidden.count(a) || (!expected && (!ex.findings.empty() || !bad)))
      report.problems.push_back(name + ": unexpected " + id + " finding at " + a.first + ":" +
                                std::to_string(a.second));
  }
  if (bad && ex.findings.empty() && actual.empty() && want == "fail")
    report.problems.push_back(name + ": " + id + " reported no finding");
}

}  // namespace

RuleTestReport run_rule_fixtures(const RuleSet& rules, const std::vector<std::string>& rule_ids,
                                 const std::string& fixtures_dir) {
  RuleTestReport report;
  for (const auto& id : rule_ids) {
    fs::path base = fs::path(fixtures_dir) / id;
    std::vector<fs::path> cases;
    std::error_code ec;
    for (fs::directory_iterator it(base, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_directory()) cases.push_back(it->path());
    std::sort(cases.begin(), cases.end());
    bool any_bad = false, any_good = false;
    for (const auto& c : cases) {
      std::string leaf = c.filename().string();
      bool bad = leaf.starts_with("bad");
      if (!bad && !leaf.starts_with("good")) continue;
      (bad ? any_bad : any_good) = true;
      run_case(rules, id, c, bad, report);
    }
    if (!any_bad) report.problems.push_back(base.string() + ": no bad* fixture (where " + id + " must fire)");
    if (!any_good)
      report.problems.push_back(base.string() + ": no good* fixture (where " + id + " must not fire)");
  }
  return report;
}

RuleSet load_rules_for_testing(const std::string& dir, std::vector<std::string>& ids,
                               std::vector<Diagnostic>& errors) {
  RuleLoader loader;
  std::set<std::string> own;
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".yaml" || it->path().extension() == ".yml") files.push_back(it->path());
  if (ec) errors.push_back({{dir, 0, 0}, "cannot read rule directory: " + ec.message()});
  std::sort(files.begin(), files.end());
  for (const auto& f : files) own.insert(f.filename().string());
  // The directory's files replace the built-in files of the same name.
  loader.add_compiled(builtin_rules(), own);
  for (const auto& f : files) loader.add({f.string(), read_all(f)});
  RuleSet set = loader.finish();
  errors.insert(errors.end(), loader.errors().begin(), loader.errors().end());
  for (const auto& r : set.rules)
    if (fs::path(r.source).parent_path() == fs::path(dir) || r.source.starts_with(dir)) ids.push_back(r.id);
  return set;
}

}  // namespace mlops
