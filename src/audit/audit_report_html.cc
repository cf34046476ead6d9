// The audit's HTML page (`audit --format html`). The page is one file: inline CSS and SVG, no
// scripts, nothing fetched but the links to rule documentation a reader may follow.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "audit/audit_report.h"
#include "audit/audit_report_parts.h"
#include "report/report.h"
#include "util/escape.h"
#include "util/strings.h"

namespace mlops::audit_report_detail {
namespace {

// Finding lines shown per practice in the HTML page; the rest are counted (JSON has them all).
constexpr size_t kFindingsShownPerPractice = 25;

// Every text node and attribute value of the page goes through this one escaper.
std::string esc(const std::string& s) {
  return escape_html(s);
}

// A status names a CSS class; statuses read from a merged report are untrusted, so only the
// known ones become classes.
std::string status_class(const std::string& status) {
  for (const char* known : {"present", "partial", "missing", "not_applicable"})
    if (status == known) return status;
  return "unknown";
}

struct ChartPoint {
  std::string date, commit;
  int value = -1;
  std::vector<std::string> appeared, regressed;
};

// A line chart of 0-100 values over commits (oldest first), with labelled axes, dates, values
// and markers where practices appeared (green, up) or regressed (red, down).
std::string chart_svg(const std::string& title, const std::vector<ChartPoint>& pts, bool large) {
  const int w = large ? 640 : 320, h = large ? 220 : 150;
  const int left = 40, right = 12, top = large ? 24 : 20, bottom = 34;
  const double pw = w - left - right, ph = h - top - bottom;
  auto x_of = [&](size_t i) {
    return left +
           (pts.size() < 2 ? pw / 2 : pw * static_cast<double>(i) / static_cast<double>(pts.size() - 1));
  };
  auto y_of = [&](int v) { return top + ph - ph * v / 100.0; };
  std::string s = fmt::format(
      "<figure class=\"chart\"><svg viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\" "
      "preserveAspectRatio=\"xMidYMid meet\"><title>{}</title>",
      w, h, esc(title), esc(title));
  s += fmt::format("<text x=\"{}\" y=\"13\" class=\"ct\">{}</text>", left, esc(title));
  // Axes: score 0-100 with a grid, commit dates along the bottom.
  for (int v = 0; v <= 100; v += 25)
    s += fmt::format(
        "<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" class=\"grid\"/><text x=\"{}\" y=\"{:.1f}\" "
        "class=\"yl\">{}</text>",
        left, w - right, y_of(v), y_of(v), left - 4, y_of(v) + 3, v);
  s += fmt::format(
      "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2:.1f}\" class=\"axis\"/><line x1=\"{0}\" x2=\"{3}\" "
      "y1=\"{2:.1f}\" y2=\"{2:.1f}\" class=\"axis\"/>",
      left, top, top + ph, w - right);
  s += fmt::format("<text transform=\"translate(10 {:.1f}) rotate(-90)\" class=\"al\">score</text>",
                   top + ph / 2);
  s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"al\">commit date</text>", left + pw / 2, h - 2);
  size_t labels = std::min<size_t>(pts.size(), large ? 6 : 2);  // small charts: first and last date
  std::vector<size_t> labelled;
  for (size_t k = 0; k < labels; ++k) {
    size_t i = labels == 1 ? 0 : k * (pts.size() - 1) / (labels - 1);
    if (!labelled.empty() && labelled.back() == i) continue;
    labelled.push_back(i);
    const char* anchor = i == 0 && pts.size() > 1                ? "start"
                         : i + 1 == pts.size() && pts.size() > 1 ? "end"
                                                                 : "middle";
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"xl\" text-anchor=\"{}\">{}</text>", x_of(i),
                     top + ph + 13, anchor, esc(pts[i].date));
  }
  // The line, broken where a commit has no score.
  std::string path;
  bool pen = false;
  for (size_t i = 0; i < pts.size(); ++i) {
    if (pts[i].value < 0) {
      pen = false;
      continue;
    }
    path += fmt::format("{}{:.1f},{:.1f} ", pen ? "L" : "M", x_of(i), y_of(pts[i].value));
    pen = true;
  }
  if (!path.empty()) s += "<path class=\"line\" d=\"" + path + "\"/>";
  bool every_value = pts.size() <= (large ? 16u : 8u);
  for (size_t i = 0; i < pts.size(); ++i) {
    const ChartPoint& p = pts[i];
    if (p.value >= 0) {
      s += fmt::format(
          "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" class=\"pt\"><title>{} {}: {}</title></circle>",
          x_of(i), y_of(p.value), esc(p.commit), esc(p.date), p.value);
      if (every_value || i == 0 || i + 1 == pts.size())
        s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"vl\" text-anchor=\"{}\">{}</text>", x_of(i),
                         y_of(p.value) - 6,
                         i == 0 && pts.size() > 1 ? "start"
                         : i + 1 == pts.size()    ? "end"
                                                  : "middle",
                         p.value);
    }
    if (!p.appeared.empty())
      s += fmt::format(
          "<path class=\"up\" d=\"M{0:.1f},{1:.1f} l-5,8 h10 z\"><title>{2} {3}: {4} appeared</title></path>",
          x_of(i), top + ph - 10, esc(p.commit), esc(p.date), esc(join(p.appeared, ", ")));
    if (!p.regressed.empty())
      s += fmt::format(
          "<path class=\"down\" d=\"M{0:.1f},{1:.1f} l-5,-8 h10 z\"><title>{2} {3}: {4} "
          "regressed</title></path>",
          x_of(i), top + 10.0, esc(p.commit), esc(p.date), esc(join(p.regressed, ", ")));
  }
  s += "</svg></figure>";
  return s;
}

// Overall and per-area charts of a repository's history, with the changes listed in words.
std::string trend_charts(const RepoAudit& r) {
  std::vector<const HistoryPoint*> hist;
  for (auto it = r.history.rbegin(); it != r.history.rend(); ++it) hist.push_back(&*it);  // oldest first
  if (hist.size() < 2) return "";
  auto points = [&](const std::string& area) {
    std::vector<ChartPoint> pts;
    for (const HistoryPoint* h : hist) {
      ChartPoint p{h->date, h->commit, h->score, h->appeared, h->regressed};
      if (!area.empty()) {
        auto it = h->areas.find(area);
        p.value = it == h->areas.end() ? -1 : it->second;
        p.appeared.clear();
        p.regressed.clear();
        for (const auto& s : h->appeared)
          if (practice_area(s) == area) p.appeared.push_back(s);
        for (const auto& s : h->regressed)
          if (practice_area(s) == area) p.regressed.push_back(s);
      }
      pts.push_back(std::move(p));
    }
    return pts;
  };
  std::string out = "<h4>Trend over " + std::to_string(hist.size()) + " commits</h4>\n<div class=\"charts\">";
  out += chart_svg("overall score", points(""), true);
  for (const auto& a : r.scores.areas) {
    auto pts = points(a.area);
    if (std::any_of(pts.begin(), pts.end(), [](const ChartPoint& p) { return p.value >= 0; }))
      out += chart_svg(a.area + " score", pts, false);
  }
  out += "</div>\n";
  std::string changes;
  for (const HistoryPoint* h : hist) {
    if (h->appeared.empty() && h->regressed.empty()) continue;
    changes += "<li><code>" + esc(h->commit) + "</code> " + esc(h->date) + ": ";
    if (!h->appeared.empty())
      changes += "<span class=\"good\">+ " + esc(join(h->appeared, ", ")) + "</span> ";
    if (!h->regressed.empty())
      changes += "<span class=\"bad\">&minus; " + esc(join(h->regressed, ", ")) + "</span>";
    changes += "</li>";
  }
  if (!changes.empty())
    out += "<p>Practices that appeared (+) or regressed (&minus;):</p><ul class=\"changes\">" + changes +
           "</ul>\n";
  return out;
}

// The hover text of a heatmap cell: the evidence of a present practice, the finding of a
// missing one.
std::string cell_title(const RepoAudit& r, const std::string& slug, const PracticeStatus* p) {
  std::string status = p ? p->status : "not_applicable";
  std::string t = slug + ": " + status;
  if (p && status == "present" && !p->evidence.empty()) {
    t += " \u2014 ";
    for (size_t i = 0; i < p->evidence.size() && i < 3; ++i)
      t += (i ? ", " : "") + p->evidence[i].path +
           (p->evidence[i].line ? ":" + std::to_string(p->evidence[i].line) : "");
    if (p->evidence.size() > 3) t += fmt::format(" and {} more", p->evidence.size() - 3);
  } else if (status != "present" && status != "not_applicable") {
    for (const auto& f : r.finding_list)
      if (f.practice == slug) {
        t += " \u2014 " + f.rule_id + ": " + f.message;
        break;
      }
  }
  return t;
}

const char* status_mark(const std::string& status) {
  if (status == "present") return "\u2713";
  if (status == "missing") return "\u2717";
  if (status == "partial") return "~";
  return "";
}

constexpr const char* kStyle = R"css(
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:16px 24px;color:#1f2328;max-width:none}
h1{margin:0 0 4px}h2{margin-top:28px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0}
th,td{border:1px solid #d0d7de;padding:3px 6px;font-size:13px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
table.summary{width:100%}td.num{text-align:right;font-variant-numeric:tabular-nums}
.wrap{overflow-x:auto;max-width:100%}
table.heat td.cell{padding:0;width:22px;min-width:18px;text-align:center}
table.heat td.cell a{display:block;color:#fff;text-decoration:none;line-height:22px}
th.v{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;white-space:nowrap}
td.present{background:#2da44e}td.missing{background:#cf222e}td.partial{background:#d4a72c}
td.not_applicable{background:#eaeef2}
.bar{display:inline-block;height:10px;background:#cf222e}
.small{font-size:12px;color:#57606a}
.repos{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(560px,100%),1fr));gap:16px}
section.repo{border:1px solid #d0d7de;border-radius:6px;padding:8px 16px;min-width:0}
section.repo h3{margin:6px 0}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(240px,100%),1fr));gap:8px}
.charts figure{margin:0}.charts figure:first-child{grid-column:1/-1;max-width:760px}
svg{width:100%;height:auto;background:#fff}
svg .grid{stroke:#eaeef2}svg .axis{stroke:#57606a}svg .line{fill:none;stroke:#0969da;stroke-width:2}
svg .pt{fill:#0969da}svg .up{fill:#2da44e}svg .down{fill:#cf222e}
svg text{font-size:10px;fill:#57606a}svg .ct{font-size:12px;fill:#1f2328;font-weight:600}
svg .yl{text-anchor:end}svg .al{text-anchor:middle;font-style:italic}svg .vl{fill:#1f2328}
.good{color:#1a7f37}.bad{color:#cf222e}
ul.findings{margin:4px 0 8px;padding-left:18px}ul.findings li{font-size:13px;margin:2px 0}
.sev-error{color:#cf222e;font-weight:600}.sev-warning{color:#9a6700}.sev-info{color:#57606a}
@page{size:A4 landscape;margin:12mm}
@media print{
 body{margin:0;font-size:11px}
 td,th,.bar,svg{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 .wrap{overflow:visible}
 .repos{display:block}
 section.repo{break-inside:avoid-page;margin-bottom:10px}
 h2{break-after:avoid}
 a{color:inherit;text-decoration:none}
 .charts{grid-template-columns:repeat(3,1fr)}
}
)css";

}  // namespace

std::string html(const std::vector<RepoAudit>& repos, const std::string& profile, bool with_findings) {
  const auto& practices = known_practices();
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>mlops-lint audit</title>\n<style>";
  out += kStyle;
  out += "</style></head><body>\n";
  size_t ml = std::count_if(repos.begin(), repos.end(),
                            [](const RepoAudit& r) { return r.error.empty() && r.kind.ml; });
  out += fmt::format(
      "<h1>mlops-lint audit</h1><p class=\"small\">{} repositories ({} ML projects), profile "
      "<code>{}</code>, "
      "mlops-lint {}.</p>\n",
      repos.size(), ml, esc(profile), MLOPS_LINT_VERSION);

  // Summary: one line per repository.
  out += "<h2 id=\"summary\">Summary</h2>\n<div class=\"wrap\"><table class=\"summary\"><thead><tr>";
  for (const auto& h : summary_header()) out += "<th>" + esc(h) + "</th>";
  out += "</tr></thead><tbody>\n";
  for (size_t i = 0; i < repos.size(); ++i) {
    const RepoAudit& r = repos[i];
    auto cells = summary_cells(r, true);
    out += fmt::format("<tr><td><a href=\"#repo-{}\">{}</a></td>", i + 1, esc(cells[0]));
    for (size_t c = 1; c < cells.size(); ++c)
      out += std::string(c == 2 || c >= 5 ? "<td class=\"num\">" : "<td>") + esc(cells[c]) + "</td>";
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n";

  // Heatmap: repositories x practices, each cell a link to the repository's section.
  out +=
      "<h2 id=\"heatmap\">Practices by repository</h2>\n<div class=\"wrap\"><table class=\"heat\"><thead><tr>"
      "<th>repository</th><th>score</th>";
  for (const auto& p : practices) out += "<th class=\"v\">" + esc(p) + "</th>";
  out += "</tr></thead><tbody>\n";
  for (size_t i = 0; i < repos.size(); ++i) {
    const RepoAudit& r = repos[i];
    out += fmt::format("<tr><td><a href=\"#repo-{}\">{}</a></td><td class=\"num\">{}</td>", i + 1,
                       esc(r.name), esc(shown_score(r)));
    for (const auto& slug : practices) {
      const PracticeStatus* p = find_practice(r, slug);
      std::string status = p ? p->status : "not_applicable";
      out += fmt::format("<td class=\"cell {}\"><a href=\"#repo-{}\" title=\"{}\">{}</a></td>",
                         status_class(status), i + 1, esc(cell_title(r, slug, p)), status_mark(status));
    }
    out += "</tr>\n";
  }
  out +=
      "</tbody></table></div>\n<p class=\"small\">&#10003; green: present, &#10007; red: missing, ~ amber: "
      "partial, "
      "grey: not applicable. Hover a cell for its evidence or finding; click it for the repository.</p>\n";

  // Weakest practices, by the number of repositories missing them.
  out +=
      "<h2 id=\"weakest\">Weakest practices across the team</h2>\n<table><thead><tr><th>practice</th>"
      "<th>repositories missing it</th><th></th></tr></thead><tbody>\n";
  for (const auto& w : weakest(repos)) {
    int width = w.applicable ? 200 * w.missing / w.applicable : 0;
    out += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{} of {}</td><td><span class=\"bar\" "
        "style=\"width:{}px\"></span></td></tr>\n",
        esc(w.practice), w.missing, w.applicable, width);
  }
  out += "</tbody></table>\n";

  out += "<h2 id=\"repositories\">Repositories</h2>\n<div class=\"repos\">\n";
  for (size_t i = 0; i < repos.size(); ++i) {
    const RepoAudit& r = repos[i];
    out += fmt::format("<section class=\"repo\" id=\"repo-{}\"><h3>{}</h3>\n<p class=\"small\">{}", i + 1,
                       esc(r.name), esc(r.path));
    if (!r.commit.empty()) out += " at <code>" + esc(r.commit) + "</code>";
    if (!r.kind.kind.empty()) out += " &middot; kind: " + esc(r.kind.kind);
    out += "</p>\n";
    if (!r.error.empty()) {
      out += "<p class=\"bad\">error: " + esc(r.error) + "</p></section>\n";
      continue;
    }
    if (!r.since_last_run.empty()) out += "<p>" + esc(r.since_last_run) + "</p>\n";
    out += fmt::format(
        "<p><strong>score {}</strong> &middot; maturity {} &middot; {} findings ({} errors, {} warnings, "
        "{} info)</p>\n<p>{}</p>\n",
        esc(shown_score(r)), esc(shown_maturity(r)), r.total_findings, count(r, Severity::Error),
        count(r, Severity::Warning), count(r, Severity::Info), esc(maturity_reason(r)));
    if (r.kind.ml) {
      out += "<table><tr><th>area</th>";
      for (const auto& a : r.scores.areas) out += "<th>" + esc(a.area) + "</th>";
      out += "</tr><tr><td>score</td>";
      for (const auto& a : r.scores.areas) out += "<td class=\"num\">" + esc(score_text(a.score)) + "</td>";
      out += "</tr></table>\n";
      auto steps = next_steps(r, 3);
      if (!steps.empty()) {
        out += "<h4>What to do next</h4><ol>";
        for (const auto& s : steps)
          out += fmt::format(
              "<li>add <strong>{}</strong>: score {} &rarr; {}{}</li>", esc(s.practice),
              esc(score_text(r.scores.overall)), esc(score_text(s.score)),
              s.maturity > r.scores.maturity
                  ? esc(fmt::format(", maturity {} ({})", s.maturity, maturity_level_name(s.maturity)))
                  : "");
        out += "</ol>\n";
      }
    }
    out += trend_charts(r);
    if (with_findings && !r.findings_listed && r.total_findings > 0)
      out +=
          "<p class=\"small\">The findings themselves are in the audit's own report: this one knows their "
          "counts only.</p>\n";
    if (with_findings && !r.finding_list.empty()) {
      out += "<h4>Findings by practice</h4>\n";
      for (size_t a = 0; a < r.finding_list.size();) {
        size_t b = a;
        while (b < r.finding_list.size() && r.finding_list[b].practice == r.finding_list[a].practice) ++b;
        const std::string& practice = r.finding_list[a].practice;
        out += fmt::format("<h5>{} ({})</h5><ul class=\"findings\">",
                           esc(practice.empty() ? "other" : practice), b - a);
        for (size_t k = a; k < b && k < a + kFindingsShownPerPractice; ++k) {
          const AuditFinding& f = r.finding_list[k];
          std::string sev = to_string(f.severity);
          out += fmt::format("<li><code>{}</code> <span class=\"sev-{}\">{}</span> <a href=\"{}\">{}</a> {}",
                             esc(f.location), esc(sev), esc(sev), esc(rule_help_uri(f.rule_id)),
                             esc(f.rule_id), esc(f.summary));
          if (!f.message.empty() && f.message != f.summary)
            out += " <span class=\"small\">" + esc(f.message) + "</span>";
          out += "</li>";
        }
        if (b - a > kFindingsShownPerPractice)
          out += fmt::format("<li class=\"small\">and {} more (see the JSON report)</li>",
                             b - a - kFindingsShownPerPractice);
        out += "</ul>\n";
        a = b;
      }
    }
    out += "</section>\n";
  }
  out += "</div>\n</body></html>\n";
  return out;
}

}  // namespace mlops::audit_report_detail
