// Audit reports: the terminal table, JSON (and reading it back for `merge`), CSV and Markdown
// here, the self-contained HTML page in audit_report_html.cc; what they share is in
// audit_report_parts.h.
#include "audit/audit_report.h"
#include "util/escape.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "audit/audit_report_parts.h"
#include "report/report.h"
#include "util/strings.h"

namespace mlops {
namespace audit_report_detail {

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

std::string score_text(int v) {
  return v < 0 ? "-" : std::to_string(v);
}

size_t count(const RepoAudit& r, Severity s) {
  auto it = r.findings.find(s);
  return it == r.findings.end() ? 0 : it->second;
}

// The score as a person reads it: "error", an em dash when there is none to give.
std::string shown_score(const RepoAudit& r) {
  if (!r.error.empty()) return "error";
  return r.scores.overall < 0 ? "\u2014" : std::to_string(r.scores.overall);
}

std::string shown_maturity(const RepoAudit& r) {
  if (!r.error.empty()) return "";
  if (!r.kind.ml) return "not an ML project";
  return fmt::format("{} {}", r.scores.maturity, r.scores.maturity_name);
}

std::string trend_text(const RepoAudit& r, bool arrows) {
  auto t = score_trend(r);
  if (!t) return "";
  if (!arrows) return *t > 0 ? "+" + std::to_string(*t) : std::to_string(*t);
  if (*t > 0) return "\u2191 +" + std::to_string(*t);
  if (*t < 0) return "\u2193 " + std::to_string(*t);
  return "\u2192 0";
}

const PracticeStatus* find_practice(const RepoAudit& r, const std::string& slug) {
  for (const auto& p : r.practices)
    if (p.practice == slug) return &p;
  return nullptr;
}

// The columns of the summary, shared by the HTML, Markdown and CSV renderings.
const std::vector<std::string>& summary_header() {
  static const std::vector<std::string> h = {
      "repository", "kind", "score", "maturity", "why this maturity", "trend", "errors", "warnings", "info"};
  return h;
}

std::vector<std::string> summary_cells(const RepoAudit& r, bool arrows) {
  if (!r.error.empty()) return {r.name, "", "error", "", r.error, "", "", "", ""};
  return {r.name,
          r.kind.kind,
          shown_score(r),
          shown_maturity(r),
          maturity_reason(r),
          trend_text(r, arrows),
          std::to_string(count(r, Severity::Error)),
          std::to_string(count(r, Severity::Warning)),
          std::to_string(count(r, Severity::Info))};
}

// Practices ranked by the number of repositories missing them (then by share), weakest first.
std::vector<Weak> weakest(const std::vector<RepoAudit>& repos) {
  std::map<std::string, Weak> counts;
  for (const auto& r : repos) {
    if (!r.error.empty() || !r.kind.ml) continue;
    for (const auto& p : r.practices) {
      if (p.status == "not_applicable") continue;
      Weak& c = counts[p.practice];
      c.practice = p.practice;
      ++c.applicable;
      if (p.status != "present") ++c.missing;
    }
  }
  std::vector<Weak> out;
  for (auto& [_, w] : counts)
    if (w.missing > 0) out.push_back(w);
  std::stable_sort(out.begin(), out.end(), [](const Weak& a, const Weak& b) {
    if (a.missing != b.missing) return a.missing > b.missing;
    return a.missing * b.applicable > b.missing * a.applicable;
  });
  return out;
}

}  // namespace audit_report_detail

namespace {

using nlohmann::ordered_json;
using namespace audit_report_detail;

ordered_json score_json(int v) {
  return v < 0 ? ordered_json(nullptr) : ordered_json(v);
}

ordered_json history_json(const HistoryPoint& h) {
  ordered_json areas = ordered_json::object();
  for (const auto& [a, v] : h.areas) areas[a] = score_json(v);
  return {{"commit", h.commit},      {"date", h.date},      {"score", score_json(h.score)},
          {"maturity", h.maturity},  {"categories", areas}, {"appeared", h.appeared},
          {"regressed", h.regressed}};
}

std::string json(const std::vector<RepoAudit>& repos, const std::string& profile, bool with_findings) {
  ordered_json arr = ordered_json::array();
  for (const auto& r : repos) {
    ordered_json areas = ordered_json::object();
    for (const auto& a : r.scores.areas) areas[sanitize_utf8(a.area)] = score_json(a.score);
    ordered_json practices = ordered_json::object();
    for (const auto& p : r.practices) practices[sanitize_utf8(p.practice)] = sanitize_utf8(p.status);
    ordered_json history = ordered_json::array();
    for (const auto& h : r.history) history.push_back(history_json(h));
    ordered_json next = ordered_json::array();
    for (const auto& s : next_steps(r, 3))
      next.push_back({{"practice", s.practice}, {"score", score_json(s.score)}, {"maturity", s.maturity}});
    // JSON holds UTF-8 only (the dump replaces what is not); a path that is not keeps its bytes,
    // percent-encoded, in path_bytes.
    ordered_json j = {{"name", r.name},
                      {"path", r.path},
                      {"commit", r.commit},
                      {"kind", r.kind.kind},
                      {"ml_project", r.kind.ml},
                      {"score", score_json(r.scores.overall)},
                      {"maturity", r.scores.maturity},
                      {"maturity_name", r.scores.maturity_name},
                      {"maturity_reason", maturity_reason(r)},
                      {"next_steps", next},
                      {"categories", areas},
                      {"practices", practices},
                      {"findings", r.total_findings},
                      {"findings_by_severity",
                       {{"error", count(r, Severity::Error)},
                        {"warning", count(r, Severity::Warning)},
                        {"info", count(r, Severity::Info)}}},
                      {"history", history}};
    if (with_findings && r.findings_listed) {
      ordered_json list = ordered_json::array();
      for (const auto& f : r.finding_list)
        list.push_back({{"rule", f.rule_id},
                        {"severity", to_string(f.severity)},
                        {"practice", f.practice},
                        {"location", f.location},
                        {"message", f.message},
                        {"summary", f.summary},
                        {"help", rule_help_uri(f.rule_id)}});
      j["finding_list"] = list;
    }
    if (!valid_utf8(r.path)) j["path_bytes"] = percent_encode(r.path);
    if (!r.since_last_run.empty()) j["since_last_run"] = r.since_last_run;
    if (!r.error.empty()) j["error"] = r.error;
    arr.push_back(std::move(j));
  }
  ordered_json doc = {{"tool", {{"name", "mlops-lint"}, {"version", MLOPS_LINT_VERSION}}},
                      {"profile", sanitize_utf8(profile)},
                      {"repos", arr}};
  // Belt and braces: anything not sanitised above still cannot make the dump throw.
  return doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::string csv_field(const std::string& raw) {
  // Printed to terminals too: nothing in a name may drive one.
  std::string s = escape_terminal(raw);
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csv(const std::vector<RepoAudit>& repos) {
  // The summary columns (maturity split into level and name, as data wants), then a column per
  // practice.
  std::string out =
      "name,path,commit,kind,score,maturity,maturity_name,maturity_reason,trend,errors,warnings,infos,"
      "findings";
  const auto& practices = known_practices();
  for (const auto& p : practices) out += "," + p;
  out += "\n";
  for (const auto& r : repos) {
    out += fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{},{},{}", csv_field(r.name), csv_field(r.path), csv_field(r.commit),
        csv_field(r.kind.kind), r.error.empty() ? score_text(r.scores.overall) : "error", r.scores.maturity,
        csv_field(r.kind.ml ? r.scores.maturity_name : "not an ML project"),
        csv_field(r.error.empty() ? maturity_reason(r) : r.error), trend_text(r, false),
        count(r, Severity::Error), count(r, Severity::Warning), count(r, Severity::Info), r.total_findings);
    for (const auto& slug : practices) {
      const PracticeStatus* p = find_practice(r, slug);
      out += "," + (p ? p->status : std::string());
    }
    out += "\n";
  }
  return out;
}

std::string table(const std::vector<RepoAudit>& repos, const std::string& profile) {
  // Names, paths and errors come from the repositories (or a merged report): terminal-safe.
  auto t = [](const std::string& s) { return escape_terminal(s); };
  size_t w = 10, kw = 4;
  bool changes = false;
  for (const auto& r : repos) {
    w = std::max(w, t(r.name).size());
    kw = std::max(kw, t(r.kind.kind).size());
    changes = changes || !r.since_last_run.empty();
  }
  std::string out = fmt::format("{:<{}}  {:<{}}  {:>5}  {:<18}  {:>6}  {:>8}  {:<12}  {}\n", "repository", w,
                                "kind", kw, "score", "maturity", "trend", "findings", "commit",
                                changes ? "since last run" : "missing practices");
  for (const auto& r : repos) {
    if (!r.error.empty()) {
      out += fmt::format("{:<{}}  error: {}\n", t(r.name), w, t(r.error));
      continue;
    }
    std::string last;
    if (changes) {
      last = r.since_last_run;
    } else {
      for (const auto& p : r.practices)
        if (p.status == "missing") last += (last.empty() ? "" : ", ") + t(p.practice);
    }
    out +=
        fmt::format("{:<{}}  {:<{}}  {:>5}  {:<18}  {:>6}  {:>8}  {:<12}  {}\n", t(r.name), w, t(r.kind.kind),
                    kw, score_text(r.scores.overall), r.kind.ml ? t(shown_maturity(r)) : "not an ML project",
                    trend_text(r, false), r.total_findings, r.commit.empty() ? "-" : t(r.commit), t(last));
  }
  bool unchanged = changes && std::all_of(repos.begin(), repos.end(), [](const RepoAudit& r) {
                     return r.since_last_run == "no change since last run";
                   });
  out +=
      fmt::format("\n{} repositor{} audited; profile {}{}\n", repos.size(), repos.size() == 1 ? "y" : "ies",
                  t(profile), unchanged ? "; no change since last run" : "");
  return out;
}

// A table cell: markdown and HTML inert, one line.
std::string md_cell(const std::string& s) {
  std::string out = escape_markdown(s);
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out;
}

std::string markdown(const std::vector<RepoAudit>& repos, const std::string& profile) {
  std::string out = fmt::format("# mlops-lint audit\n\nProfile {}, {} repositories.\n\n",
                                markdown_code(profile), repos.size());
  const auto& header = summary_header();
  out += "|";
  for (const auto& h : header) out += " " + h + " |";
  out += " commit |\n|";
  for (size_t i = 0; i <= header.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& r : repos) {
    out += "|";
    for (const auto& c : summary_cells(r, true)) out += " " + md_cell(c) + " |";
    out += r.commit.empty() ? " |\n" : " " + markdown_code(r.commit) + " |\n";
  }
  out += "\n## Weakest practices\n\n| practice | repositories missing it |\n|---|---|\n";
  for (const auto& w : weakest(repos))
    out += fmt::format("| {} | {} of {} |\n", md_cell(w.practice), w.missing, w.applicable);
  return out;
}

}  // namespace

std::string maturity_reason(const RepoAudit& r) {
  if (!r.error.empty()) return "";
  if (!r.kind.ml) return "no ML code found";
  int next = r.scores.maturity + 1;
  if (r.scores.overall < 0) return "no practice applies";
  if (next > 3) return "every expected practice is present";
  std::vector<std::string> blockers;
  for (const auto& p : r.practices)
    if (p.status != "present" && p.status != "not_applicable" && practice_level(p.practice) == next)
      blockers.push_back(p.status == "missing" ? p.practice : p.practice + " (" + p.status + ")");
  if (blockers.empty()) return "";
  return fmt::format("level {} ({}) needs {}", next, maturity_level_name(next), join(blockers, ", "));
}

std::vector<NextStep> next_steps(const RepoAudit& r, size_t limit) {
  std::vector<NextStep> out;
  if (!r.error.empty() || !r.kind.ml) return out;
  for (size_t i = 0; i < r.practices.size(); ++i) {
    const auto& p = r.practices[i];
    if (p.status == "present" || p.status == "not_applicable") continue;
    std::vector<PracticeStatus> fixed = r.practices;
    fixed[i].status = "present";
    Scores s = compute_scores(fixed);
    out.push_back({p.practice, s.overall, s.maturity});
  }
  // Whatever lifts maturity first, then the score; lower-level practices before higher ones.
  std::stable_sort(out.begin(), out.end(), [](const NextStep& a, const NextStep& b) {
    if (a.maturity != b.maturity) return a.maturity > b.maturity;
    if (a.score != b.score) return a.score > b.score;
    return practice_level(a.practice) < practice_level(b.practice);
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::optional<int> score_trend(const RepoAudit& r) {
  const HistoryPoint *newest = nullptr, *oldest = nullptr;
  for (const auto& h : r.history) {
    if (h.score < 0) continue;
    if (!newest) newest = &h;
    oldest = &h;
  }
  if (!newest || newest == oldest) return std::nullopt;
  return newest->score - oldest->score;
}

bool parse_audit_json(const std::string& text, std::vector<RepoAudit>& out, std::string& error) {
  ordered_json j = ordered_json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("repos") || !j["repos"].is_array()) {
    error = "not an mlops-lint audit JSON report";
    return false;
  }
  auto num = [](const ordered_json& v) { return v.is_number_integer() ? v.get<int>() : -1; };
  auto strings = [](const ordered_json& v) {
    std::vector<std::string> s;
    if (v.is_array())
      for (const auto& e : v)
        if (e.is_string()) s.push_back(e.get<std::string>());
    return s;
  };
  try {
    for (const auto& r : j["repos"]) {
      RepoAudit a;
      a.name = r.value("name", "");
      a.path = r.value("path", "");
      a.commit = r.value("commit", "");
      a.error = r.value("error", "");
      a.kind.kind = r.value("kind", "");
      a.kind.ml = r.value("ml_project", true);
      a.since_last_run = r.value("since_last_run", "");
      a.scores.overall = num(r.value("score", ordered_json()));
      a.scores.maturity = r.value("maturity", 0);
      a.scores.maturity_name = r.value("maturity_name", "");
      a.total_findings = r.value("findings", size_t{0});
      if (r.contains("findings_by_severity") && r["findings_by_severity"].is_object()) {
        const auto& f = r["findings_by_severity"];
        for (auto [key, sev] :
             {std::pair{"error", Severity::Error}, {"warning", Severity::Warning}, {"info", Severity::Info}})
          if (f.value(key, size_t{0}) > 0) a.findings[sev] = f.value(key, size_t{0});
      }
      if (r.contains("categories") && r["categories"].is_object())
        for (const auto& [area, v] : r["categories"].items()) a.scores.areas.push_back({area, num(v), 0, 0});
      if (r.contains("practices") && r["practices"].is_object())
        for (const auto& [slug, v] : r["practices"].items())
          a.practices.push_back({slug, v.is_string() ? v.get<std::string>() : "not_applicable", {}, {}});
      a.findings_listed = r.contains("finding_list") && r["finding_list"].is_array();
      if (a.findings_listed)
        for (const auto& f : r["finding_list"]) {
          AuditFinding af;
          af.rule_id = f.value("rule", "");
          af.severity = parse_severity(f.value("severity", "warning")).value_or(Severity::Warning);
          af.practice = f.value("practice", "");
          af.location = f.value("location", "");
          af.message = f.value("message", "");
          af.summary = f.value("summary", "");
          a.finding_list.push_back(std::move(af));
        }
      if (r.contains("history") && r["history"].is_array())
        for (const auto& h : r["history"]) {
          HistoryPoint p;
          p.commit = h.value("commit", "");
          p.date = h.value("date", "");
          p.score = num(h.value("score", ordered_json()));
          p.maturity = h.value("maturity", 0);
          if (h.contains("categories") && h["categories"].is_object())
            for (const auto& [area, v] : h["categories"].items()) p.areas[area] = num(v);
          p.appeared = strings(h.value("appeared", ordered_json()));
          p.regressed = strings(h.value("regressed", ordered_json()));
          a.history.push_back(std::move(p));
        }
      out.push_back(std::move(a));
    }
  } catch (const nlohmann::json::exception& e) {
    error = std::string("malformed audit report: ") + e.what();
    return false;
  }
  return true;
}

std::vector<std::string> shard_repositories(std::vector<std::string> repos, size_t index, size_t count) {
  std::sort(repos.begin(), repos.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < repos.size(); ++i)
    if (count > 0 && i % count == index - 1) out.push_back(repos[i]);
  return out;
}

const std::vector<std::string>& audit_formats() {
  static const std::vector<std::string> formats = {"table", "json", "csv", "markdown", "html"};
  return formats;
}

std::string render_audit(const std::string& format, const std::vector<RepoAudit>& repos,
                         const std::string& profile, bool with_findings) {
  if (format == "table") return table(repos, profile);
  if (format == "json") return json(repos, profile, with_findings);
  if (format == "csv") return csv(repos);
  if (format == "markdown") return markdown(repos, profile);
  if (format == "html") return audit_report_detail::html(repos, profile, with_findings);
  return {};
}

}  // namespace mlops
