// The audit formats on hostile bytes (invalid UTF-8, ESC sequences, markup) in names, paths,
// statuses and history: the output stays valid and inert (report/report_test.cc does the same
// for the check formats).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "audit/audit_report.h"
#include "support/hostile_text.h"
#include "util/escape.h"

namespace mlops {
namespace {

using testing::expect_inert_markdown;
using testing::kHostile;

std::vector<RepoAudit> hostile_audit() {
  RepoAudit a;
  a.name = kHostile;
  a.path = "/repos/" + kHostile;
  a.commit = kHostile;
  a.scores.overall = 40;
  a.scores.maturity_name = kHostile;
  a.scores.areas.push_back({kHostile, 50, 0, 0});
  a.practices.push_back({"tests", "x\" onmouseover=\"alert(1)", {}, {}});
  a.practices.push_back({kHostile, "missing", {}, {}});
  for (const char* commit : {"abc", "def"}) {
    HistoryPoint h;
    h.commit = commit;
    h.date = kHostile;
    h.score = commit[0] == 'a' ? 10 : 20;
    h.maturity = 1;
    a.history.push_back(h);
  }
  RepoAudit b = a;
  b.error = kHostile;
  return {a, b};
}

TEST(AuditReportBytes, HtmlEscapesEveryInterpolationIncludingStatuses) {
  std::string html = render_audit("html", hostile_audit(), kHostile);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("onmouseover=\""), std::string::npos);
  EXPECT_EQ(html.find(" onx=\""), std::string::npos);
  EXPECT_TRUE(valid_utf8(html));
  EXPECT_NE(html.find("<td class=\"cell unknown\""), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
}

TEST(AuditReportBytes, HtmlFromAMergedReportStaysInert) {
  // `merge` reads statuses and names back from JSON another run wrote: untrusted.
  std::string json = render_audit("json", hostile_audit(), "team");
  std::vector<RepoAudit> merged;
  std::string error;
  ASSERT_TRUE(parse_audit_json(json, merged, error)) << error;
  std::string html = render_audit("html", merged, "team");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("onmouseover=\""), std::string::npos);
}

TEST(AuditReportBytes, JsonIsValidWithPathBytes) {
  nlohmann::json j;
  ASSERT_NO_THROW(j = nlohmann::json::parse(render_audit("json", hostile_audit(), kHostile)));
  EXPECT_TRUE(j["repos"][0].contains("path_bytes"));
  EXPECT_TRUE(j["repos"][1]["error"].is_string());
}

TEST(AuditReportBytes, TableCsvAndMarkdownAreTerminalSafe) {
  for (const char* format : {"table", "csv", "markdown"}) {
    std::string out = render_audit(format, hostile_audit(), kHostile);
    EXPECT_EQ(out.find('\x1b'), std::string::npos) << format;
    EXPECT_EQ(out.find('\x07'), std::string::npos) << format;
  }
  expect_inert_markdown(render_audit("markdown", hostile_audit(), kHostile));
}

}  // namespace
}  // namespace mlops
