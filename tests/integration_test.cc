// End-to-end tests of the real binary: report formats (SARIF validated against its schema),
// baselines, suppressions, the bundled examples and the pre-commit hook.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "support/process.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;

namespace {

using Proc = mlops::test_support::CommandResult;

Proc run(const std::string& cmd) {
  return mlops::test_support::run_shell(cmd + " 2>/dev/null");
}

std::string lint() {
  return std::string(MLOPS_BINARY) + " ";
}
std::string example(const char* name) {
  return std::string(MLOPS_SOURCE_DIR) + "/examples/" + name;
}

using mlops::test_support::TempDir;

std::string read(const fs::path& p) {
  return mlops::test_support::read_file(p);
}

bool have_python_jsonschema() {
  return run("/usr/bin/python3 -c 'import jsonschema'").status == 0;
}

}  // namespace

TEST(Examples, NeglectedProjectFailsWithFindingsAtFileLine) {
  Proc r = run(lint() + "check --no-cache --color never " + example("neglected-project"));
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("train.py:13:18: warning[DAT003]"), std::string::npos) << r.out;
}

TEST(Examples, WellPracticedProjectIsClean) {
  Proc r = run(lint() + "check --no-cache --color never " + example("well-practiced"));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("No findings"), std::string::npos) << r.out;
}

TEST(Formats, SarifIsValidAgainstTheSchema) {
  if (!have_python_jsonschema())
    GTEST_SKIP() << "python3-jsonschema not installed (scripts/setup.sh installs it)";
  TempDir t;
  fs::path sarif = t.path() / "out.sarif";
  Proc r = run(lint() + "check --no-cache --format sarif --output " + sarif.string() + " " +
               example("neglected-project"));
  ASSERT_EQ(r.status, 1);
  std::string schema = std::string(MLOPS_SOURCE_DIR) + "/tests/data/sarif-schema-2.1.0.json";
  Proc v = run(
      "/usr/bin/python3 -c 'import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), "
      "json.load(open(sys.argv[2]))); print(\"valid\")' " +
      sarif.string() + " " + schema);
  EXPECT_EQ(v.status, 0);
  EXPECT_EQ(v.out, "valid\n");
  nlohmann::json j = nlohmann::json::parse(read(sarif));
  const auto& run0 = j["runs"][0];
  ASSERT_FALSE(run0["results"].empty());
  for (const auto& res : run0["results"]) {
    EXPECT_TRUE(res.contains("partialFingerprints"));
    std::string uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    EXPECT_FALSE(uri.empty());
    EXPECT_NE(uri[0], '/') << "uris are relative to the root";
  }
  EXPECT_FALSE(run0["tool"]["driver"]["rules"][0]["helpUri"].get<std::string>().empty());
}

TEST(Formats, SarifFingerprintsSurviveUnrelatedLineMoves) {
  TempDir t;
  t.write("prep.py", "import pandas as pd\ndf = pd.read_csv('/home/alice/data/x.csv')\n");
  auto fingerprints = [&] {
    nlohmann::json j = nlohmann::json::parse(
        run(lint() + "check --no-cache --select DAT003 --format sarif " + t.path().string()).out);
    return j["runs"][0]["results"][0]["partialFingerprints"].dump();
  };
  std::string before = fingerprints();
  t.write("prep.py", "import os\n\nimport pandas as pd\n\n\ndf = pd.read_csv('/home/alice/data/x.csv')\n");
  EXPECT_EQ(before, fingerprints());
}

TEST(Formats, SeveralFormatsInOneRun) {
  TempDir t;
  fs::path gl = t.path() / "gl.json", junit = t.path() / "junit.xml";
  Proc r =
      run(lint() + "check --no-cache --format gitlab --output " + gl.string() + " --format junit --output " +
          junit.string() + " --format github " + example("neglected-project"));
  EXPECT_EQ(r.status, 1);
  // Paths are from the repository root: examples/neglected-project/train.py inside this project's
  // git work tree, train.py in a source tarball.
  EXPECT_NE(r.out.find("train.py,line=13,col=18,title=DAT003"), std::string::npos) << r.out;
  nlohmann::json issues = nlohmann::json::parse(read(gl));
  ASSERT_TRUE(issues.is_array());
  ASSERT_FALSE(issues.empty());
  for (const auto& i : issues) {
    EXPECT_TRUE(i.contains("fingerprint"));
    EXPECT_TRUE(i["location"]["lines"]["begin"].get<int>() >= 1);
  }
  std::string xml = read(junit);
  EXPECT_NE(xml.find("<testsuites"), std::string::npos);
  EXPECT_NE(xml.find("<failure"), std::string::npos);
  if (run("/usr/bin/python3 -c 'pass'").status == 0) {
    EXPECT_EQ(run("/usr/bin/python3 -c 'import sys,xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' " +
                  junit.string())
                  .status,
              0);
  }
}

TEST(Baseline, OnlyNewFindingsFailAndStaleEntriesAreReported) {
  TempDir t;
  t.write("prep.py", "import pandas as pd\ndf = pd.read_csv('/home/alice/data/x.csv')\n");
  fs::path base = t.path().parent_path() / (t.path().filename().string() + ".baseline.json");
  std::string root = t.path().string();
  EXPECT_EQ(
      run(lint() + "check --no-cache --select DAT003 --write-baseline " + base.string() + " " + root).status,
      1);
  Proc clean = run(lint() + "check --no-cache --select DAT003 --baseline " + base.string() + " " + root);
  EXPECT_EQ(clean.status, 0) << clean.out;
  EXPECT_NE(clean.out.find("1 in baseline"), std::string::npos) << clean.out;
  // Lines move and a new finding appears: only the new one fails.
  t.write("prep.py",
          "import pandas as pd\n\n\ndf = pd.read_csv('/home/alice/data/x.csv')\nb = '/mnt/data/y.csv'\n");
  Proc one = run(lint() + "check --no-cache --select DAT003 --baseline " + base.string() + " " + root);
  EXPECT_EQ(one.status, 1);
  EXPECT_NE(one.out.find("prep.py:5:"), std::string::npos) << one.out;
  EXPECT_EQ(one.out.find("prep.py:4:"), std::string::npos) << one.out;
  // The baselined finding is fixed: its entry is stale.
  t.write("prep.py", "import pandas as pd\n");
  Proc stale = run(lint() + "check --no-cache --select DAT003 --baseline " + base.string() + " " + root);
  EXPECT_EQ(stale.status, 0);
  EXPECT_NE(stale.out.find("no longer matches"), std::string::npos) << stale.out;
  fs::remove(base);
}

TEST(Suppressions, InlineCommentNeedsTheExactCodeAndIsCounted) {
  TempDir t;
  t.write("prep.py",
          "a = '/home/alice/a.csv'  # mlops-lint: ignore[DAT003] sample path in a docstring example\n"
          "# mlops-lint: ignore[DAT] prefixes are not enough\n"
          "b = '/home/alice/b.csv'\n"
          "# mlops-lint: ignore[DAT003] fixture for the loader tests\n"
          "c = '/home/alice/c.csv'\nimport pandas\n");
  std::string root = t.path().string();
  Proc r = run(lint() + "check --no-cache --select DAT003 --format json " + root);
  EXPECT_EQ(r.status, 1);
  nlohmann::json j = nlohmann::json::parse(r.out);
  int suppressed = 0, open = 0;
  for (const auto& f : j["findings"]) {
    if (f.value("suppressed", false)) {
      ++suppressed;
      EXPECT_FALSE(f["justification"].get<std::string>().empty());
    } else {
      ++open;
      EXPECT_EQ(f["line"], 3);
    }
  }
  EXPECT_EQ(suppressed, 2);
  EXPECT_EQ(open, 1);
  EXPECT_EQ(j["summary"]["suppressed"], 2);
  bool unused_noted = false;
  for (const auto& d : j["diagnostics"])
    unused_noted =
        unused_noted || d["message"].get<std::string>().find("unknown rule DAT") != std::string::npos;
  EXPECT_TRUE(unused_noted) << j["diagnostics"].dump();
  // Audits turn inline suppressions off.
  Proc audit = run(lint() + "check --no-cache --select DAT003 --no-inline-ignores --format json " + root);
  EXPECT_EQ(nlohmann::json::parse(audit.out)["summary"]["suppressed"], 0);
}

TEST(PreCommit, HookBlocksTheNeglectedExampleAndPassesTheGoodOne) {
  if (run("command -v pre-commit").status != 0)
    GTEST_SKIP() << "pre-commit not installed (scripts/setup.sh installs it)";
  TempDir t;
  // The hook repository: this project's .pre-commit-hooks.yaml at a commit.
  fs::path hooks = t.path() / "hooks";
  fs::create_directories(hooks);
  fs::copy_file(std::string(MLOPS_SOURCE_DIR) + "/.pre-commit-hooks.yaml", hooks / ".pre-commit-hooks.yaml");
  std::string git =
      "git -c user.name=t -c user.email=t@example.com -c init.defaultBranch=main -c commit.gpgsign=false ";
  ASSERT_EQ(run("cd " + hooks.string() + " && " + git + "init -q && " + git + "add . && " + git +
                "commit -qm hooks")
                .status,
            0);
  std::string rev = run("cd " + hooks.string() + " && git rev-parse HEAD").out;
  rev.erase(rev.find_last_not_of('\n') + 1);
  std::string bin_dir = fs::path(MLOPS_BINARY).parent_path().string();
  std::string env = "PATH=" + bin_dir + ":$PATH PRE_COMMIT_HOME=" + (t.path() / "pc-home").string() +
                    " XDG_CACHE_HOME=" + (t.path() / "cache").string() + " ";
  auto attempt = [&](const char* name) {
    fs::path repo = t.path() / name;
    fs::copy(example(name), repo, fs::copy_options::recursive);
    std::ofstream(repo / ".pre-commit-config.yaml")
        << "repos:\n  - repo: " << hooks.string() << "\n    rev: " << rev
        << "\n    hooks:\n      - id: mlops-lint-system\n";
    std::string in = "cd " + repo.string() + " && ";
    run(in + git + "init -q && " + git + "add -A");
    return run(in + env + "pre-commit run --color never 2>&1");
  };
  Proc bad = attempt("neglected-project");
  EXPECT_EQ(bad.status, 1) << bad.out;
  EXPECT_NE(bad.out.find("DAT003"), std::string::npos) << bad.out;
  Proc good = attempt("well-practiced");
  EXPECT_EQ(good.status, 0) << good.out;
}

TEST(Secrets, AreMaskedInEveryFormatAndInTheCache) {
  TempDir t;
  const std::string key = "9b1d0c7e5a3f2e8d6c4b2a0918273645fedcba98";
  t.write("train.py", "import wandb\nwandb.login(key=\"" + key + "\")\n");
  std::string cache = (t.path() / "cache").string();
  for (const char* format : {"text", "json", "sarif", "github", "gitlab", "junit", "markdown"}) {
    Proc r =
        run("XDG_CACHE_HOME=" + cache + " " + lint() + "check --format " + format + " " + t.path().string());
    EXPECT_EQ(r.status, 1) << format;
    EXPECT_NE(r.out.find("SEC001"), std::string::npos) << format;
    EXPECT_EQ(r.out.find(key), std::string::npos) << format << " leaks the key";
    EXPECT_EQ(r.out.find(key.substr(8)), std::string::npos) << format << " leaks part of the key";
  }
  for (const auto& e : fs::recursive_directory_iterator(cache)) {
    if (e.is_regular_file()) {
      EXPECT_EQ(read(e.path()).find(key), std::string::npos) << "the cache holds the key";
    }
  }
}

TEST(AuditHtml, RendersInAHeadlessBrowser) {
  if (run("command -v chromium").status != 0 || run("/usr/bin/python3 -c 'import zlib'").status != 0)
    GTEST_SKIP() << "chromium not installed (scripts/setup.sh installs it)";
  TempDir t;
  // Two checkouts two levels down, each with a history in which tests appear.
  const std::string git = "git -c user.name=t -c user.email=t@example.com -c commit.gpgsign=false ";
  for (const char* name : {"churn", "vision"}) {
    fs::path repo = t.path() / "org" / (std::string("acme+") + name) / "repo";
    fs::create_directories(repo.parent_path());
    fs::copy(example("neglected-project"), repo, fs::copy_options::recursive);
    std::string in = "cd " + repo.string() + " && ";
    ASSERT_EQ(run(in + git + "init -q && " + git + "remote add origin https://github.com/acme/" + name +
                  ".git && " + git + "add -A && " + git + "commit -qm one")
                  .status,
              0);
    std::ofstream(repo / "test_train.py") << "from train import *\n\ndef test_loads():\n    assert True\n";
    ASSERT_EQ(run(in + git + "add -A && " + git + "commit -qm tests").status, 0);
  }
  fs::path html = t.path() / "audit.html";
  ASSERT_EQ(run(lint() + "audit -q --no-cache --history 5 --format html --output " + html.string() + " " +
                (t.path() / "org").string())
                .status,
            0);
  const std::string chromium = "cd " + t.path().string() + " && HOME=" + t.path().string() +
                               " timeout 120 chromium --headless --no-sandbox --disable-gpu "
                               "--disable-background-networking --disable-component-update --no-first-run "
                               "--user-data-dir=" +
                               (t.path() / "profile").string();
  // The page as Chromium parsed it: summary, a heatmap linked to each repository's section,
  // findings, and trend charts with labelled axes.
  Proc dom = run(chromium + " --dump-dom file://" + html.string());
  for (const char* element :
       {"<table class=\"summary\">", "acme/churn", "acme/vision", "<table class=\"heat\">",
        "<a href=\"#repo-2\" title=\"", "id=\"repo-2\"", "<ul class=\"findings\">",
        "aria-label=\"overall score\"", ">commit date</text>", ">score</text>"})
    EXPECT_NE(dom.out.find(element), std::string::npos) << element;
  for (int width : {1400, 800}) {
    fs::path png = t.path() / ("audit-" + std::to_string(width) + ".png");
    Proc shot = run(chromium + " --window-size=" + std::to_string(width) +
                    ",900 --screenshot=" + png.string() + " file://" + html.string() + " 2>&1");
    ASSERT_TRUE(fs::exists(png)) << shot.out;
    // Not blank: decode the PNG (8-bit RGB/RGBA, undoing the row filters) and count pixels that
    // differ from the top-left background pixel.
    const std::string decoder =
        "import sys, zlib, struct\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        "pos, idat = 8, b''\n"
        "while pos < len(data):\n"
        "    n, kind = struct.unpack('>I4s', data[pos:pos + 8])\n"
        "    if kind == b'IHDR': w, h, depth, ctype = struct.unpack('>IIBB', data[pos + 8:pos + 18])\n"
        "    if kind == b'IDAT': idat += data[pos + 8:pos + 8 + n]\n"
        "    pos += 12 + n\n"
        "bpp = {2: 3, 6: 4}[ctype]\n"
        "raw, stride, prev, rows, i = zlib.decompress(idat), w * bpp, bytearray(w * bpp), [], 0\n"
        "for y in range(h):\n"
        "    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride\n"
        "    for x in range(stride):\n"
        "        a = line[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0\n"
        "        if f == 1: line[x] = (line[x] + a) & 255\n"
        "        elif f == 2: line[x] = (line[x] + b) & 255\n"
        "        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255\n"
        "        elif f == 4:\n"
        "            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)\n"
        "            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255\n"
        "    rows.append(bytes(line)); prev = line\n"
        "bg = rows[0][:bpp]\n"
        "differ = sum(1 for r in rows[::4] for x in range(0, stride, bpp * 4) if r[x:x + bpp] != bg)\n"
        "total = len(rows[::4]) * len(range(0, stride, bpp * 4))\n"
        "print('ok' if differ > total // 50 else 'blank')\n"
        "right = sum(1 for r in rows[::4] for x in range(stride * 3 // 5, stride, bpp * 4) if r[x:x + bpp] "
        "!= bg)\n"
        "print('wide' if right > 0 else 'narrow')\n";
    std::ofstream(t.path() / "decode.py") << decoder;
    Proc check = run("/usr/bin/python3 " + (t.path() / "decode.py").string() + " " + png.string());
    // Not blank, and the page uses the width of the window (not its left half).
    EXPECT_EQ(check.out, "ok\nwide\n") << width;
  }
}

// The analysers' acceptance test: tests/data/understood-repo shows each format understood (an
// aliased train_test_split, tracking only in a notebook, a tool named only in a comment and a
// string, Poetry with a lock file, GitLab CI testing through a Makefile target, a KServe canary
// and an Argo Rollout with analysis in one multi-document file, an LFS-tracked model), and the
// JSON practices must say so with evidence paths.
class Understanding : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::copy(std::string(MLOPS_SOURCE_DIR) + "/tests/data/understood-repo", repo_.path(),
             fs::copy_options::recursive);
  }
  nlohmann::json check() const {
    Proc r = run(lint() + "check --no-cache --profile production --format json " + repo_.path().string());
    EXPECT_EQ(r.status, 1) << r.out;
    return nlohmann::json::parse(r.out);
  }
  static std::vector<std::string> evidence_paths(const nlohmann::json& report, const std::string& practice) {
    std::vector<std::string> out;
    for (const auto& e : report["practices"][practice]["evidence"]) out.push_back(e["path"]);
    return out;
  }
  static std::vector<std::string> finding_paths(const nlohmann::json& report, const std::string& rule) {
    std::vector<std::string> out;
    for (const auto& f : report["findings"])
      if (f["rule"] == rule) out.push_back(f["path"]);
    return out;
  }
  TempDir repo_;
};

TEST_F(Understanding, PracticesAndEvidenceReflectWhatTheFilesSay) {
  using ::testing::Contains;
  using ::testing::ElementsAre;
  nlohmann::json report = check();
  const auto& p = report["practices"];
  // `from sklearn import model_selection as ms; ms.train_test_split(...)`.
  EXPECT_EQ(p["data_split"]["status"], "present");
  EXPECT_THAT(evidence_paths(report, "data_split"), Contains("src/churn/split.py"));
  // MLflow appears nowhere but in the notebook; the evidence points into its cell.
  EXPECT_EQ(p["experiment_tracking"]["status"], "present");
  EXPECT_THAT(evidence_paths(report, "experiment_tracking"), ElementsAre("notebooks/experiment.ipynb"));
  EXPECT_EQ(p["experiment_tracking"]["evidence"][0]["cell"], 2);
  // Optuna is named only in a comment and a string: no hyperparameter search.
  EXPECT_EQ(p["hyperparameter_tuning"]["status"], "missing");
  EXPECT_THAT(finding_paths(report, "TUN001"), ElementsAre("src/churn/train.py"));
  // Poetry ranges with a lock file are pinned.
  EXPECT_EQ(p["dependency_pinning"]["status"], "present");
  EXPECT_THAT(evidence_paths(report, "dependency_pinning"), Contains("poetry.lock"));
  EXPECT_TRUE(finding_paths(report, "DEP002").empty());
  EXPECT_TRUE(finding_paths(report, "DEP003").empty());  // the lock pins every declared package
  // GitLab CI runs `make test`, whose target runs pytest.
  EXPECT_EQ(p["ci_runs_tests"]["status"], "present");
  EXPECT_THAT(evidence_paths(report, "ci_runs_tests"), Contains(".gitlab-ci.yml"));
  // The KServe canary and the Rollout's analysis step, in one multi-document file.
  EXPECT_EQ(p["rollback"]["status"], "present");
  EXPECT_THAT(evidence_paths(report, "rollback"), ElementsAre("deploy/serving.yaml", "deploy/serving.yaml"));
  EXPECT_TRUE(finding_paths(report, "RBK002").empty());
  // The model is in Git LFS: nothing large is committed.
  EXPECT_EQ(p["large_files_managed"]["status"], "present");
}

TEST_F(Understanding, ARawTwelveMegabyteModelIsFlaggedAndTheLfsOneIsNot) {
  std::string model(12 * 1024 * 1024, '\x01');
  for (size_t i = 0; i < model.size(); i += 4096) model[i] = static_cast<char>(i / 4096);
  repo_.write("models/raw_model.pt", model);
  nlohmann::json report = check();
  EXPECT_EQ(report["practices"]["large_files_managed"]["status"], "missing");
  EXPECT_THAT(finding_paths(report, "DAT002"), ::testing::ElementsAre("models/raw_model.pt"));
}
