// SARIF 2.1.0 for code-scanning uploads (GitHub, Azure DevOps, ...).
#include <algorithm>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string_view>

#include "report/report.h"
#include "util/escape.h"

namespace mlops {
namespace {

using nlohmann::ordered_json;

// GitHub code scanning rejects runs with more results than this.
constexpr size_t kMaxSarifResults = 25000;

const char* level(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Info:
      return "note";
  }
  return "warning";
}

// Rules about secrets, personal data (the SEC family and the privacy practice, user rules
// included) and any rule of category `security` (code execution on load): code scanning ranks
// their alerts by `security-severity` (9.0+ critical, 7.0+ high, 4.0+ medium) and lists them
// under Security.
bool is_security_rule(const Rule& r) {
  return r.id.starts_with("SEC") || r.practice == "privacy" || r.category == "security";
}

const char* security_severity(Severity s) {
  switch (s) {
    case Severity::Error:
      return "9.0";
    case Severity::Warning:
      return "7.0";
    case Severity::Info:
      return "5.0";
  }
  return "5.0";
}

// Artifact locations are URIs: percent-encoded, which also carries bytes that are not UTF-8.
ordered_json artifact(const std::string& path) {
  return {{"uri", percent_encode(path)}, {"uriBaseId", "%SRCROOT%"}};
}

// Base64 (RFC 4648, padded): SARIF's `artifactContent.binary` for bytes that are not UTF-8.
std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

// A finding's fix as SARIF `fixes`: one artifactChange per file, in the fix's edit order. The
// deleted region gives lines and columns (the columns the results use) and the exact bytes
// (byteOffset/byteLength), which stay right on CRLF files and lines with non-ASCII text.
ordered_json fixes_json(const Fix& fix) {
  ordered_json changes = ordered_json::array();
  for (size_t a = 0; a < fix.edits.size();) {
    ordered_json replacements = ordered_json::array();
    size_t b = a;
    for (; b < fix.edits.size() && fix.edits[b].path == fix.edits[a].path; ++b) {
      const TextEdit& e = fix.edits[b];
      ordered_json region = ordered_json::object();
      // Lines and columns are 1-based; an edit built without them (0) has its bytes only.
      if (e.start_line > 0 && e.start_column > 0 && e.end_line > 0 && e.end_column > 0)
        region = {{"startLine", e.start_line},
                  {"startColumn", e.start_column},
                  {"endLine", e.end_line},
                  {"endColumn", e.end_column}};
      region["byteOffset"] = e.start;
      region["byteLength"] = e.end >= e.start ? e.end - e.start : 0;
      ordered_json inserted = valid_utf8(e.replacement) ? ordered_json{{"text", e.replacement}}
                                                        : ordered_json{{"binary", base64(e.replacement)}};
      replacements.push_back({{"deletedRegion", region}, {"insertedContent", inserted}});
    }
    changes.push_back({{"artifactLocation", artifact(fix.edits[a].path)}, {"replacements", replacements}});
    a = b;
  }
  return ordered_json::array({{{"description", {{"text", sanitize_utf8(fix.message)}}},
                               {"artifactChanges", changes},
                               {"properties", {{"applicability", to_string(fix.applicability)}}}}});
}

ordered_json rule_json(const Rule& r) {
  std::string help = r.rationale + "\n\nHow to fix:\n" + r.remediation;
  std::string markdown = "**" + r.summary + "**\n\n" + r.rationale + "\n\n### How to fix\n\n" + r.remediation;
  if (!r.bad_example.empty()) markdown += "\n\n### Example that fires\n\n```\n" + r.bad_example + "```\n";
  if (!r.good_example.empty()) markdown += "\n### Example that passes\n\n```\n" + r.good_example + "```\n";
  // SARIF wants unique tags; a rule's practice and category may coincide.
  std::vector<std::string> tags = {r.practice};
  if (is_security_rule(r)) tags.insert(tags.begin(), "security");
  if (std::find(tags.begin(), tags.end(), r.category) == tags.end()) tags.push_back(r.category);
  tags.push_back(r.kind == RuleKind::Requirement ? "requirement" : "pattern");
  return {
      {"id", r.id},
      {"name", r.name},
      {"shortDescription", {{"text", r.summary}}},
      {"fullDescription", {{"text", r.rationale}}},
      {"help", {{"text", help}, {"markdown", markdown}}},
      {"helpUri", rule_help_uri(r.id)},
      {"defaultConfiguration", {{"level", level(r.severity)}}},
      {"properties", is_security_rule(r)
                         ? ordered_json{{"tags", tags}, {"security-severity", security_severity(r.severity)}}
                         : ordered_json{{"tags", tags}}}};
}

}  // namespace

std::string render_sarif(const ReportInput& in) {
  const CheckResult& r = in.result;
  std::set<std::string> ids;
  for (const auto& p : r.projects)
    for (const auto& res : p.results) ids.insert(res.rule_id);
  for (const auto& f : r.findings) ids.insert(f.rule_id);
  ordered_json rules = ordered_json::array();
  std::map<std::string, size_t> index;
  for (const auto& id : ids)
    if (const Rule* rule = in.rules.find(id)) {
      index[id] = rules.size();
      rules.push_back(rule_json(*rule));
    }

  ordered_json results = ordered_json::array();
  size_t dropped = 0;
  for (const auto& f : r.findings) {
    if (results.size() >= kMaxSarifResults) {
      ++dropped;
      continue;
    }
    ordered_json phys = {{"artifactLocation", artifact(f.where.path)}};
    if (f.where.line > 0) {
      ordered_json region = {{"startLine", f.where.line}};
      if (f.where.column > 0) region["startColumn"] = f.where.column;
      phys["region"] = region;
    }
    ordered_json res = {{"ruleId", f.rule_id}};
    if (index.count(f.rule_id)) res["ruleIndex"] = index[f.rule_id];
    res["level"] = level(f.severity);
    res["message"] = {{"text", sanitize_utf8(f.message)}};
    res["locations"] = ordered_json::array({{{"physicalLocation", phys}}});
    res["partialFingerprints"] = {{"mlopsLintFingerprint/v1", f.fingerprint}};
    ordered_json props = {{"project", sanitize_utf8(f.project)},
                          {"kind", f.project_level ? "project" : "location"}};
    if (f.where.cell > 0) {
      props["cell"] = f.where.cell;
      props["cellLine"] = f.where.cell_line;
    }
    res["properties"] = props;
    if (f.fix && !f.fix->edits.empty()) res["fixes"] = fixes_json(*f.fix);
    if (f.suppressed)
      res["suppressions"] =
          ordered_json::array({{{"kind", "inSource"}, {"justification", sanitize_utf8(f.justification)}}});
    results.push_back(std::move(res));
  }

  ordered_json notes = ordered_json::array();
  for (const auto& d : r.diagnostics) {
    ordered_json n = {{"level", "warning"}, {"message", {{"text", sanitize_utf8(d.message)}}}};
    if (!d.where.path.empty()) {
      ordered_json phys = {{"artifactLocation", artifact(d.where.path)}};
      if (d.where.line > 0) phys["region"] = {{"startLine", d.where.line}};
      n["locations"] = ordered_json::array({{{"physicalLocation", phys}}});
    }
    notes.push_back(std::move(n));
  }
  if (dropped > 0)
    notes.push_back(
        {{"level", "warning"},
         {"message",
          {{"text", std::to_string(dropped) + " results left out: SARIF uploads accept at most 25000"}}}});

  // Each project's kind (#14), so code scanning consumers can tell a library from a service.
  ordered_json project_kinds = ordered_json::array();
  for (const auto& p : in.result.projects) project_kinds.push_back({{"root", p.root}, {"kind", p.kind}});
  ordered_json run = {
      {"tool",
       {{"driver",
         {{"name", "mlops-lint"},
          {"version", MLOPS_LINT_VERSION},
          {"semanticVersion", MLOPS_LINT_VERSION},
          {"informationUri", "https://github.com/mlops-lint/mlops-lint"},
          {"rules", rules}}}}},
      {"invocations",
       ordered_json::array({{{"executionSuccessful", true}, {"toolExecutionNotifications", notes}}})},
      {"results", results},
      {"columnKind", "unicodeCodePoints"},
      {"properties", {{"profile", sanitize_utf8(in.profile)}, {"projects", project_kinds}}}};
  ordered_json doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                      {"version", "2.1.0"},
                      {"runs", ordered_json::array({run})}};
  // Belt and braces: anything not sanitised above still cannot make the dump throw.
  return doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace mlops
