// Reports for CI systems: GitHub workflow annotations, GitLab Code Quality, JUnit XML.
#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "report/report.h"
#include "util/escape.h"

namespace mlops {
namespace {

// JUnit XML: one escaper for text and attributes (also drops what XML 1.0 cannot hold).
std::string xml(const std::string& s) {
  return escape_xml(s);
}

}  // namespace

std::string render_github(const ReportInput& in) {
  std::string out;
  std::map<Severity, size_t> per_level;
  for (const auto& f : in.result.findings) {
    if (f.suppressed) continue;
    ++per_level[f.severity];
    const char* cmd = f.severity == Severity::Error     ? "error"
                      : f.severity == Severity::Warning ? "warning"
                                                        : "notice";
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
      out += fmt::format(
          "::notice title=mlops-lint::{} {} findings; GitHub shows 10 annotations per level, the "
          "text or SARIF report lists all\n",
          n, to_string(sev));
  return out;
}

std::string render_gitlab(const ReportInput& in) {
  nlohmann::ordered_json issues = nlohmann::ordered_json::array();
  for (const auto& f : in.result.findings) {
    if (f.suppressed) continue;
    const char* sev = f.severity == Severity::Error     ? "critical"
                      : f.severity == Severity::Warning ? "major"
                                                        : "info";
    issues.push_back(
        {{"description", sanitize_utf8(f.rule_id + ": " + f.message)},
         {"check_name", "mlops-lint/" + f.rule_id},
         {"fingerprint", f.fingerprint},
         {"severity", sev},
         {"location",
          {{"path", sanitize_utf8(f.where.path)}, {"lines", {{"begin", std::max(1, f.where.line)}}}}}});
  }
  // Belt and braces: anything not sanitised above still cannot make the dump throw.
  return issues.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string render_junit(const ReportInput& in) {
  // Shaped for the common (Jenkins/Ant) JUnit schema: one failing test case per finding, naming
  // the user's file and line; one test case per other rule result (passed, skipped when not
  // applicable or skipped, error when it could not be evaluated).
  std::string cases;
  size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  std::set<std::pair<std::string, std::string>> failed;  // project, rule
  auto class_of = [&](const std::string& rule_id, const std::string& project) {
    const Rule* rule = in.rules.find(rule_id);
    std::string cls = "mlops-lint." + (rule ? rule->practice : std::string("unknown"));
    if (in.result.projects.size() > 1) cls += "." + project;
    return cls;
  };
  auto name_of = [&](const std::string& rule_id) {
    const Rule* rule = in.rules.find(rule_id);
    return rule_id + (rule ? " " + rule->name : "");
  };
  for (const auto& f : in.result.findings) {
    if (f.suppressed) continue;
    ++tests;
    ++failures;
    failed.insert({f.project, f.rule_id});
    std::string line = f.where.line > 0 ? fmt::format(" line=\"{}\"", f.where.line) : "";
    cases +=
        fmt::format("    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"{} time=\"0\">\n",
                    xml(class_of(f.rule_id, f.project)),
                    xml(name_of(f.rule_id) + " at " + format_location(f.where)), xml(f.where.path), line);
    cases += fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                         xml(f.message), to_string(f.severity),
                         xml(format_location(f.where) + ": " + f.message + "\n"));
  }
  for (const auto& p : in.result.projects)
    for (const auto& res : p.results) {
      if (failed.count({p.root, res.rule_id})) continue;
      ++tests;
      cases += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"0\"",
                           xml(class_of(res.rule_id, p.root)), xml(name_of(res.rule_id)));
      if (res.outcome == Outcome::NotApplicable || res.outcome == Outcome::Skipped) {
        ++skipped;
        cases += fmt::format(">\n      <skipped message=\"{}\"/>\n    </testcase>\n", xml(res.reason));
      } else if (res.outcome == Outcome::Error) {
        ++errors;
        cases += fmt::format(">\n      <error message=\"{}\" type=\"error\"/>\n    </testcase>\n",
                             xml(res.reason));
      } else {
        cases += "/>\n";
      }
    }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mlops-lint\" tests=\"{0}\" "
      "failures=\"{1}\" "
      "errors=\"{2}\" time=\"0\">\n  <testsuite name=\"mlops-lint\" tests=\"{0}\" failures=\"{1}\" "
      "errors=\"{2}\" skipped=\"{3}\" time=\"0\">\n{4}  </testsuite>\n</testsuites>\n",
      tests, failures, errors, skipped, cases);
}

}  // namespace mlops
