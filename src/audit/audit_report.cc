// Audit reports. The HTML page is one file: inline CSS and SVG, no scripts, nothing fetched.
#include "audit/audit_report.h"
#include "report/escape.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

namespace mlops {
namespace {

using nlohmann::ordered_json;

ordered_json score_json(int v) { return v < 0 ? ordered_json(nullptr) : ordered_json(v); }

std::string score_text(int v) { return v < 0 ? "-" : std::to_string(v); }

std::string json(const std::vector<RepoAudit>& repos, const std::string& profile) {
  ordered_json arr = ordered_json::array();
  for (const auto& r : repos) {
    ordered_json areas = ordered_json::object();
    for (const auto& a : r.scores.areas) areas[sanitize_utf8(a.area)] = score_json(a.score);
    ordered_json practices = ordered_json::object();
    for (const auto& p : r.practices) practices[sanitize_utf8(p.practice)] = sanitize_utf8(p.status);
    ordered_json history = ordered_json::array();
    for (const auto& h : r.history)
      history.push_back({{"commit", sanitize_utf8(h.commit)},
                         {"date", sanitize_utf8(h.date)},
                         {"score", score_json(h.score)},
                         {"maturity", h.maturity}});
    // JSON holds UTF-8 only; a path that is not keeps its bytes, percent-encoded, in path_bytes.
    ordered_json j = {{"name", sanitize_utf8(r.name)}, {"path", sanitize_utf8(r.path)}};
    if (!valid_utf8(r.path)) j["path_bytes"] = percent_encode(r.path);
    j.update(ordered_json{
        {"commit", sanitize_utf8(r.commit)},
        {"score", score_json(r.scores.overall)},
        {"maturity", r.scores.maturity},
        {"maturity_name", sanitize_utf8(r.scores.maturity_name)},
        {"categories", areas},
        {"practices", practices},
        {"findings", r.total_findings},
        {"findings_by_severity",
         {{"error", r.findings.count(Severity::Error) ? r.findings.at(Severity::Error) : 0},
          {"warning", r.findings.count(Severity::Warning) ? r.findings.at(Severity::Warning) : 0},
          {"info", r.findings.count(Severity::Info) ? r.findings.at(Severity::Info) : 0}}},
        {"history", history}});
    if (!r.error.empty()) j["error"] = sanitize_utf8(r.error);
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
  std::string out = "name,path,commit,score,maturity,findings";
  const auto& practices = known_practices();
  for (const auto& p : practices) out += "," + p;
  out += "\n";
  for (const auto& r : repos) {
    out += fmt::format("{},{},{},{},{},{}", csv_field(r.name), csv_field(r.path), csv_field(r.commit),
                       score_text(r.scores.overall), r.scores.maturity, r.total_findings);
    for (const auto& slug : practices) {
      auto it = std::find_if(r.practices.begin(), r.practices.end(), [&](const PracticeStatus& p) { return p.practice == slug; });
      out += "," + (it == r.practices.end() ? std::string("") : csv_field(it->status));
    }
    out += "\n";
  }
  return out;
}

std::string table(const std::vector<RepoAudit>& repos, const std::string& profile) {
  // Names, paths and errors come from the repositories (or a merged report): terminal-safe.
  auto t = [](const std::string& s) { return escape_terminal(s); };
  size_t w = 10;
  for (const auto& r : repos) w = std::max(w, t(r.name).size());
  std::string out = fmt::format("{:<{}}  {:>5}  {:<18}  {:>8}  {:<12}  {}\n", "repository", w, "score", "maturity", "findings",
                                "commit", "missing practices");
  for (const auto& r : repos) {
    if (!r.error.empty()) {
      out += fmt::format("{:<{}}  error: {}\n", t(r.name), w, t(r.error));
      continue;
    }
    std::string missing;
    for (const auto& p : r.practices)
      if (p.status == "missing") missing += (missing.empty() ? "" : ", ") + t(p.practice);
    out +=
        fmt::format("{:<{}}  {:>5}  {:<18}  {:>8}  {:<12}  {}\n", t(r.name), w, score_text(r.scores.overall),
                    fmt::format("{} {}", r.scores.maturity, t(r.scores.maturity_name)), r.total_findings,
                    r.commit.empty() ? "-" : t(r.commit), missing);
  }
  out += fmt::format("\n{} repositor{} audited; profile {}\n", repos.size(), repos.size() == 1 ? "y" : "ies",
                     t(profile));
  return out;
}

// Share of repositories missing each practice (among those where it applies), weakest first.
std::vector<std::pair<std::string, std::pair<int, int>>> weakest(const std::vector<RepoAudit>& repos) {
  std::map<std::string, std::pair<int, int>> counts;  // missing, applicable
  for (const auto& r : repos)
    for (const auto& p : r.practices) {
      if (p.status == "not_applicable") continue;
      auto& c = counts[p.practice];
      ++c.second;
      if (p.status == "missing") ++c.first;
    }
  std::vector<std::pair<std::string, std::pair<int, int>>> out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second.first * b.second.second > b.second.first * a.second.second;
  });
  return out;
}

std::string markdown(const std::vector<RepoAudit>& repos, const std::string& profile) {
  std::string out = fmt::format("# mlops-lint audit\n\nProfile {}, {} repositories.\n\n",
                                markdown_code(profile), repos.size());
  out += "| repository | score | maturity | findings | commit |\n|---|---|---|---|---|\n";
  for (const auto& r : repos)
    out += fmt::format("| {} | {} | {} ({}) | {} | {} |\n", escape_markdown(r.name),
                       r.error.empty() ? score_text(r.scores.overall) : "error", r.scores.maturity,
                       escape_markdown(r.scores.maturity_name), r.total_findings, markdown_code(r.commit));
  out += "\n## Weakest practices\n\n| practice | repositories missing it |\n|---|---|\n";
  for (const auto& [p, c] : weakest(repos))
    if (c.first > 0) out += fmt::format("| {} | {} of {} |\n", escape_markdown(p), c.first, c.second);
  return out;
}

// Every text node and attribute value of the page goes through this one escaper.
std::string esc(const std::string& s) { return escape_html(s); }

// A status names a CSS class; statuses read from a merged report are untrusted, so only the
// known ones become classes.
std::string status_class(const std::string& status) {
  for (const char* known : {"present", "partial", "missing", "not_applicable"})
    if (status == known) return status;
  return "unknown";
}

std::string trend_svg(const std::vector<HistoryPoint>& history) {
  std::vector<const HistoryPoint*> pts;
  for (auto it = history.rbegin(); it != history.rend(); ++it)
    if (it->score >= 0) pts.push_back(&*it);  // oldest first
  if (pts.size() < 2) return "";
  const int w = 240, h = 60;
  std::string points;
  for (size_t i = 0; i < pts.size(); ++i) {
    double x = 4 + (w - 8) * static_cast<double>(i) / static_cast<double>(pts.size() - 1);
    double y = h - 4 - (h - 8) * pts[i]->score / 100.0;
    points += fmt::format("{:.1f},{:.1f} ", x, y);
  }
  return fmt::format(
      "<svg class=\"trend\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"score trend\">"
      "<rect width=\"{}\" height=\"{}\" fill=\"#f6f8fa\"/><polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\" "
      "points=\"{}\"/></svg><span class=\"small\">{} &rarr; {} ({} commits)</span>",
      w, h, w, h, w, h, points, esc(pts.front()->date), esc(pts.back()->date), pts.size());
}

std::string html(const std::vector<RepoAudit>& repos, const std::string& profile) {
  const auto& practices = known_practices();
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>mlops-lint audit</title>\n<style>\n"
      "body{font-family:system-ui,sans-serif;margin:24px;color:#1f2328}table{border-collapse:collapse;margin:12px 0}"
      "th,td{border:1px solid #d0d7de;padding:4px 8px;font-size:13px}th.v{writing-mode:vertical-rl;transform:rotate(180deg);"
      "font-weight:normal}td.present{background:#2da44e}td.missing{background:#cf222e}td.not_applicable{background:#eaeef2}"
      ".bar{display:inline-block;height:10px;background:#cf222e}.small{font-size:12px;color:#57606a;margin-left:6px}"
      "h2{margin-top:28px}\n</style></head><body>\n";
  out += fmt::format("<h1>mlops-lint audit</h1><p>{} repositories, profile <code>{}</code>, mlops-lint {}.</p>\n", repos.size(),
                     esc(profile), MLOPS_LINT_VERSION);
  out += "<h2>Practices by repository</h2>\n<table><tr><th>repository</th><th>score</th>";
  for (const auto& p : practices) out += "<th class=\"v\">" + esc(p) + "</th>";
  out += "</tr>\n";
  for (const auto& r : repos) {
    out += "<tr><td>" + esc(r.name) + "</td><td>" + (r.error.empty() ? score_text(r.scores.overall) : "error") + "</td>";
    for (const auto& slug : practices) {
      auto it = std::find_if(r.practices.begin(), r.practices.end(), [&](const PracticeStatus& p) { return p.practice == slug; });
      std::string status = it == r.practices.end() ? "not_applicable" : it->status;
      out += "<td class=\"" + status_class(status) + "\" title=\"" +
             esc(r.name + ": " + slug + " " + status) + "\"></td>";
    }
    out += "</tr>\n";
  }
  out += "</table>\n<p class=\"small\">green: present, red: missing, grey: not applicable</p>\n";
  out += "<h2>Weakest practices across the team</h2>\n<table><tr><th>practice</th><th>missing in</th><th></th></tr>\n";
  for (const auto& [p, c] : weakest(repos)) {
    if (c.first == 0) continue;
    int width = c.second ? 200 * c.first / c.second : 0;
    out += fmt::format("<tr><td>{}</td><td>{} of {}</td><td><span class=\"bar\" style=\"width:{}px\"></span></td></tr>\n",
                       esc(p), c.first, c.second, width);
  }
  out += "</table>\n<h2>Repositories</h2>\n";
  for (const auto& r : repos) {
    out += "<h3>" + esc(r.name) + "</h3>\n<p>" + esc(r.path);
    if (!r.commit.empty()) out += " at <code>" + esc(r.commit) + "</code>";
    out += "</p>\n";
    if (!r.error.empty()) {
      out += "<p>error: " + esc(r.error) + "</p>\n";
      continue;
    }
    out += fmt::format("<p>score {} &middot; maturity {} ({}) &middot; {} findings</p>\n<table><tr><th>area</th><th>score</th></tr>",
                       score_text(r.scores.overall), r.scores.maturity, esc(r.scores.maturity_name), r.total_findings);
    for (const auto& a : r.scores.areas) out += "<tr><td>" + esc(a.area) + "</td><td>" + score_text(a.score) + "</td></tr>";
    out += "</table>\n";
    std::string trend = trend_svg(r.history);
    if (!trend.empty()) out += "<p>" + trend + "</p>\n";
  }
  out += "</body></html>\n";
  return out;
}

}  // namespace

bool parse_audit_json(const std::string& text, std::vector<RepoAudit>& out, std::string& error) {
  ordered_json j = ordered_json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("repos") || !j["repos"].is_array()) {
    error = "not an mlops-lint audit JSON report";
    return false;
  }
  auto num = [](const ordered_json& v) { return v.is_number_integer() ? v.get<int>() : -1; };
  try {
    for (const auto& r : j["repos"]) {
      RepoAudit a;
      a.name = r.value("name", "");
      a.path = r.value("path", "");
      a.commit = r.value("commit", "");
      a.error = r.value("error", "");
      a.scores.overall = num(r.value("score", ordered_json()));
      a.scores.maturity = r.value("maturity", 0);
      a.scores.maturity_name = r.value("maturity_name", "");
      a.total_findings = r.value("findings", size_t{0});
      if (r.contains("findings_by_severity") && r["findings_by_severity"].is_object()) {
        const auto& f = r["findings_by_severity"];
        for (auto [key, sev] : {std::pair{"error", Severity::Error}, {"warning", Severity::Warning}, {"info", Severity::Info}})
          if (f.value(key, size_t{0}) > 0) a.findings[sev] = f.value(key, size_t{0});
      }
      if (r.contains("categories") && r["categories"].is_object())
        for (const auto& [area, v] : r["categories"].items()) a.scores.areas.push_back({area, num(v), 0, 0});
      if (r.contains("practices") && r["practices"].is_object())
        for (const auto& [slug, v] : r["practices"].items())
          a.practices.push_back({slug, v.is_string() ? v.get<std::string>() : "not_applicable", {}, {}});
      if (r.contains("history") && r["history"].is_array())
        for (const auto& h : r["history"])
          a.history.push_back({h.value("commit", ""), h.value("date", ""), num(h.value("score", ordered_json())),
                               h.value("maturity", 0)});
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

std::string render_audit(const std::string& format, const std::vector<RepoAudit>& repos, const std::string& profile) {
  if (format == "table") return table(repos, profile);
  if (format == "json") return json(repos, profile);
  if (format == "csv") return csv(repos);
  if (format == "markdown") return markdown(repos, profile);
  if (format == "html") return html(repos, profile);
  return {};
}

}  // namespace mlops
