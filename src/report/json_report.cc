// JSON report (schema documented in docs/json-report.md).
#include <nlohmann/json.hpp>

#include "engine/project_kind.h"
#include "engine/scores.h"
#include "report/report.h"
#include "util/escape.h"

namespace mlops {
namespace {

using nlohmann::ordered_json;

// Text is sanitised to UTF-8 (JSON cannot hold other bytes); a path that was not UTF-8 also
// keeps its real bytes, percent-encoded, in `path_bytes`.
void set_path(ordered_json& j, const std::string& path) {
  j["path"] = sanitize_utf8(path);
  if (!valid_utf8(path)) j["path_bytes"] = percent_encode(path);
}

ordered_json location_json(const Location& l) {
  ordered_json j = ordered_json::object();
  set_path(j, l.path);
  j["line"] = l.line;
  if (l.column > 0) j["column"] = l.column;
  if (l.cell > 0) {
    j["cell"] = l.cell;
    j["cell_line"] = l.cell_line;
  }
  if (l.shared) j["shared"] = true;
  return j;
}

ordered_json position_json(int line, int column, size_t offset) {
  return {{"line", line}, {"column", column}, {"offset", offset}};
}

// A finding's fix: its edits as byte offsets into the raw file (with 1-based line and byte column
// for display). A replacement that is not UTF-8 also keeps its bytes in `replacement_bytes`.
ordered_json fix_json(const Fix& fix) {
  ordered_json edits = ordered_json::array();
  for (const auto& e : fix.edits) {
    ordered_json ej = ordered_json::object();
    set_path(ej, e.path);
    ej["start"] = position_json(e.start_line, e.start_column, e.start);
    ej["end"] = position_json(e.end_line, e.end_column, e.end);
    ej["replacement"] = sanitize_utf8(e.replacement);
    if (!valid_utf8(e.replacement)) ej["replacement_bytes"] = percent_encode(e.replacement);
    edits.push_back(std::move(ej));
  }
  return {{"applicability", to_string(fix.applicability)},
          {"message", sanitize_utf8(fix.message)},
          {"edits", std::move(edits)}};
}

ordered_json practices_json(const std::vector<PracticeStatus>& ps) {
  ordered_json out = ordered_json::object();
  for (const auto& p : ps) {
    ordered_json ev = ordered_json::array();
    for (const auto& e : p.evidence) ev.push_back(location_json(e));
    out[sanitize_utf8(p.practice)] = {
        {"status", sanitize_utf8(p.status)}, {"rules", p.rules}, {"evidence", ev}};
  }
  return out;
}

ordered_json scores_json(const Scores& s) {
  auto score = [&](int v) { return v < 0 || !s.scored ? ordered_json(nullptr) : ordered_json(v); };
  ordered_json areas = ordered_json::object();
  for (const auto& a : s.areas) areas[a.area] = score(a.score);
  ordered_json j = {{"overall", score(s.overall)}};
  if (!s.scored) j["score_reason"] = s.score_reason;
  j["areas"] = areas;
  j["maturity"] = s.scored ? ordered_json(s.maturity) : ordered_json(nullptr);
  j["maturity_name"] = s.scored ? ordered_json(s.maturity_name) : ordered_json(nullptr);
  j["maturity_reason"] = s.maturity_reason;
  return j;
}

}  // namespace

std::string render_json(const ReportInput& in) {
  const CheckResult& r = in.result;
  ordered_json j;
  // Schema 2: profile-independent statuses with `partial`, project kinds, nullable scores.
  j["schema"] = 2;
  j["tool"] = {{"name", "mlops-lint"}, {"version", MLOPS_LINT_VERSION}};
  j["root"] = ".";
  j["profile"] = sanitize_utf8(in.profile);
  std::vector<PracticeStatus> merged = merged_practices(r);
  j["practices"] = practices_json(merged);
  j["scores"] = scores_json(compute_scores(merged, scored_projects(r.projects)));
  ordered_json findings = ordered_json::array();
  std::map<Severity, size_t> counts;
  size_t suppressed = 0;
  for (const auto& f : r.findings) {
    const Rule* rule = in.rules.find(f.rule_id);
    ordered_json fj = {{"rule", f.rule_id},
                       {"name", rule ? rule->name : ""},
                       {"practice", rule ? rule->practice : ""},
                       {"severity", to_string(f.severity)},
                       {"message", sanitize_utf8(f.message)}};
    set_path(fj, f.where.path);
    fj["line"] = f.where.line;
    fj["column"] = f.where.column;
    if (f.where.cell > 0) {
      fj["cell"] = f.where.cell;
      fj["cell_line"] = f.where.cell_line;
    }
    fj["project"] = sanitize_utf8(f.project);
    fj["kind"] = f.project_level ? "project" : "location";
    fj["fingerprint"] = f.fingerprint;
    fj["help"] = rule_help_uri(f.rule_id);
    if (f.suppressed) {
      fj["suppressed"] = true;
      fj["justification"] = sanitize_utf8(f.justification);
      ++suppressed;
    } else {
      ++counts[f.severity];
    }
    if (f.fix) fj["fix"] = fix_json(*f.fix);
    findings.push_back(std::move(fj));
  }
  j["findings"] = std::move(findings);
  ordered_json diags = ordered_json::array();
  for (const auto& d : r.diagnostics) {
    ordered_json dj = ordered_json::object();
    set_path(dj, d.where.path);
    dj["line"] = d.where.line;
    dj["message"] = sanitize_utf8(d.message);
    diags.push_back(std::move(dj));
  }
  j["diagnostics"] = std::move(diags);
  ordered_json projects = ordered_json::array();
  for (const auto& p : r.projects) {
    ordered_json results = ordered_json::array();
    for (const auto& res : p.results) {
      ordered_json rj = {{"rule", res.rule_id}, {"outcome", to_string(res.outcome)}};
      if (!res.reason.empty()) rj["reason"] = sanitize_utf8(res.reason);
      // Outside the profile: what the files say, which the practice status is made of.
      if (res.observed != res.outcome) rj["observed"] = to_string(res.observed);
      ordered_json ev = ordered_json::array();
      for (const auto& e : res.evidence) ev.push_back(location_json(e));
      rj["evidence"] = std::move(ev);
      results.push_back(std::move(rj));
    }
    const Scores ps = compute_scores(p.practices, kind_is_scored(p.kind));
    ordered_json pj = {{"root", sanitize_utf8(p.root)}, {"kind", p.kind}, {"kind_reasons", p.kind_reasons}};
    pj["score"] = ps.scored && ps.overall >= 0 ? ordered_json(ps.overall) : ordered_json(nullptr);
    if (!ps.scored) pj["score_reason"] = ps.score_reason;
    pj["conditions"] = p.conditions;
    pj["scores"] = scores_json(ps);
    pj["practices"] = practices_json(p.practices);
    pj["results"] = std::move(results);
    projects.push_back(std::move(pj));
  }
  j["projects"] = std::move(projects);
  j["summary"] = {
      {"files", r.files_listed},           {"findings", r.findings.size() - suppressed},
      {"suppressed", suppressed},          {"baselined", r.baselined},
      {"errors", counts[Severity::Error]}, {"warnings", counts[Severity::Warning]},
      {"info", counts[Severity::Info]},    {"fail_on", in.fail_on ? to_string(*in.fail_on) : "never"},
      {"failing", failing_findings(in)}};
  // Belt and braces: anything not sanitised above still cannot make the dump throw.
  return j.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace mlops
