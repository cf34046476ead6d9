// Reports for CI systems: GitHub workflow annotations, GitLab Code Quality, JUnit XML.
#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "report/escape.h"
#include "report/report.h"

namespace mlops {
namespace {

// JUnit XML: one escaper for text and attributes (also drops what XML 1.0 cannot hold).
std::string xml(const std::string& s) { return escape_xml(s); }

}  // namespace

std::string render_github(const ReportInput& in) {
  std::string out;
  std::map<Severity, size_t> per_level;
  for (const auto& f : in.result.findings) {
    if (f.suppressed) continue;
    ++per_level[f.severity];
    const char* cmd = f.severity == Severity::Error ? "error" : f.severity == Severity::Warning ? "warning" : "notice";
    const Rule* rule = in.rules.find(f.rule_id);
    std::string props = "file=" + escape_github_property(f.where.path);
    if (f.where.line > 0) props += ",line=" + std::to_string(f.where.line);
    if (f.where.column > 0) props += ",col=" + std::to_string(f.where.column);
    props += ",title=" + escape_github_property(f.rule_id + (rule ? " " + rule->name : ""));
    out += fmt::format("::{} {}::{}\n", cmd, props, escape_github_data(f.message));
  }
  // GitHub shows at most 10 annotations of each level per step: say where the rest are.
  for (const auto& [sev, n] : per_level)
    if (n > 10)
      out += fmt::format("::notice title=mlops-lint::{} {} findings; GitHub shows 10 annotations per level, the "
                         "text or SARIF report lists all\n",
                         n, to_string(sev));
  return out;
}

std::string render_gitlab(const ReportInput& in) {
  nlohmann::ordered_json issues = nlohmann::ordered_json::array();
  for (const auto& f : in.result.findings) {
    if (f.suppressed) continue;
    const char* sev = f.severity == Severity::Error ? "critical" : f.severity == Severity::Warning ? "major" : "info";
    issues.push_back(
        {{"description", sanitize_utf8(f.rule_id + ": " + f.message)},
         {"check_name", f.rule_id},
         {"fingerprint", f.fingerprint},
         {"severity", sev},
         {"location",
          {{"path", sanitize_utf8(f.where.path)}, {"lines", {{"begin", std::max(1, f.where.line)}}}}}});
  }
  // Belt and braces: anything not sanitised above still cannot make the dump throw.
  return issues.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string render_junit(const ReportInput& in) {
  // One test case per rule and project: failures are its findings, not_applicable is skipped.
  std::string cases;
  size_t tests = 0, failures = 0, skipped = 0;
  std::map<std::pair<std::string, std::string>, std::vector<const Finding*>> by_rule;
  for (const auto& f : in.result.findings)
    if (!f.suppressed) by_rule[{f.project, f.rule_id}].push_back(&f);
  for (const auto& p : in.result.projects)
    for (const auto& res : p.results) {
      ++tests;
      const Rule* rule = in.rules.find(res.rule_id);
      std::string name = res.rule_id + (rule ? " " + rule->name : "");
      std::string cls = "mlops-lint." + (rule ? rule->practice : std::string("unknown"));
      if (in.result.projects.size() > 1) cls += "." + p.root;
      cases += fmt::format("    <testcase classname=\"{}\" name=\"{}\" file=\"{}\">\n", xml(cls), xml(name),
                           xml(rule ? rule->source : ""));
      auto it = by_rule.find({p.root, res.rule_id});
      if (it != by_rule.end()) {
        ++failures;
        std::string body;
        for (const Finding* f : it->second) body += format_location(f->where) + ": " + f->message + "\n";
        cases += fmt::format(
            "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
            xml(std::to_string(it->second.size()) + " finding(s): " + it->second.front()->message),
            xml(rule ? to_string(rule->severity) : "warning"), xml(body));
      } else if (res.outcome == Outcome::NotApplicable || res.outcome == Outcome::Skipped) {
        ++skipped;
        cases += fmt::format("      <skipped message=\"{}\"/>\n", xml(res.reason));
      } else if (res.outcome == Outcome::Error) {
        cases += fmt::format("      <error message=\"{}\"/>\n", xml(res.reason));
      }
      cases += "    </testcase>\n";
    }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mlops-lint\" tests=\"{}\" failures=\"{}\" "
      "skipped=\"{}\">\n  <testsuite name=\"mlops-lint\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n{}  "
      "</testsuite>\n</testsuites>\n",
      tests, failures, skipped, tests, failures, skipped, cases);
}

}  // namespace mlops
