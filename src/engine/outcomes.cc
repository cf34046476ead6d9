// Rule outcomes for one project: applicability, requirements between rules, the profile, and
// the findings of requirement rules (the practice is missing) and pattern rules (a match).
#include "engine/outcomes.h"

#include <algorithm>
#include <optional>
#include <tuple>

#include "engine/project_kind.h"
#include "engine/query_plan.h"
#include "util/glob.h"

namespace mlops::engine {

namespace {

// Packaging metadata read to decide a project's kind: the name is near the top.
constexpr uint64_t kKindReadLimit = 256 * 1024;

Location location_of(const FileEntry& f, const Match& m) {
  return {f.path, m.line, m.column, m.cell, m.cell_line};
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
  return s;
}

// Where a project-level finding points: the rule's anchors, then the files a reader opens first.
std::optional<size_t> anchor_file(const Rule& rule, const Project& project, const Layout& layout,
                                  const std::vector<FileEntry>& files) {
  static const std::vector<std::string> fallbacks = {"/README*", "/pyproject.toml", "/setup.py", "/setup.cfg",
                                                     "/requirements*.txt"};
  for (const auto* globs : {&rule.anchor, &fallbacks})
    for (const auto& g : *globs)
      for (size_t f : project.files)
        if (glob_match(g, layout.rel[f])) return f;
  // Otherwise a file of the project's own, before repository-wide ones (.ci/, .github/).
  for (size_t f : project.files) {
    const std::string& rel = layout.rel[f];
    bool own = project.root.empty() ? !rel.starts_with(".") : rel != files[f].path;
    if (own) return f;
  }
  if (!project.files.empty()) return project.files.front();
  return std::nullopt;
}

}  // namespace

void ProjectChecker::run(ProjectReport& report, std::vector<Finding>& findings, const Snapshot& snapshot) {
  for (const auto& [name, _] : rules_.conditions) {
    Expr c;
    c.op = Expr::Op::Condition;
    c.condition = name;
    report.conditions[name] = ev_.holds(c);
  }
  // The kind decides which practices can apply before any rule is evaluated.
  KindInput in;
  in.root = project_.root;
  in.conditions = report.conditions;
  const std::string prefix = project_.root.empty() ? "" : project_.root + "/";
  std::map<std::string, size_t> own;
  for (size_t f : project_.files) {
    const std::string& path = files_[f].path;
    if (path.compare(0, prefix.size(), prefix) != 0) continue;  // shared from a parent
    in.paths.push_back(path.substr(prefix.size()));
    own.emplace(in.paths.back(), f);
  }
  in.read = [&](const std::string& rel) -> std::optional<std::string> {
    auto it = own.find(rel);
    if (it == own.end() || files_[it->second].oversized) return std::nullopt;
    ReadResult r = snapshot.read(files_[it->second], kKindReadLimit);
    if (r.error) return std::nullopt;
    return std::move(r.bytes);
  };
  ProjectKind kind = project_kind(in);
  report.kind = kind_ = kind.kind;
  report.kind_reasons = std::move(kind.reasons);
  for (const auto& rule : rules_.rules) {
    if (!affected(rule)) continue;
    report.results.push_back(result_of(rule, findings));
  }
}

bool ProjectChecker::affected(const Rule& rule) {
  if (only_files_.empty() || rule.kind == RuleKind::Pattern) return true;
  for (size_t f : only_files_) {
    const std::string& rel = layout_.rel[f];
    if (touches(rule.check, rules_, rel) || (rule.applies && touches(*rule.applies, rules_, rel)))
      return true;
  }
  return false;
}

const RuleResult& ProjectChecker::result_of(const Rule& rule, std::vector<Finding>& findings) {
  auto done = results_.find(rule.id);
  if (done != results_.end()) return done->second;
  if (!in_progress_.insert(rule.id).second) {
    static const RuleResult cycle{"", Outcome::Error, "requires cycle", {}};
    return cycle;
  }
  RuleResult r = evaluate(rule, findings);
  r.rule_id = rule.id;
  return results_.emplace(rule.id, std::move(r)).first->second;
}

// Every rule is evaluated whatever the profile, so that practice statuses say what exists; a
// rule outside the profile keeps its outcome in `observed` and makes no finding.
RuleResult ProjectChecker::evaluate(const Rule& rule, std::vector<Finding>& findings) {
  // The kind decides which practices are asked for (requirement rules); a concrete problem in
  // a file (a pattern rule: an absolute path, a secret) is reported whatever the kind.
  if (rule.kind == RuleKind::Requirement && !applies_to_kind(kind_, rule.practice, rule.id, true)) {
    // Not asked of this kind, but credited when its evidence is there: no finding either way.
    // Only the rule's evidence is read (its `applies` says when the practice is asked for); the
    // observed outcome feeds the practice's status, so a failing essential rule (a manifest that
    // names no version) credits nothing.
    if (credited_for_kind(kind_, rule.practice)) {
      Eval credited = ev_.eval(rule.check);
      std::vector<Finding> dropped;
      RuleResult seen = credited.holds ? requirement(rule, credited, dropped) : RuleResult{};
      return {rule.id, Outcome::NotApplicable,
              "not asked of a " + kind_ + " project; credited when it is there", std::move(seen.evidence),
              credited.holds ? Outcome::Pass : Outcome::Fail};
    }
    return {rule.id,
            Outcome::NotApplicable,
            "not applicable to a " + kind_ + " project",
            {},
            Outcome::NotApplicable};
  }
  if (std::find(rule.profiles.begin(), rule.profiles.end(), options_.profile) == rule.profiles.end()) {
    std::vector<Finding> dropped;
    RuleResult seen = evaluate_in(rule, dropped, true);
    return {rule.id, Outcome::NotApplicable, "not part of the " + options_.profile + " profile",
            std::move(seen.evidence), seen.outcome};
  }
  RuleResult r = evaluate_in(rule, findings, false);
  r.observed = r.outcome;
  return r;
}

RuleResult ProjectChecker::evaluate_in(const Rule& rule, std::vector<Finding>& findings, bool observing) {
  if (rule.applies && !ev_.holds(*rule.applies) &&
      !asked_without_ml(kind_, project_.root, rule.practice, rule.id))
    return {rule.id, Outcome::NotApplicable, "does not apply to this project", {}};
  for (const auto& req : rule.requires_rules) {
    const Rule* dep = rules_.find(req);
    if (!dep) continue;
    const RuleResult& d = result_of(*dep, findings);
    const Outcome o = observing ? d.observed : d.outcome;
    if (o == Outcome::Fail || o == Outcome::Skipped || o == Outcome::Error)
      return {rule.id, Outcome::Skipped, "requires " + req + ", which did not pass", {}};
  }
  Eval check = ev_.eval(rule.check);
  // A repository-wide practice absent from the project itself may be there in the shared
  // infrastructure around it (root CI, root README, root dags/): applicability stays the
  // project's own, only the evidence is looked for further out.
  if (rule.kind == RuleKind::Requirement && !check.holds && shared_ev_ &&
      credited_from_shared(rule.practice, rule.id)) {
    Eval shared = shared_ev_->eval(rule.check);
    if (shared.holds) check = std::move(shared);
  }
  if (rule.kind == RuleKind::Requirement && !check.holds && sibling_ev_ &&
      credited_from_siblings(rule.practice)) {
    Eval sibling = sibling_ev_->eval(rule.check);
    if (sibling.holds) check = std::move(sibling);
  }
  if (rule.kind == RuleKind::Requirement) return requirement(rule, check, findings);
  return pattern(rule, check, findings);
}

RuleResult ProjectChecker::requirement(const Rule& rule, const Eval& check, std::vector<Finding>& findings) {
  RuleResult r{rule.id, Outcome::Pass, "", {}};
  if (check.holds) {
    for (const auto& h : check.hits) {
      if (r.evidence.size() >= kMaxEvidence) break;
      Location loc = h.file != kNoFile ? location_of(files_[h.file], h.match)
                     : h.path.empty()  ? Location{"refs/tags/" + h.match.text, 0, 0, 0, 0}
                                       : Location{h.path, h.match.line, h.match.column, 0, 0};
      // Outside the project's root: repository infrastructure it shares (reported as such).
      if (h.file != kNoFile && !project_.root.empty()) {
        const std::string& path = files_[h.file].path;
        loc.shared =
            !(path.size() > project_.root.size() &&
              path.compare(0, project_.root.size(), project_.root) == 0 && path[project_.root.size()] == '/');
      }
      if (std::find(r.evidence.begin(), r.evidence.end(), loc) == r.evidence.end()) r.evidence.push_back(loc);
    }
    return r;
  }
  auto unreadable = ev_.unreadable_inputs(rule.check);
  if (!unreadable.empty()) {
    r.outcome = Outcome::Error;
    r.reason = "could not read " + files_[unreadable.front()].path;
    return r;
  }
  r.outcome = Outcome::Fail;
  Finding f;
  f.rule_id = rule.id;
  f.severity = rule.severity;
  f.message = replace_all(rule.message, "{match}", "");
  f.project = project_name();
  f.project_level = true;
  f.subject = "project " + f.project;
  if (auto a = anchor_file(rule, project_, layout_, files_))
    f.where = {files_[*a].path, 1, 1, 0, 0};
  else
    f.where = {project_.root, 0, 0, 0, 0};
  findings.push_back(std::move(f));
  return r;
}

RuleResult ProjectChecker::pattern(const Rule& rule, const Eval& check, std::vector<Finding>& findings) {
  RuleResult r{rule.id, Outcome::Pass, "", {}};
  if (check.excepted && check.hits.empty()) r.reason = "an exception in the rule holds for this project";
  std::set<std::tuple<size_t, std::string, int, int, std::string>> seen;
  for (const auto& h : check.hits) {
    if (h.file == kNoFile && h.path.empty()) continue;  // a tag has no line to point at
    if (h.file == kNoFile) {
      // A set-aside file (a checkpoint copy) is no analysed file: with --files, it is reported
      // when a set-aside file is among those checked (a pre-commit run staging one).
      if (!options_.only_files.empty() &&
          std::none_of(options_.only_files.begin(), options_.only_files.end(),
                       [](const std::string& p) { return aside_kind(p).has_value(); }))
        continue;
    } else if (!only_files_.empty() && !only_files_.count(h.file)) {
      continue;
    }
    if (!seen.insert({h.file, h.path, h.match.line, h.match.column, h.match.text}).second) continue;
    Finding f;
    f.rule_id = rule.id;
    f.severity = rule.severity;
    f.subject = h.match.text;
    f.message = replace_all(rule.message, "{match}", h.match.text);
    f.where = h.file != kNoFile ? location_of(files_[h.file], h.match)
                                : Location{h.path, h.match.line, h.match.column, 0, 0};
    f.project = project_name();
    if (r.evidence.size() < kMaxEvidence) r.evidence.push_back(f.where);
    findings.push_back(std::move(f));
    r.outcome = Outcome::Fail;
  }
  return r;
}

std::string ProjectChecker::project_name() const {
  return project_.root.empty() ? "." : project_.root;
}

}  // namespace mlops::engine
