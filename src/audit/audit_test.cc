#include "audit/audit.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "audit/audit_report.h"
#include "report/report.h"
#include "rules/builtin/builtin_rules.h"
#include "rules/rule_loader.h"

namespace fs = std::filesystem;

namespace mlops {
namespace {

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("mlops-audit-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    std::vector<Diagnostic> errors;
    rules_ = load_rules({}, errors);
    ASSERT_TRUE(errors.empty());
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  void git(const fs::path& repo, const std::string& args) {
    std::string cmd = "cd '" + repo.string() +
                      "' && git -c user.name=t -c user.email=t@example.com -c init.defaultBranch=main " +
                      "-c commit.gpgsign=false " + args + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }
  // A training project; with `tests`, a second commit adds tests that call its code.
  fs::path make_repo(const std::string& name, bool tests) {
    fs::path repo = root_ / name;
    write(repo / "train.py",
          "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n\n"
          "def train(df):\n    return LogisticRegression().fit(df[['x']], df['y'])\n");
    write(repo / "README.md", "# model\n");
    git(repo, "init -q");
    git(repo, "add -A");
    git(repo, "commit -qm first");
    if (tests) {
      write(repo / "tests/test_train.py",
            "import pandas as pd\nfrom train import train\n\n\ndef test_train():\n"
            "    assert train(pd.DataFrame({'x': [0, 1], 'y': [0, 1]})) is not None\n");
      git(repo, "add -A");
      git(repo, "commit -qm tests");
    }
    return repo;
  }

  static AuditOptions uncached() {
    AuditOptions o;
    o.use_cache = false;
    return o;
  }

  fs::path root_;
  RuleSet rules_;
};

TEST_F(AuditTest, DirectoryOfRepositoriesIsExpandedInSortedOrder) {
  make_repo("b-repo", false);
  make_repo("a-repo", false);
  std::string error;
  auto repos = expand_repositories({root_.string()}, "", error);
  ASSERT_TRUE(error.empty()) << error;
  ASSERT_EQ(repos.size(), 2u);
  EXPECT_EQ(fs::path(repos[0]).filename(), "a-repo");
  EXPECT_EQ(fs::path(repos[1]).filename(), "b-repo");
  expand_repositories({(root_ / "missing").string()}, "", error);
  EXPECT_FALSE(error.empty());
}

TEST_F(AuditTest, HistoryIsReadFromCommitsAndScoresImprove) {
  fs::path repo = make_repo("improving", true);
  AuditOptions opts;
  opts.history = 5;
  opts.use_cache = false;
  auto audits = run_audit({repo.string()}, rules_, opts);
  ASSERT_EQ(audits.size(), 1u);
  const RepoAudit& a = audits[0];
  ASSERT_TRUE(a.error.empty()) << a.error;
  EXPECT_EQ(a.commit.size(), 12u);
  ASSERT_EQ(a.history.size(), 2u);  // newest first
  EXPECT_GT(a.history[0].score, a.history[1].score);
  EXPECT_EQ(a.history[0].score, a.scores.overall);
  auto tests = std::find_if(a.practices.begin(), a.practices.end(),
                            [](const PracticeStatus& p) { return p.practice == "tests"; });
  ASSERT_NE(tests, a.practices.end());
  EXPECT_EQ(tests->status, "present");
}

TEST_F(AuditTest, BareRepositoriesNeedNoCheckout) {
  fs::path repo = make_repo("src", true);
  std::string cmd =
      "git clone -q --bare '" + repo.string() + "' '" + (root_ / "bare.git").string() + "' >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  AuditOptions opts;
  opts.use_cache = false;
  auto audits = run_audit({(root_ / "bare.git").string()}, rules_, opts);
  ASSERT_TRUE(audits[0].error.empty()) << audits[0].error;
  EXPECT_EQ(audits[0].name, "bare");
  AuditOptions opts2 = opts;
  auto worktree = run_audit({repo.string()}, rules_, opts2);
  EXPECT_EQ(audits[0].scores.overall, worktree[0].scores.overall);
}

TEST_F(AuditTest, ReportsHaveTheDocumentedShapeAndHtmlIsSelfContained) {
  fs::path odd = make_repo("<b>&x", false);
  fs::path good = make_repo("good", true);
  AuditOptions opts;
  opts.use_cache = false;
  opts.history = 2;
  auto audits = run_audit({odd.string(), good.string()}, rules_, opts);
  nlohmann::json j = nlohmann::json::parse(render_audit("json", audits, "team"));
  ASSERT_EQ(j["repos"].size(), 2u);
  for (const auto& r : j["repos"])
    for (const char* key :
         {"name", "path", "commit", "score", "maturity", "categories", "practices", "findings", "history"})
      EXPECT_TRUE(r.contains(key)) << key;
  std::string csv = render_audit("csv", audits, "team");
  EXPECT_EQ(
      csv.rfind("name,path,commit,kind,score,maturity,maturity_name,maturity_reason,trend,errors,warnings,"
                "infos,findings,data_versioning",
                0),
      0u);
  std::string html = render_audit("html", audits, "team");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("<b>&x"), std::string::npos) << "repository names are escaped";
  EXPECT_NE(html.find("&lt;b&gt;&amp;x"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos) << "a trend line for the repository with history";
}

// Every reference that would make a browser fetch something: only links to rule docs may
// leave the page, and only as links a reader follows.
std::vector<std::string> network_references(const std::string& html) {
  std::vector<std::string> out;
  for (const char* needle : {"src=", "@import", "url(", "<link", "<script", "<iframe", "<object", "<embed"})
    if (html.find(needle) != std::string::npos) out.push_back(needle);
  for (size_t at = html.find("href=\""); at != std::string::npos; at = html.find("href=\"", at + 1)) {
    std::string target = html.substr(at + 6, html.find('"', at + 6) - at - 6);
    if (target.starts_with("#")) continue;
    if (!target.starts_with(kRuleDocsBase)) out.push_back(target);
  }
  return out;
}

TEST_F(AuditTest, RepositoriesTwoLevelsDownAreFoundAndNamedByTheirRemote) {
  fs::path org = root_ / "org";
  fs::path churn = make_repo("org/acme+churn/repo", false);
  git(churn, "remote add origin https://someone:ghp_secret@github.com/acme/churn.git");
  fs::path vision = make_repo("org/acme+vision/repo", false);
  git(vision, "remote add origin git@github.com:acme/vision.git");
  make_repo("org/local/thing", false);
  std::string cmd =
      "git clone -q --bare '" + churn.string() + "' '" + (org / "mirror.git").string() + "' >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  // Not listed: a repository inside another one, one behind a symlink, and `.git` internals.
  make_repo("org/acme+churn/repo/vendor/inner", false);
  fs::create_directory_symlink(root_ / "org" / "acme+vision", org / "link");
  std::vector<std::string> warnings;
  std::string error;
  auto targets = discover_repositories({org.string()}, "", warnings, error);
  ASSERT_TRUE(error.empty()) << error;
  std::vector<std::string> names;
  for (const auto& t : targets) names.push_back(t.name);
  EXPECT_EQ(names, (std::vector<std::string>{"acme/churn", "acme/vision", "local/thing", "mirror"}));
  for (const auto& n : names) EXPECT_EQ(n.find("ghp_secret"), std::string::npos);
  EXPECT_TRUE(warnings.empty());

  auto audits = run_audit(targets, rules_, uncached());
  ASSERT_EQ(audits.size(), 4u);
  EXPECT_EQ(audits[0].name, "acme/churn");
  EXPECT_TRUE(audits[3].error.empty()) << audits[3].error;  // the bare mirror
  std::string table = render_audit("table", audits, "team");
  EXPECT_NE(table.find("acme/vision"), std::string::npos) << table;
  // A directory given directly is named by its remote too; `--list` keeps working.
  write(root_ / "list.txt", "# repositories\n" + vision.string() + "\n");
  auto listed = discover_repositories({}, (root_ / "list.txt").string(), warnings, error);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].name, "acme/vision");
}

TEST_F(AuditTest, DiscoveryDepthIsBounded) {
  std::string deep = "deep";
  for (int i = 0; i < kMaxDiscoveryDepth; ++i) deep += "/d" + std::to_string(i);
  make_repo(deep + "/too-deep", false);
  make_repo("deep/d0/shallow", false);
  std::vector<std::string> warnings;
  std::string error;
  auto targets = discover_repositories({(root_ / "deep").string()}, "", warnings, error);
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].name, "d0/shallow");
}

TEST(AuditNames, ComeFromRemoteUrlsWithoutCredentials) {
  EXPECT_EQ(name_from_remote_url("https://github.com/acme/churn.git"), "acme/churn");
  EXPECT_EQ(name_from_remote_url("https://user:ghp_x@github.com/acme/churn/"), "acme/churn");
  EXPECT_EQ(name_from_remote_url("git@github.com:acme/churn.git"), "acme/churn");
  EXPECT_EQ(name_from_remote_url("ssh://git@gitlab.example.com:2222/group/sub/model.git"), "group/sub/model");
  EXPECT_EQ(name_from_remote_url("git://example.org/acme/vision"), "acme/vision");
  EXPECT_EQ(name_from_remote_url("/srv/mirrors/churn.git"), "");
  EXPECT_EQ(name_from_remote_url("file:///srv/acme/churn.git"), "");
  EXPECT_EQ(name_from_remote_url("https://github.com/churn"), "");
  EXPECT_EQ(name_from_remote_url("https://github.com/a/b\x1b[31m"), "");
  EXPECT_EQ(name_from_remote_url(""), "");
}

TEST_F(AuditTest, ARepositoryWithoutMlCodeHasNoScore) {
  fs::path docs = root_ / "docs";
  write(docs / "README.md", "# Handbook\n\nHow we work.\n");
  write(docs / "scripts/build.py", "import pathlib\nprint(pathlib.Path('.').resolve())\n");
  git(docs, "init -q");
  git(docs, "add -A");
  git(docs, "commit -qm docs");
  auto audits = run_audit({docs.string()}, rules_, uncached());
  const RepoAudit& a = audits[0];
  ASSERT_TRUE(a.error.empty()) << a.error;
  EXPECT_FALSE(a.kind.ml);
  EXPECT_EQ(a.kind.kind, "not_ml");
  EXPECT_EQ(a.scores.overall, -1);
  EXPECT_EQ(maturity_reason(a), "no ML code found");
  EXPECT_TRUE(next_steps(a, 3).empty());
  nlohmann::json j = nlohmann::json::parse(render_audit("json", audits, "team"));
  EXPECT_TRUE(j["repos"][0]["score"].is_null());
  EXPECT_EQ(j["repos"][0]["ml_project"], false);
  std::string html = render_audit("html", audits, "team");
  EXPECT_NE(html.find("not an ML project"), std::string::npos);
  EXPECT_EQ(html.find("production-ready"), std::string::npos);
  // A training project is one (a lone training script with no packaging or serving: research
  // code, by the engine's project kinds).
  auto ml = run_audit({make_repo("ml", false).string()}, rules_, uncached());
  EXPECT_TRUE(ml[0].kind.ml);
  EXPECT_EQ(ml[0].kind.kind, "research");
  EXPECT_GE(ml[0].scores.overall, 0);
}

TEST(AuditReasons, NameThePracticesBlockingTheNextLevelAndWhatToAddFirst) {
  RepoAudit r;
  r.practices = {{"documentation", "present", {}, {}},
                 {"seeds", "missing", {}, {}},
                 {"tests", "missing", {}, {}},
                 {"deployment", "not_applicable", {}, {}}};
  r.scores = compute_scores(r.practices);
  ASSERT_EQ(r.scores.maturity, 0);
  EXPECT_EQ(maturity_reason(r), "level 1 (reproducible) needs seeds");
  auto steps = next_steps(r, 5);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].practice, "seeds");  // it lifts maturity to 1; tests alone would not
  EXPECT_EQ(steps[0].maturity, 1);
  EXPECT_EQ(steps[0].score, 67);
  EXPECT_EQ(steps[1].practice, "tests");
  r.practices[1].status = "present";
  r.scores = compute_scores(r.practices);
  EXPECT_EQ(maturity_reason(r), "level 2 (team-ready) needs tests");
  r.practices[2].status = "present";
  r.scores = compute_scores(r.practices);
  EXPECT_EQ(maturity_reason(r), "every expected practice is present");
}

TEST_F(AuditTest, HistoryMarksThePracticesThatAppeared) {
  fs::path repo = make_repo("improving", true);
  AuditOptions opts;
  opts.history = 5;
  opts.use_cache = false;
  auto audits = run_audit({repo.string()}, rules_, opts);
  const auto& h = audits[0].history;
  ASSERT_EQ(h.size(), 2u);
  EXPECT_NE(std::find(h[0].appeared.begin(), h[0].appeared.end(), "tests"), h[0].appeared.end());
  EXPECT_TRUE(h[1].appeared.empty());  // the oldest point has nothing to compare with
  EXPECT_TRUE(h[0].regressed.empty());
  EXPECT_EQ(h[0].areas.count("code"), 1u);
  ASSERT_TRUE(score_trend(audits[0]).has_value());
  EXPECT_GT(*score_trend(audits[0]), 0);
  // Without --history, HEAD alone: a point for the store, no trend.
  auto head = run_audit({repo.string()}, rules_, uncached());
  ASSERT_EQ(head[0].history.size(), 1u);
  EXPECT_FALSE(score_trend(head[0]).has_value());
}

TEST_F(AuditTest, HtmlLinksTheHeatmapToFindingsAndDrawsLabelledTrends) {
  fs::path repo = make_repo("churn", true);
  write(repo / "notebook_paths.py", "import pandas as pd\ndf = pd.read_csv('/home/alice/data.csv')\n");
  git(repo, "add -A");
  git(repo, "commit -qm paths");
  AuditOptions opts;
  opts.history = 5;
  opts.use_cache = false;
  auto audits = run_audit({repo.string()}, rules_, opts);
  ASSERT_FALSE(audits[0].finding_list.empty());
  std::string html = render_audit("html", audits, "team");
  EXPECT_NE(html.find("<table class=\"summary\">"), std::string::npos);
  EXPECT_NE(html.find("why this maturity"), std::string::npos);
  EXPECT_NE(html.find("<section class=\"repo\" id=\"repo-1\">"), std::string::npos);
  // Heatmap cells link to the section and say what was found on hover.
  EXPECT_NE(html.find("<a href=\"#repo-1\" title=\"tests: present"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#repo-1\" title=\"ci: missing \u2014 CI001"), std::string::npos);
  // Findings by practice at path:line, with the rule's summary and docs page.
  EXPECT_NE(html.find("Findings by practice"), std::string::npos);
  EXPECT_NE(html.find("<code>notebook_paths.py:2</code>"), std::string::npos);
  EXPECT_NE(html.find(std::string("<a href=\"") + kRuleDocsBase + "DAT003.md\">DAT003</a>"),
            std::string::npos);
  EXPECT_NE(html.find("What to do next"), std::string::npos);
  // Trend charts: overall and per area, axes with dates and values, the commit tests appeared.
  EXPECT_NE(html.find("aria-label=\"overall score\""), std::string::npos);
  EXPECT_NE(html.find("aria-label=\"code score\""), std::string::npos);
  EXPECT_NE(html.find(">commit date</text>"), std::string::npos);
  EXPECT_NE(html.find(">score</text>"), std::string::npos);
  EXPECT_NE(html.find("class=\"up\""), std::string::npos);
  EXPECT_NE(html.find("tests appeared"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_EQ(network_references(html), std::vector<std::string>{});
  // Left out on request.
  std::string lean = render_audit("html", audits, "team", false);
  EXPECT_EQ(lean.find("Findings by practice"), std::string::npos);
}

TEST_F(AuditTest, WeakestPracticesAreRankedByHowManyRepositoriesMissThem) {
  RepoAudit a, b, c;
  a.practices = {{"deployment", "missing", {}, {}}, {"dependency_pinning", "missing", {}, {}}};
  b.practices = {{"deployment", "missing", {}, {}}, {"dependency_pinning", "missing", {}, {}}};
  c.practices = {{"deployment", "not_applicable", {}, {}}, {"dependency_pinning", "missing", {}, {}}};
  std::string md = render_audit("markdown", {a, b, c}, "team");
  size_t pinning = md.find("| dependency_pinning | 3 of 3 |"),
         deployment = md.find("| deployment | 2 of 2 |");
  ASSERT_NE(pinning, std::string::npos) << md;
  ASSERT_NE(deployment, std::string::npos) << md;
  EXPECT_LT(pinning, deployment);
}

TEST_F(AuditTest, MarkdownCsvAndJsonCarryTheSummaryColumns) {
  fs::path repo = make_repo("churn", true);
  AuditOptions opts;
  opts.history = 3;
  opts.use_cache = false;
  auto audits = run_audit({repo.string()}, rules_, opts);
  std::string md = render_audit("markdown", audits, "team");
  EXPECT_NE(
      md.find(
          "| repository | kind | score | maturity | why this maturity | trend | errors | warnings | info |"),
      std::string::npos)
      << md;
  EXPECT_NE(md.find("| churn | research |"), std::string::npos) << md;
  std::string csv = render_audit("csv", audits, "team");
  EXPECT_NE(csv.find(",research,"), std::string::npos) << csv;
  nlohmann::json j = nlohmann::json::parse(render_audit("json", audits, "team"))["repos"][0];
  EXPECT_EQ(j["kind"], "research");
  EXPECT_TRUE(j["maturity_reason"].is_string());
  EXPECT_FALSE(j["maturity_reason"].get<std::string>().empty());
  EXPECT_TRUE(j["next_steps"].is_array());
  ASSERT_TRUE(j["finding_list"].is_array());
  ASSERT_FALSE(j["finding_list"].empty());
  for (const char* key : {"rule", "severity", "practice", "location", "message", "summary", "help"})
    EXPECT_TRUE(j["finding_list"][0].contains(key)) << key;
  EXPECT_FALSE(nlohmann::json::parse(render_audit("json", audits, "team", false))["repos"][0].contains(
      "finding_list"));
}

}  // namespace
}  // namespace mlops

namespace mlops {

TEST(AuditShards, AreDisjointAndCoverTheSortedList) {
  std::vector<std::string> repos = {"e", "a", "d", "c", "b"};
  std::vector<std::string> seen;
  for (size_t i = 1; i <= 3; ++i) {
    auto part = shard_repositories(repos, i, 3);
    seen.insert(seen.end(), part.begin(), part.end());
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(shard_repositories(repos, 1, 3), (std::vector<std::string>{"a", "d"}));
}

TEST(AuditMerge, JsonReportsRoundTrip) {
  RepoAudit r;
  r.name = "churn";
  r.path = "/r/churn";
  r.commit = "abc";
  r.scores = compute_scores({{"tests", "present", {}, {}}, {"ci", "missing", {}, {}}});
  r.practices = {{"tests", "present", {}, {}}, {"ci", "missing", {}, {}}};
  r.total_findings = 4;
  HistoryPoint h;
  h.commit = "abc";
  h.date = "2026-11-20";
  h.score = 50;
  h.areas = {{"code", 50}};
  h.appeared = {"tests"};
  r.history = {h};
  r.kind = {"trains models", true};
  r.findings[Severity::Warning] = 4;
  r.finding_list = {{"CI001", Severity::Warning, "ci", "README.md:1", "no CI", "The project has CI"}};
  std::vector<RepoAudit> back;
  std::string error;
  ASSERT_TRUE(parse_audit_json(render_audit("json", {r}, "team"), back, error)) << error;
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].path, "/r/churn");
  EXPECT_EQ(back[0].scores.overall, r.scores.overall);
  EXPECT_EQ(back[0].total_findings, 4u);
  ASSERT_EQ(back[0].history.size(), 1u);
  EXPECT_EQ(back[0].history[0].score, 50);
  EXPECT_EQ(back[0].history[0].appeared, std::vector<std::string>{"tests"});
  EXPECT_EQ(back[0].kind.kind, "trains models");
  ASSERT_EQ(back[0].finding_list.size(), 1u);
  EXPECT_EQ(back[0].finding_list[0].location, "README.md:1");
  EXPECT_EQ(render_audit("json", back, "team"), render_audit("json", {r}, "team"));
  EXPECT_FALSE(parse_audit_json("{\"not\": 1}", back, error));
}

}  // namespace mlops
