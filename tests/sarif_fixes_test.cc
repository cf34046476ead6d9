// Fixes in the JSON and SARIF reports: a check result whose findings carry fixes renders them
// (edits in order, regions, applicability), and the SARIF validates against the 2.1.0 schema.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fix/edits.h"
#include "report/report.h"
#include "rules/builtin/builtin_rules.h"
#include "rules/rule_loader.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace mlops {
namespace {

const RuleSet& builtin_rules() {
  static const RuleSet r = [] {
    std::vector<Diagnostic> errors;
    return load_rules({}, errors);
  }();
  return r;
}

const std::string kTrain = "import os\r\nx = train_test_split(X, y)\r\n";
const std::string kReq = "caf\xC3\xA9==1\nnumpy\n";

CheckResult result_with_fixes() {
  CheckResult r;
  Finding f;
  f.rule_id = "DAT004";
  f.severity = Severity::Warning;
  f.message = "seedless split";
  f.where = {"src/train.py", 2, 5, 0, 0};
  f.project = ".";
  f.fingerprint = "00aa";
  Fix fix;
  fix.applicability = Applicability::Unsafe;
  fix.message = "add random_state=42 to the split";
  size_t close = kTrain.find(')');
  fix.edits.push_back(make_edit("src/train.py", kTrain, 0, 0, "SEED = 42\r\n"));
  fix.edits.push_back(make_edit("src/train.py", kTrain, close, close, ", random_state=SEED"));
  // A second file, with a replacement that is not UTF-8 (a Latin-1 file).
  size_t numpy = kReq.find("numpy");
  fix.edits.push_back(make_edit("z/requirements.txt", kReq, numpy, numpy + 5, "numpy==1.26.4 # \xE9t\xE9"));
  f.fix = fix;
  r.findings.push_back(f);
  Finding plain = f;
  plain.fix.reset();
  plain.where.line = 9;
  r.findings.push_back(plain);
  r.files_listed = 2;
  return r;
}

TEST(ReportFixes, JsonCarriesTheFixEdits) {
  CheckResult r = result_with_fixes();
  ReportInput in{r, builtin_rules(), "team", Severity::Warning};
  nlohmann::json j = nlohmann::json::parse(render_json(in));
  const auto& fix = j["findings"][0]["fix"];
  EXPECT_EQ(fix["applicability"], "unsafe");
  EXPECT_EQ(fix["message"], "add random_state=42 to the split");
  ASSERT_EQ(fix["edits"].size(), 3u);
  const auto& e1 = fix["edits"][1];
  EXPECT_EQ(e1["path"], "src/train.py");
  EXPECT_EQ(e1["start"]["line"], 2);
  EXPECT_EQ(e1["start"]["column"], 26);
  EXPECT_EQ(e1["start"]["offset"], kTrain.find(')'));
  EXPECT_EQ(e1["end"], e1["start"]);
  EXPECT_EQ(e1["replacement"], ", random_state=SEED");
  EXPECT_FALSE(e1.contains("replacement_bytes"));
  EXPECT_EQ(fix["edits"][0]["replacement"], "SEED = 42\r\n");
  const auto& e2 = fix["edits"][2];
  EXPECT_EQ(e2["start"]["offset"], kReq.find("numpy"));
  EXPECT_EQ(e2["end"]["offset"], kReq.find("numpy") + 5);
  EXPECT_EQ(e2["end"]["column"], 6);
  EXPECT_EQ(e2["replacement_bytes"], "numpy%3D%3D1.26.4%20%23%20%E9t%E9");
  EXPECT_FALSE(j["findings"][1].contains("fix"));
}

TEST(ReportFixes, SarifCarriesFixesPerArtifact) {
  CheckResult r = result_with_fixes();
  ReportInput in{r, builtin_rules(), "team", Severity::Warning};
  nlohmann::json j = nlohmann::json::parse(render_sarif(in));
  const auto& res = j["runs"][0]["results"][0];
  ASSERT_EQ(res["fixes"].size(), 1u);
  const auto& fix = res["fixes"][0];
  EXPECT_EQ(fix["description"]["text"], "add random_state=42 to the split");
  EXPECT_EQ(fix["properties"]["applicability"], "unsafe");
  ASSERT_EQ(fix["artifactChanges"].size(), 2u);
  const auto& train = fix["artifactChanges"][0];
  EXPECT_EQ(train["artifactLocation"], res["locations"][0]["physicalLocation"]["artifactLocation"]);
  ASSERT_EQ(train["replacements"].size(), 2u);
  const auto& ins = train["replacements"][1];
  EXPECT_EQ(ins["deletedRegion"]["startLine"], 2);
  EXPECT_EQ(ins["deletedRegion"]["startColumn"], 26);
  EXPECT_EQ(ins["deletedRegion"]["endColumn"], 26);
  EXPECT_EQ(ins["deletedRegion"]["byteOffset"], kTrain.find(')'));
  EXPECT_EQ(ins["deletedRegion"]["byteLength"], 0);
  EXPECT_EQ(ins["insertedContent"]["text"], ", random_state=SEED");
  const auto& req = fix["artifactChanges"][1];
  EXPECT_EQ(req["artifactLocation"]["uri"], "z/requirements.txt");
  EXPECT_EQ(req["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  EXPECT_EQ(req["replacements"][0]["deletedRegion"]["byteLength"], 5);
  // Base64 of the Latin-1 bytes.
  EXPECT_EQ(req["replacements"][0]["insertedContent"]["binary"], "bnVtcHk9PTEuMjYuNCAjIOl06Q==");
  EXPECT_FALSE(j["runs"][0]["results"][1].contains("fixes"));
}

TEST(ReportFixes, SarifWithFixesIsValidAgainstTheSchema) {
  if (test_support::run_shell("/usr/bin/python3 -c 'import jsonschema' 2>/dev/null").status != 0)
    GTEST_SKIP() << "python3-jsonschema not installed (scripts/setup.sh installs it)";
  CheckResult r = result_with_fixes();
  // An edit made without make_edit (no lines or columns) still gives a valid region: its bytes.
  Finding bare = r.findings[0];
  bare.where.line = 12;
  bare.fix->edits = {TextEdit{"src/train.py", 4, 4, "x", 0, 0, 0, 0}};
  r.findings.push_back(bare);
  ReportInput in{r, builtin_rules(), "team", Severity::Warning};
  test_support::TempDir t;
  t.write("out.sarif", render_sarif(in));
  std::string schema = std::string(MLOPS_SOURCE_DIR) + "/tests/data/sarif-schema-2.1.0.json";
  auto v = test_support::run_shell(
      "/usr/bin/python3 -c 'import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), "
      "json.load(open(sys.argv[2]))); print(\"valid\")' " +
      test_support::quote((t.path() / "out.sarif").string()) + " " + test_support::quote(schema) + " 2>&1");
  EXPECT_EQ(v.status, 0) << v.out;
  EXPECT_EQ(v.out, "valid\n");
}

TEST(ReportFixes, RenderingIsDeterministic) {
  CheckResult r = result_with_fixes();
  ReportInput in{r, builtin_rules(), "team", Severity::Warning};
  EXPECT_EQ(render_sarif(in), render_sarif(in));
  EXPECT_EQ(render_json(in), render_json(in));
}

}  // namespace
}  // namespace mlops
