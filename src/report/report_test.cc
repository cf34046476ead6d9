// Every report format on hostile bytes (invalid UTF-8, ESC sequences, markup, workflow-command
// text) in paths, messages, reasons and statuses: the output stays valid and inert.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report/report.h"
#include "rules/builtin/builtin_rules.h"
#include "rules/rule_loader.h"
#include "support/hostile_text.h"
#include "support/xml_check.h"
#include "util/escape.h"

namespace mlops {
namespace {

using testing::expect_inert_markdown;
using testing::kHostile;

const RuleSet& rules() {
  static const RuleSet r = [] {
    std::vector<Diagnostic> errors;
    return load_rules({}, errors);
  }();
  return r;
}

CheckResult hostile_result() {
  CheckResult r;
  ProjectReport p;
  p.root = "sub/" + kHostile;
  p.results.push_back({"DAT003", Outcome::Fail, "", {{kHostile, 3, 1, 0, 0}}});
  p.results.push_back({"CI001", Outcome::NotApplicable, kHostile, {}});
  p.results.push_back({"TRK001", Outcome::Error, kHostile, {}});
  p.practices.push_back({"tests", kHostile, {"TST001"}, {{kHostile, 1, 0, 0, 0}}});
  r.projects.push_back(p);
  Finding f;
  f.rule_id = "DAT003";
  f.severity = Severity::Error;
  f.message = "path " + kHostile;
  f.where = {"data/" + kHostile + ".py", 3, 7, 0, 0};
  f.project = p.root;
  f.subject = kHostile;
  f.fingerprint = "0123456789abcdef";
  r.findings.push_back(f);
  f.suppressed = true;
  f.justification = kHostile;
  f.where.line = 4;
  r.findings.push_back(f);
  r.diagnostics.push_back({{kHostile, 2, 0, 0, 0}, "cannot read " + kHostile});
  r.files_listed = 3;
  return r;
}

std::string render_format(const std::string& format, const CheckResult& r) {
  ReportInput in{r, rules(), "team", Severity::Warning};
  return render(format, in, false);
}

nlohmann::json parse_strict(const std::string& text) {
  // A strict parse: throws on ill-formed UTF-8 or syntax, so the test fails with the reason.
  return nlohmann::json::parse(text);
}

TEST(ReportBytes, JsonIsValidAndKeepsTheRealPathBytes) {
  CheckResult r = hostile_result();
  nlohmann::json j;
  ASSERT_NO_THROW(j = parse_strict(render_format("json", r)));
  const auto& f = j["findings"][0];
  std::string path = f["path"];
  EXPECT_TRUE(valid_utf8(path));
  EXPECT_NE(path.find("\xEF\xBF\xBD"), std::string::npos);
  ASSERT_TRUE(f.contains("path_bytes"));
  EXPECT_EQ(f["path_bytes"], percent_encode(r.findings[0].where.path));
  EXPECT_NE(f["path_bytes"].get<std::string>().find("%FF%C0%AF"), std::string::npos);
  EXPECT_TRUE(j["diagnostics"][0].contains("path_bytes"));
  EXPECT_TRUE(j["findings"][1]["justification"].is_string());
  EXPECT_TRUE(j["projects"][0]["root"].is_string());
}

TEST(ReportBytes, JsonOmitsPathBytesForUtf8Paths) {
  CheckResult r = hostile_result();
  r.findings.resize(1);
  r.findings[0].where.path = "caf\xC3\xA9/train.py";
  nlohmann::json j = parse_strict(render_format("json", r));
  EXPECT_EQ(j["findings"][0]["path"], "caf\xC3\xA9/train.py");
  EXPECT_FALSE(j["findings"][0].contains("path_bytes"));
}

TEST(ReportBytes, SarifIsValidJsonWithPercentEncodedUris) {
  CheckResult r = hostile_result();
  nlohmann::json j;
  ASSERT_NO_THROW(j = parse_strict(render_format("sarif", r)));
  const auto& res = j["runs"][0]["results"][0];
  std::string uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
  EXPECT_EQ(uri, percent_encode(r.findings[0].where.path));
  EXPECT_EQ(uri.find_first_of(" <>\"\x1b"), std::string::npos);
  EXPECT_TRUE(valid_utf8(res["message"]["text"].get<std::string>()));
}

TEST(ReportBytes, FixesWithHostileBytesStayValidJsonAndSarif) {
  CheckResult r = hostile_result();
  Fix fix;
  fix.message = "fix " + kHostile;
  TextEdit e;
  e.path = r.findings[0].where.path;
  e.start = e.end = 3;
  e.start_line = e.end_line = 1;
  e.start_column = e.end_column = 4;
  e.replacement = kHostile;
  fix.edits.push_back(e);
  r.findings[0].fix = fix;
  nlohmann::json j;
  ASSERT_NO_THROW(j = parse_strict(render_format("json", r)));
  const auto& ej = j["findings"][0]["fix"]["edits"][0];
  EXPECT_TRUE(valid_utf8(ej["replacement"].get<std::string>()));
  EXPECT_EQ(ej["replacement_bytes"], percent_encode(kHostile));
  EXPECT_EQ(ej["path_bytes"], percent_encode(e.path));
  ASSERT_NO_THROW(j = parse_strict(render_format("sarif", r)));
  const auto& change = j["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0];
  EXPECT_EQ(change["artifactLocation"]["uri"], percent_encode(e.path));
  // Not UTF-8: the exact bytes travel as Base64, never as altered text.
  EXPECT_TRUE(change["replacements"][0]["insertedContent"].contains("binary"));
  EXPECT_FALSE(change["replacements"][0]["insertedContent"].contains("text"));
}

TEST(ReportBytes, GitlabIsValidJson) {
  nlohmann::json j;
  ASSERT_NO_THROW(j = parse_strict(render_format("gitlab", hostile_result())));
  ASSERT_EQ(j.size(), 1u);
  EXPECT_TRUE(j[0]["location"]["path"].is_string());
}

TEST(ReportBytes, JunitIsWellFormedXml) {
  std::string xml = render_format("junit", hostile_result());
  std::string error;
  EXPECT_TRUE(testing::xml_well_formed(xml, error)) << error << "\n" << xml;
  EXPECT_EQ(xml.find("<script"), std::string::npos);
}

TEST(ReportBytes, TextShowsControlBytesEscaped) {
  std::string text = render_format("text", hostile_result());
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\x07'), std::string::npos);
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_TRUE(valid_utf8(text));
  EXPECT_NE(text.find("evil\\x1b[2J\\x07\\xff\\xc0\\xaf\\u009b<script>"), std::string::npos);
  // One line per finding and note: nothing from the input starts a line of its own.
  EXPECT_EQ(text.find("\n::error"), std::string::npos);
}

TEST(ReportBytes, GithubAnnotationsCannotInjectCommandsOrEscapes) {
  std::string gh = render_format("github", hostile_result());
  EXPECT_EQ(gh.find('\x1b'), std::string::npos);
  EXPECT_EQ(gh.find('\r'), std::string::npos);
  size_t lines = 0;
  for (size_t pos = 0; pos < gh.size();) {
    size_t nl = gh.find('\n', pos);
    std::string line = gh.substr(pos, nl - pos);
    EXPECT_TRUE(line.starts_with("::error file=")) << line;
    // The properties end at the first "::": the file name cannot add or end any.
    size_t props_end = line.find("::", 2);
    EXPECT_EQ(line.substr(0, props_end).find(',', 0), line.find(",line="));
    ++lines;
    pos = nl + 1;
  }
  EXPECT_EQ(lines, 1u);  // the suppressed finding is not annotated
}

TEST(ReportBytes, MarkdownHasNoRawHtmlLinksOrTableBreaks) {
  std::string md = render_format("markdown", hostile_result());
  expect_inert_markdown(md);
  EXPECT_EQ(md.find('\x1b'), std::string::npos);
  EXPECT_TRUE(valid_utf8(md));
  // The findings table row keeps its four columns: every '|' from the input is escaped.
  size_t row = md.find("| error |");
  ASSERT_NE(row, std::string::npos);
  std::string line = md.substr(row, md.find('\n', row) - row);
  size_t bars = 0;
  for (size_t i = 0; i < line.size(); ++i)
    if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++bars;
  EXPECT_EQ(bars, 5u) << line;
}

}  // namespace
}  // namespace mlops
