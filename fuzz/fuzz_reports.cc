// Fuzzes the report renderers: a CheckResult (and an audit) whose paths, messages, subjects,
// reasons and statuses are the fuzzer's bytes must still render json/sarif/gitlab as JSON a
// strict parser accepts, junit as well-formed XML, text and github output without raw control
// bytes, and the audit HTML without markup from the input.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "../tests/support/xml_check.h"
#include "audit/audit_report.h"
#include "common.h"
#include "report/report.h"
#include "util/escape.h"

namespace {

using namespace mlops;

// Splits the input into NUL-separated fields; missing ones are empty.
class Fields {
 public:
  Fields(const uint8_t* data, size_t size) : in_(reinterpret_cast<const char*>(data), size) {}
  std::string next() {
    if (pos_ >= in_.size()) return {};
    size_t end = in_.find('\0', pos_);
    if (end == std::string_view::npos) end = in_.size();
    std::string s(in_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return s;
  }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_reports: %s\n", what);
    std::abort();
  }
}

// No raw `<` from the inputs: every `<` in the page opens or closes one of the tags the page's
// own template writes.
void check_html(const std::string& html) {
  // Every element the audit page writes (src/audit/audit_report.cc).
  static const std::vector<std::string> tags = {
      "!DOCTYPE", "html", "head", "meta",    "title",  "style", "body",  "h1",    "h2",
      "h3",       "h4",   "h5",   "p",       "code",   "table", "thead", "tbody", "tr",
      "th",       "td",   "span", "svg",     "rect",   "line",  "path",  "text",  "circle",
      "polyline", "a",    "div",  "section", "figure", "ol",    "ul",    "li",    "strong"};
  for (size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
    size_t start = at + 1 + (html.compare(at + 1, 1, "/") == 0 ? 1 : 0);
    size_t end = start;
    while (end < html.size() && (std::isalnum(static_cast<unsigned char>(html[end])) || html[end] == '!'))
      ++end;
    std::string tag = html.substr(start, end - start);
    bool known = false;
    for (const auto& t : tags) known = known || t == tag;
    check(known && end < html.size() && (html[end] == '>' || html[end] == ' ' || html[end] == '/'),
          "a '<' in the html that is no tag of the page");
  }
  check(valid_utf8(html), "html is not UTF-8");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Fields in(data, size);
  std::string path = in.next(), message = in.next(), subject = in.next(), reason = in.next(),
              status = in.next(), name = in.next();

  CheckResult r;
  ProjectReport p;
  p.root = name.empty() ? "." : name;
  p.results.push_back({"DAT003", Outcome::Fail, "", {{path, 1, 0, 0, 0}}});
  p.results.push_back({"CI001", Outcome::NotApplicable, reason, {}});
  p.results.push_back({"TRK001", Outcome::Error, reason, {}});
  p.practices.push_back({"tests", status, {"TST001"}, {{path, 1, 0, 0, 0}}});
  r.projects.push_back(p);
  Finding f;
  f.rule_id = "DAT003";
  f.message = message;
  f.subject = subject;
  f.where = {path, 2, 1, 0, 0};
  f.project = p.root;
  f.fingerprint = "0";
  // A fix whose message, path and replacement are the fuzzer's bytes (JSON `fix`, SARIF `fixes`).
  Fix fix;
  fix.message = message;
  fix.edits.push_back({path, 0, subject.size(), reason, 1, 1, 1, static_cast<int>(subject.size()) + 1});
  f.fix = fix;
  r.findings.push_back(f);
  f.fix.reset();
  f.suppressed = true;
  f.justification = reason;
  r.findings.push_back(f);
  r.diagnostics.push_back({{path, 1, 0, 0, 0}, message});

  ReportInput input{r, fuzz::builtin_rules(), status, Severity::Warning};
  for (const char* format : {"json", "sarif", "gitlab"}) {
    std::string out = render(format, input, false);
    // The default parser rejects ill-formed UTF-8 and any syntax error.
    check(!nlohmann::json::parse(out, nullptr, false).is_discarded(), format);
  }
  std::string error;
  check(testing::xml_well_formed(render("junit", input, false), error), "junit is not well-formed XML");
  for (const char* format : {"text", "github"}) {
    std::string out = render(format, input, true);
    for (char c : out) {
      auto u = static_cast<unsigned char>(c);
      // The text report's own colours are the only escape sequences allowed.
      if (std::string_view(format) == "github")
        check(u >= 0x20 || c == '\n' || c == '\t', "control byte in github output");
      else
        check(u >= 0x20 || c == '\n' || c == '\x1b', "control byte in text output");
    }
    check(valid_utf8(out), "terminal output is not UTF-8");
  }
  render("markdown", input, false);

  RepoAudit a;
  a.name = name;
  a.path = path;
  a.commit = subject;
  a.error = reason.size() % 2 ? reason : "";
  a.scores.maturity_name = message;
  a.scores.areas.push_back({subject, 10, 0, 0});
  a.practices.push_back({"tests", status, {}, {}});
  a.practices.push_back({name, "missing", {}, {}});
  a.history.push_back({"c1", message, 10, 1});
  a.history.push_back({"c2", reason, 20, 1});
  std::vector<RepoAudit> repos = {a};
  check_html(render_audit("html", repos, status));
  std::string json = render_audit("json", repos, status);
  check(!nlohmann::json::parse(json, nullptr, false).is_discarded(), "audit json");
  // What merge reads back renders safely too.
  std::vector<RepoAudit> merged;
  check(parse_audit_json(json, merged, error), "audit json does not read back");
  check_html(render_audit("html", merged, "team"));
  return 0;
}
