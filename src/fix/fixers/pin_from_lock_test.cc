// Tests of the pin-from-lock fixer: PEP 440 versions and specifiers, the requirement rewrite, the
// lock lookup, and whole fixes on in-memory repositories (with the real analysers producing the
// findings through a DEP002-like rule).
#include "fix/fixers/pin_from_lock.h"

#include <gtest/gtest.h>

#include "fix/edits.h"
#include "fix/fixes.h"
#include "repo/memory_snapshot.h"
#include "rules/rule_loader.h"

namespace mlops {
namespace {

using Files = std::map<std::string, std::string>;

const char* kUvLock = R"(version = 1
requires-python = ">=3.11"

[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "scikit-learn"
version = "1.5.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "torch"
version = "2.3.0"
source = { registry = "https://pypi.org/simple" }
)";

const char* kPoetryLock = R"([[package]]
name = "pandas"
version = "2.2.2"
description = "Powerful data structures"
optional = false
python-versions = ">=3.9"

[[package]]
name = "Scikit_Learn"
version = "1.4.2"
optional = false
python-versions = ">=3.9"

[metadata]
lock-version = "2.0"
)";

// The fixed bytes of `path` after fixing the finding at `line` with `subject`; nullopt when the
// fixer declines.
std::optional<std::string> fix_at(const Files& files, const std::string& path, int line,
                                  const std::string& subject, std::vector<std::string> projects = {"."},
                                  const std::string& project = ".", std::string* message = nullptr) {
  MemorySnapshot snapshot(files);
  CheckResult result;
  for (const auto& p : projects) result.projects.push_back(ProjectReport{p, {}, "application", {}, {}, {}});
  RuleSet rules;
  FixContext context(snapshot, result, rules);
  Finding f;
  f.rule_id = "DEP002";
  f.where = {path, line, 1, 0, 0};
  f.project = project;
  f.subject = subject;
  auto fix = fix_pin_from_lock(context, f);
  if (!fix) return std::nullopt;
  EXPECT_EQ(fix->applicability, Applicability::Safe);
  if (message) *message = fix->message;
  return apply_edits(files.at(path), fix->edits);
}

TEST(PinFromLock, ParsesAndOrdersVersions) {
  auto v = parse_pep440("1!2.0.3rc1.post2.dev4+local.7");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->epoch, 1);
  EXPECT_EQ(v->release, (std::vector<long>{2, 0, 3}));
  EXPECT_EQ(v->pre_kind, 2);
  EXPECT_EQ(v->pre, 1);
  EXPECT_EQ(v->post, 2);
  EXPECT_EQ(v->dev, 4);
  EXPECT_EQ(v->local, "local.7");
  EXPECT_FALSE(parse_pep440("latest"));
  EXPECT_FALSE(parse_pep440("1.0-beta-gamma"));
  EXPECT_FALSE(parse_pep440(""));

  auto cmp = [](const char* a, const char* b) { return compare_pep440(*parse_pep440(a), *parse_pep440(b)); };
  EXPECT_EQ(cmp("1.0", "1.0.0"), 0);
  EXPECT_EQ(cmp("V1.0ALPHA1", "1.0a1"), 0);
  EXPECT_LT(cmp("1.0.dev1", "1.0a1"), 0);
  EXPECT_LT(cmp("1.0a1", "1.0b1"), 0);
  EXPECT_LT(cmp("1.0b1", "1.0rc1"), 0);
  EXPECT_LT(cmp("1.0rc1", "1.0"), 0);
  EXPECT_LT(cmp("1.0", "1.0.post1"), 0);
  EXPECT_LT(cmp("1.0.post1.dev1", "1.0.post1"), 0);
  EXPECT_LT(cmp("1.0", "1.0+cpu"), 0);
  EXPECT_LT(cmp("1.9", "1.10"), 0);
  EXPECT_LT(cmp("9.0", "1!1.0"), 0);
  EXPECT_EQ(cmp("1.0-1", "1.0.post1"), 0);
}

TEST(PinFromLock, EvaluatesSpecifiers) {
  auto sat = [](const char* v, const char* s) { return satisfies_specifier(v, s); };
  EXPECT_EQ(sat("1.26.4", ""), true);
  EXPECT_EQ(sat("1.26.4", ">=1.20"), true);
  EXPECT_EQ(sat("1.26.4", ">=1.20, <2"), true);
  EXPECT_EQ(sat("1.26.4", ">=2"), false);
  EXPECT_EQ(sat("1.26.4", "~=1.24"), true);
  EXPECT_EQ(sat("2.0", "~=1.24"), false);
  EXPECT_EQ(sat("1.26.4", "~=1.26.0"), true);
  EXPECT_EQ(sat("1.27.0", "~=1.26.0"), false);
  EXPECT_EQ(sat("1.26.4", "==1.26.*"), true);
  EXPECT_EQ(sat("1.26.4", "!=1.26.*"), false);
  EXPECT_EQ(sat("1.26.4", "!=1.26.3"), true);
  EXPECT_EQ(sat("2.3.0+cpu", "==2.3.0"), true);
  EXPECT_EQ(sat("2.3.0+cpu", "==2.3.0+cu121"), false);
  EXPECT_EQ(sat("2.0rc1", "<2.0"), false);  // <V excludes V's own pre-releases
  EXPECT_EQ(sat("2.0rc1", "<2.0rc2"), true);
  EXPECT_EQ(sat("1.0.post1", ">1.0"), false);  // >V excludes V's post-releases
  EXPECT_EQ(sat("1.1", ">1.0"), true);
  EXPECT_EQ(sat("1.0", "===1.0"), true);
  EXPECT_EQ(sat("1.0.0", "===1.0"), false);
  // Unreadable: no answer, so the fixer declines.
  EXPECT_FALSE(sat("1.0", ">=1.*"));
  EXPECT_FALSE(sat("1.0", "(>=1.0)"));
  EXPECT_FALSE(sat("1.0", ">= "));
  EXPECT_FALSE(sat("1.0", ">=1.0,"));
  EXPECT_FALSE(sat("1.0", "~=1"));
  EXPECT_FALSE(sat("not-a-version", ">=1"));
}

TEST(PinFromLock, RewritesOnlyTheVersionPart) {
  EXPECT_EQ(pin_requirement("numpy", "1.26.4"), "numpy==1.26.4");
  EXPECT_EQ(pin_requirement("numpy>=1.20", "1.26.4"), "numpy==1.26.4");
  EXPECT_EQ(pin_requirement("numpy >= 1.20, < 2", "1.26.4"), "numpy==1.26.4");
  EXPECT_EQ(pin_requirement("torch[cuda,extra]>=2.1", "2.3.0"), "torch[cuda,extra]==2.3.0");
  EXPECT_EQ(pin_requirement("torch [cuda] >=2.1", "2.3.0"), "torch [cuda]==2.3.0");
  EXPECT_EQ(pin_requirement("numpy>=1.20; python_version < \"3.12\"", "1.26.4"),
            "numpy==1.26.4; python_version < \"3.12\"");
  EXPECT_EQ(pin_requirement("numpy ; python_version < '3.12'", "1.26.4"),
            "numpy==1.26.4 ; python_version < '3.12'");
  EXPECT_FALSE(pin_requirement("numpy>=2", "1.26.4"));  // the lock is outside the range: decline
  EXPECT_FALSE(pin_requirement("peft @ git+https://github.com/huggingface/peft.git", "0.11.0"));
  EXPECT_FALSE(pin_requirement("torch[cuda", "2.3.0"));
  EXPECT_FALSE(pin_requirement("-e .", "1.0"));
  EXPECT_FALSE(pin_requirement("numpy", "latest"));
}

TEST(PinFromLock, RequirementsWithUvLock) {
  Files files = {{"requirements.txt", "# training\nnumpy>=1.20\nscikit-learn\n"}, {"uv.lock", kUvLock}};
  std::string message;
  EXPECT_EQ(fix_at(files, "requirements.txt", 2, "numpy>=1.20", {"."}, ".", &message),
            "# training\nnumpy==1.26.4\nscikit-learn\n");
  EXPECT_EQ(message, "pin numpy to 1.26.4 (from uv.lock)");
  EXPECT_EQ(fix_at(files, "requirements.txt", 3, "scikit-learn"),
            "# training\nnumpy>=1.20\nscikit-learn==1.5.0\n");
}

TEST(PinFromLock, NamesCompareNormalisedWithPoetryLock) {
  Files files = {{"requirements.in", "pandas  # data frames\nscikit.learn>=1.4,<1.5\n"},
                 {"poetry.lock", kPoetryLock}};
  EXPECT_EQ(fix_at(files, "requirements.in", 1, "pandas"),
            "pandas==2.2.2  # data frames\nscikit.learn>=1.4,<1.5\n");
  EXPECT_EQ(fix_at(files, "requirements.in", 2, "scikit.learn>=1.4,<1.5"),
            "pandas  # data frames\nscikit.learn==1.4.2\n");
}

TEST(PinFromLock, KeepsExtrasMarkerCommentAndCrlf) {
  Files files = {{"requirements.txt", "torch[cuda]>=2.1 ; python_version < \"3.12\"  # GPU box\r\nnumpy\r\n"},
                 {"uv.lock", kUvLock}};
  EXPECT_EQ(fix_at(files, "requirements.txt", 1, "torch[cuda]>=2.1 ; python_version < \"3.12\""),
            "torch[cuda]==2.3.0 ; python_version < \"3.12\"  # GPU box\r\nnumpy\r\n");
  EXPECT_EQ(fix_at(files, "requirements.txt", 2, "numpy"),
            "torch[cuda]>=2.1 ; python_version < \"3.12\"  # GPU box\r\nnumpy==1.26.4\r\n");
}

TEST(PinFromLock, PyprojectStringKeepsItsQuotes) {
  Files files = {{"pyproject.toml",
                  "[project]\nname = \"churn\"\nversion = \"0.1.0\"\n"
                  "dependencies = ['numpy>=1', \"scikit-learn\"]\n"},
                 {"uv.lock", kUvLock}};
  EXPECT_EQ(fix_at(files, "pyproject.toml", 4, "numpy>=1"),
            "[project]\nname = \"churn\"\nversion = \"0.1.0\"\ndependencies = ['numpy==1.26.4', "
            "\"scikit-learn\"]\n");
  EXPECT_EQ(fix_at(files, "pyproject.toml", 4, "scikit-learn"),
            "[project]\nname = \"churn\"\nversion = \"0.1.0\"\ndependencies = ['numpy>=1', "
            "\"scikit-learn==1.5.0\"]\n");
}

TEST(PinFromLock, Declines) {
  Files lock = {{"uv.lock", kUvLock}};
  auto with = [&](Files extra) {
    extra.insert(lock.begin(), lock.end());
    return extra;
  };
  // The locked version is outside the requirement's range.
  EXPECT_FALSE(fix_at(with({{"requirements.txt", "numpy>=2\n"}}), "requirements.txt", 1, "numpy>=2"));
  // No lock; a lock that does not name the package; a lock that does not parse.
  EXPECT_FALSE(fix_at({{"requirements.txt", "numpy\n"}}, "requirements.txt", 1, "numpy"));
  EXPECT_FALSE(fix_at(with({{"requirements.txt", "pandas\n"}}), "requirements.txt", 1, "pandas"));
  // A lock that mentions the package but does not parse might disagree with the one that does;
  // one that does not mention it cannot.
  Files broken = {{"requirements.txt", "numpy\n"},
                  {"requirements.lock", "numpy==1.26.4\n"},
                  {"uv.lock", "[[package]\nname = \"numpy\"\nversion = "}};
  EXPECT_FALSE(fix_at(broken, "requirements.txt", 1, "numpy"));
  broken["uv.lock"] = "[[package]\nname = \"pandas\"\nversion = ";
  EXPECT_EQ(fix_at(broken, "requirements.txt", 1, "numpy"), "numpy==1.26.4\n");
  // Locks that disagree, and one lock with two versions (a fork by marker).
  Files disagree = with({{"requirements.txt", "numpy\n"}, {"requirements.lock", "numpy==1.26.3\n"}});
  EXPECT_FALSE(fix_at(disagree, "requirements.txt", 1, "numpy"));
  std::string forked = std::string(kUvLock) + "\n[[package]]\nname = \"numpy\"\nversion = \"2.0.0\"\n";
  EXPECT_FALSE(
      fix_at({{"requirements.txt", "numpy\n"}, {"uv.lock", forked}}, "requirements.txt", 1, "numpy"));
  // URL, VCS and editable requirements; hashes and options after the requirement.
  EXPECT_FALSE(fix_at(with({{"requirements.txt", "numpy @ https://example.org/numpy-1.26.4.whl\n"}}),
                      "requirements.txt", 1, "numpy @ https://example.org/numpy-1.26.4.whl"));
  EXPECT_FALSE(fix_at(with({{"requirements.txt", "-e ./numpy\n"}}), "requirements.txt", 1, "-e ./numpy"));
  EXPECT_FALSE(
      fix_at(with({{"requirements.txt", "numpy --no-binary numpy\n"}}), "requirements.txt", 1, "numpy"));
  // A requirement continued on the next line, and a finding whose subject is not on its line.
  EXPECT_FALSE(
      fix_at(with({{"requirements.txt", "numpy \\\n  >=1.2\n"}}), "requirements.txt", 1, "numpy >=1.2"));
  EXPECT_FALSE(fix_at(with({{"requirements.txt", "numpy\n"}}), "requirements.txt", 2, "numpy"));
  // Conda environments and Pipfiles use other syntaxes.
  EXPECT_FALSE(
      fix_at(with({{"environment.yml", "dependencies:\n  - numpy\n"}}), "environment.yml", 2, "numpy"));
  // The same string twice on a pyproject line: which one is meant is unclear.
  EXPECT_FALSE(fix_at(with({{"pyproject.toml", "[project]\ndependencies = [\"numpy\"]  # \"numpy\"\n"}}),
                      "pyproject.toml", 2, "numpy"));
}

TEST(PinFromLock, UsesOnlyTheLocksOfTheFindingsProject) {
  // service/ is a project of its own: its lock says nothing about the root's requirements.
  Files files = {{"requirements.txt", "numpy\n"}, {"service/uv.lock", kUvLock}, {"service/app.py", ""}};
  EXPECT_FALSE(fix_at(files, "requirements.txt", 1, "numpy", {".", "service"}, "."));
  // Without that project boundary the lock below the root is the root project's.
  EXPECT_EQ(fix_at(files, "requirements.txt", 1, "numpy", {"."}, "."), "numpy==1.26.4\n");
  Files sub = {{"service/requirements.txt", "numpy\n"}, {"service/uv.lock", kUvLock}};
  EXPECT_EQ(fix_at(sub, "service/requirements.txt", 1, "numpy", {".", "service"}, "service"),
            "numpy==1.26.4\n");
}

TEST(PinFromLock, ReadsPipfileAndCondaLocks) {
  Files pipfile = {
      {"requirements.txt", "numpy\n"},
      {"Pipfile.lock", R"({"_meta": {}, "default": {"numpy": {"version": "==1.26.4"}}, "develop": {}})"}};
  EXPECT_EQ(fix_at(pipfile, "requirements.txt", 1, "numpy"), "numpy==1.26.4\n");
  Files conda = {{"requirements.txt", "numpy\n"},
                 {"conda-lock.yml",
                  "version: 1\npackage:\n  - name: numpy\n    version: 1.26.4\n    platform: linux-64\n"
                  "  - name: numpy\n    version: 1.26.4\n    platform: osx-arm64\n"}};
  EXPECT_EQ(fix_at(conda, "requirements.txt", 1, "numpy"), "numpy==1.26.4\n");
}

TEST(PinFromLock, ReadsRequirementsCompiledByPipToolsOrUv) {
  const std::string pip_tools =
      "#\n# This file is autogenerated by pip-compile with Python 3.11\n# by the following command:\n#\n"
      "#    pip-compile requirements.in\n#\nnumpy==1.26.4 \\\n    --hash=sha256:abc\n    # via pandas\n";
  const std::string uv =
      "# This file was autogenerated by uv via the following command:\n"
      "#    uv pip compile requirements.in -o requirements.txt\nnumpy==1.26.4 ; python_version >= \"3.9\"\n";
  std::string message;
  EXPECT_EQ(fix_at({{"requirements.txt", pip_tools}, {"requirements-serve.txt", "numpy\n"}},
                   "requirements-serve.txt", 1, "numpy", {"."}, ".", &message),
            "numpy==1.26.4\n");
  EXPECT_EQ(message, "pin numpy to 1.26.4 (from requirements.txt)");
  EXPECT_EQ(fix_at({{"requirements.txt", uv}, {"requirements-serve.txt", "numpy\n"}},
                   "requirements-serve.txt", 1, "numpy"),
            "numpy==1.26.4\n");
  // A compiled set and a lock that disagree.
  EXPECT_FALSE(fix_at({{"requirements.txt", uv},
                       {"requirements.lock", "numpy==1.26.3\n"},
                       {"serve-requirements.txt", "numpy\n"}},
                      "serve-requirements.txt", 1, "numpy"));
  // Only the header counts: a hand-written file that mentions pip-compile later is no lock.
  EXPECT_FALSE(fix_at({{"requirements.txt", "numpy==1.26.4\n# autogenerated by pip-compile? no\n"},
                       {"requirements-serve.txt", "numpy\n"}},
                      "requirements-serve.txt", 1, "numpy"));
  // The finding's own file is never its lock (a compiled file edited by hand).
  EXPECT_FALSE(fix_at({{"requirements.txt", uv + "pandas\n"}}, "requirements.txt", 4, "pandas"));
}

// The whole path: the real analysers find the unpinned lines (through a DEP002-like rule that,
// unlike the built-in one, does not stand down when a lock exists), the fixes apply, and a second
// pass finds nothing left to pin.
TEST(PinFromLock, FixesRealFindingsAndIsIdempotent) {
  RuleLoader loader;
  loader.add({"test/PIN001.yaml", R"(id: PIN001
name: unpinned-even-with-lock
practice: dependency_pinning
category: code
severity: warning
kind: pattern
summary: s
message: "Unpinned {match}"
rationale: r
remediation: r
check:
  unpinned_dependency: {}
fix: pin-from-lock
)",
              false});
  RuleSet rules = loader.finish();
  ASSERT_TRUE(loader.errors().empty()) << loader.errors().front().message;
  MemorySnapshot snapshot(
      Files{{"requirements.txt", "-r base.in\r\nnumpy>=1.20\r\ntorch[cuda]  # gpu\r\npandas>=2\r\n"},
            {"base.in", "scikit-learn>=1.4 # pulled in by -r\n"},
            {"uv.lock", kUvLock}});
  auto check = [&](const Snapshot& s) {
    CheckOptions options;
    options.jobs = 1;
    CheckResult result = run_check(s, rules, options);
    attach_fixes(result, s, rules);
    return result;
  };
  FixRun run = run_fixes(snapshot, false, check);
  ASSERT_EQ(run.fixed.count("requirements.txt"), 1u);
  EXPECT_EQ(run.fixed.at("requirements.txt"),
            "-r base.in\r\nnumpy==1.26.4\r\ntorch[cuda]==2.3.0  # gpu\r\npandas>=2\r\n");
  ASSERT_EQ(run.fixed.count("base.in"), 1u);
  EXPECT_EQ(run.fixed.at("base.in"), "scikit-learn==1.5.0 # pulled in by -r\n");
  EXPECT_EQ(run.applied, 3u);
  ASSERT_EQ(run.result.findings.size(), 1u);  // pandas: no lock names it
  EXPECT_EQ(run.result.findings[0].subject, "pandas>=2");
  EXPECT_FALSE(run.result.findings[0].fix);
  FixRun again = run_fixes(OverlaySnapshot(snapshot, run.fixed), false, check);
  EXPECT_TRUE(again.fixed.empty());
}

TEST(PinFromLock, SurvivesHostileLocks) {
  std::string deep = "[[package]]\nname = \"numpy\"\nversion = " + std::string(5000, '[') + "\n";
  std::string bomb = "package: &a [numpy, *a]\n";
  std::string yaml_bomb = "a: &a [numpy, numpy, numpy, numpy, numpy, numpy, numpy, numpy, numpy]\n";
  for (int i = 0; i < 9; ++i) {
    std::string next(1, static_cast<char>('b' + i));
    std::string prev(1, static_cast<char>('a' + i));
    yaml_bomb += next + ": &" + next + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" +
                 prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
  }
  std::string binary("numpy\0\xff==1\n", 11);
  for (const Files& files : std::vector<Files>{
           {{"requirements.txt", "numpy\n"}, {"uv.lock", deep}},
           {{"requirements.txt", "numpy\n"}, {"conda-lock.yml", bomb}},
           {{"requirements.txt", "numpy\n"}, {"conda-lock.yml", yaml_bomb}},
           {{"requirements.txt", "numpy\n"},
            {"Pipfile.lock", "{\"default\": {\"numpy\": [" + std::string(100000, '[')}},
           {{"requirements.txt", "numpy\n"}, {"requirements.lock", binary}},
           {{"requirements.txt", "numpy\n"},
            {"uv.lock", "[[package]]\nname = \"numpy\"\nversion = \"99999999999999999999\"\n"}},
       })
    EXPECT_FALSE(fix_at(files, "requirements.txt", 1, "numpy"));
  // Lines that are not requirements at all.
  Files odd = {{"requirements.txt", std::string(200000, 'x') + "\n\xff\xfe\n"}, {"uv.lock", kUvLock}};
  EXPECT_FALSE(fix_at(odd, "requirements.txt", 1, "numpy"));
  EXPECT_FALSE(fix_at(odd, "requirements.txt", 2, "\xff\xfe"));
  EXPECT_FALSE(fix_at(odd, "requirements.txt", 0, "numpy"));
}

}  // namespace
}  // namespace mlops
