// Project kinds: a few cheap signals (paths, conditions, packaging metadata) decide what a project
// is, so that practices which cannot exist in it (a library's data versioning, a book's CI tests)
// are not_applicable rather than missing. The kind -> not-applicable table is kKindTable below.
#include "engine/project_kind.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <re2/re2.h>

namespace mlops {
namespace {

constexpr size_t kMinNotebooks = 5;

// Practices every ML lifecycle step owns; a kind listing "ml" leaves all of them out.
constexpr const char* kMlPractices[] = {
    "data_versioning",
    "data_split",
    "data_validation",
    "experiment_tracking",
    "config_management",
    "seeds",
    "model_versioning",
    "deployment",
    "monitoring",
    "rollback",
    "code_in_modules",
    "notebook_hygiene",
    "hyperparameter_tuning",
    "explainability",
    "model_validation",
    "pipeline_automation",
    "dependency_pinning",
    "tests",
    "ci",
    "ci_runs_tests",
    "linting",
    "team_process",
    "documentation",
};

// What a template repository itself is judged on, even though it has no ML code of its own: its
// own tests, CI, linting, README and review process (the templated project is not judged).
constexpr const char* kTemplateOwnPractices[] = {"tests",   "ci",           "ci_runs_tests",
                                                 "linting", "team_process", "documentation"};

struct KindRow {
  const char* kind;
  // Practice slugs (or rule ids, for a single rule of a practice) that cannot apply; "ml" stands
  // for the requirement rules of every entry of kMlPractices.
  std::vector<std::string> not_applicable;
  bool scored;
  // Practices among `not_applicable` that are still credited when their evidence is there:
  // never missing for this kind, present when the project has them.
  std::vector<std::string> credited = {};
};

// THE table of kind-dependent applicability (documented in docs/practices.md).
const std::vector<KindRow>& kind_table() {
  static const std::vector<KindRow> table = {
      {"application", {}, true},
      {"service", {}, true},
      // Paper code: no production path, a script is the pipeline.
      {"research",
       {"pipeline_automation", "model_validation", "deployment", "monitoring", "rollback", "explainability"},
       true},
      // A book's or a course's notebooks: no modules, tests or versioned artefacts to ask for;
      // teaching and Kaggle notebooks explore their data rather than validate a pipeline's input
      // (six blind labels of eight), but a notebook that does validate is credited.
      {"notebooks",
       {"data_versioning", "config_management", "tests", "ci_runs_tests", "linting", "model_versioning",
        "code_in_modules", "pipeline_automation", "deployment", "monitoring", "rollback", "model_validation",
        "explainability", "DOC002", "DOC003", "data_validation"},
       true,
       {"data_validation"}},
      // A package others train with: it trains and ships no model and no data of its own.
      {"library",
       {"data_versioning", "data_split", "data_validation", "experiment_tracking", "config_management",
        "seeds", "model_versioning", "hyperparameter_tuning", "pipeline_automation", "model_validation",
        "explainability", "deployment", "monitoring", "rollback", "DOC002", "DOC003"},
       true},
      // The templated project is not a real project: only the repository's own hygiene counts;
      // the template's own pinned dependencies (its dev tools, locked) are credited.
      {"template",
       {"data_versioning", "data_split", "data_validation", "experiment_tracking", "config_management",
        "seeds", "model_versioning", "deployment", "monitoring", "rollback", "code_in_modules",
        "notebook_hygiene", "hyperparameter_tuning", "explainability", "model_validation",
        "pipeline_automation", "DOC002", "DOC003", "dependency_pinning"},
       true,
       {"dependency_pinning"}},
      {"docs", {"ml"}, false},
      {"not_ml", {"ml"}, false},
  };
  return table;
}

const KindRow* row(const std::string& kind) {
  for (const auto& r : kind_table())
    if (kind == r.kind) return &r;
  return nullptr;
}

std::string base_of(const std::string& p) {
  auto s = p.rfind('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

std::string top_dir(const std::string& p) {
  auto s = p.find('/');
  return s == std::string::npos ? "" : p.substr(0, s);
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_code(const std::string& p) {
  static const char* exts[] = {".py", ".ipynb", ".r",   ".R", ".jl",    ".js", ".ts", ".go",  ".java", ".rs",
                               ".c",  ".cc",    ".cpp", ".h", ".scala", ".rb", ".sh", ".sql", ".m"};
  return std::any_of(std::begin(exts), std::end(exts), [&](const char* e) { return ends_with(p, e); });
}

bool is_test_or_doc(const std::string& p) {
  static const RE2 re(
      R"((^|/)(tests?|docs?|examples?|benchmarks?)/|(^|/)(test_[^/]*|[^/]*_test|conftest|setup|noxfile)\.py$)");
  return RE2::PartialMatch(p, re);
}

// Kedro's pipeline registry is what `kedro run` starts: a Kedro project's package is its
// application, not a library.
bool is_training_entry(const std::string& p) {
  static const RE2 re(
      R"((^|/)(train[^/]*|[^/]*_train|main|finetune[^/]*|fine_tune[^/]*|run_[^/]*|pipeline_registry)\.py$)");
  return RE2::PartialMatch(p, re) && !ends_with(p, "_test.py");
}

// The package name from pyproject.toml ([project] / [tool.poetry]), setup.cfg or setup.py; a
// quick textual look (the manifests analyser parses them for dependencies, not here).
std::optional<std::string> package_name(const KindInput& in) {
  // Each pattern is compiled the first time its file exists.
  if (!in.read) return std::nullopt;
  std::string name;
  if (auto t = in.read("pyproject.toml")) {
    static const RE2 toml_name(
        R"((?m)^\s*\[(?:project|tool\.poetry)\]\s*$(?s:.*?)^\s*name\s*=\s*["']([^"'\n]+)["'])");
    if (RE2::PartialMatch(*t, toml_name, &name)) return name;
  }
  if (auto t = in.read("setup.cfg")) {
    static const RE2 cfg_name(R"((?m)^\s*\[metadata\]\s*$(?s:.*?)^\s*name\s*=\s*(\S+))");
    if (RE2::PartialMatch(*t, cfg_name, &name)) return name;
  }
  if (auto t = in.read("setup.py")) {
    static const RE2 py_name(R"(\bname\s*=\s*["']([^"'\n]+)["'])");
    if (RE2::PartialMatch(*t, py_name, &name)) return name;
    // The common setup.py template names the package in a constant: `NAME = "pkg"` ...
    // `setup(name=NAME)`.
    static const RE2 py_name_var(R"(\bsetup\s*\((?s:.*?)\bname\s*=\s*([A-Za-z_]\w*)\s*[,)\n])");
    std::string var;
    if (RE2::PartialMatch(*t, py_name_var, &var) &&
        RE2::PartialMatch(*t, RE2("(?m)^" + var + R"(\s*=\s*["']([^"'\n]+)["'])"), &name))
      return name;
  }
  return std::nullopt;
}

// A regex matching the distribution name as installers accept it: PEP 503 treats runs of `-`,
// `_` and `.` alike, and case does not matter.
std::string name_pattern(const std::string& name) {
  std::string out = "(?i)";
  bool sep = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      sep = true;
      continue;
    }
    if (sep) out += "[-_.]+";
    sep = false;
    out += RE2::QuoteMeta(std::string(1, c));
  }
  return out;
}

// Whether the package is published for others to install: the README tells users to
// `pip install NAME` (not `-e .` or `-r requirements.txt`), or a CI workflow uploads to PyPI.
// Returns the evidence, or "".
std::string publication(const KindInput& in, const std::string& name) {
  if (!in.read) return "";
  const RE2 install(
      R"((?:pip3?|uv\s+pip|poetry)\s+(?:install|add)\s+(?:(?:-U|--upgrade|--user|-q)\s+)*["']?)" +
      name_pattern(name) + R"((?:["'\s\[=<>~!;,`)]|$))");
  for (const char* readme : {"README.md", "README.rst", "README.txt", "README"})
    if (auto t = in.read(readme); t && RE2::PartialMatch(*t, install))
      return std::string(readme) + " installs it with pip";
  static const RE2 upload(
      R"(pypa/gh-action-pypi-publish|\btwine\s+upload\b|\b(?:poetry|flit|hatch|uv)\s+publish\b)");
  for (const auto& p : in.paths) {
    if (p.rfind(".github/workflows/", 0) != 0 && p != ".gitlab-ci.yml") continue;
    if (auto t = in.read(p); t && RE2::PartialMatch(*t, upload)) return p + " publishes it";
  }
  return "";
}

// Sphinx / MkDocs builds keep a Makefile (and sometimes a Dockerfile) under docs/: it builds
// the documentation, not the project.
bool in_docs(const std::string& p) {
  static const RE2 re(R"(^(?:[^/]*/)*docs?/)");
  return RE2::PartialMatch(p, re);
}

bool condition(const KindInput& in, const std::string& name, bool fallback = false) {
  auto it = in.conditions.find(name);
  return it == in.conditions.end() ? fallback : it->second;
}

}  // namespace

const std::vector<std::string>& project_kinds() {
  static const std::vector<std::string> kinds = [] {
    std::vector<std::string> k;
    for (const auto& r : kind_table()) k.push_back(r.kind);
    return k;
  }();
  return kinds;
}

ProjectKind project_kind(const KindInput& in) {
  ProjectKind k;
  // Templates first: their placeholders make any other signal meaningless.
  if (in.root.find("{{") != std::string::npos)
    return {"template", {"inside a templated directory " + in.root}};
  for (const auto& p : in.paths) {
    if (p.find("{{cookiecutter.") != std::string::npos || p.find("{{ cookiecutter.") != std::string::npos)
      return {"template", {"cookiecutter placeholders in paths (" + p + ")"}};
    if (p == "cookiecutter.json" || p == "copier.yml" || p == "copier.yaml")
      return {"template", {p + " defines a project template"}};
  }
  // A rule set without the ml_project condition cannot tell: assume ML rather than silence rules.
  const bool ml_project = condition(in, "ml_project", true);
  if (!ml_project) {
    bool code = std::any_of(in.paths.begin(), in.paths.end(), is_code);
    if (!code) return {"docs", {"no code files, no ML library, pipeline or model serving"}};
    return {"not_ml", {"code without any ML library import, ML pipeline definition or model serving"}};
  }
  if (condition(in, "serves_model")) return {"service", {"serves a model (serves_model holds)"}};

  size_t py = 0, nb = 0;
  size_t helpers = 0;  // .py files named as the notebooks' support (utils, grading, downloads)
  static const RE2 helper(R"((?i)(?:util|helper|grading|grader|submit|download|colab)[^/]*\.py$)");
  for (const auto& p : in.paths) {
    if (ends_with(p, ".py")) ++py;
    if (ends_with(p, ".py") && RE2::PartialMatch(base_of(p), helper)) ++helpers;
    if (ends_with(p, ".ipynb")) ++nb;
  }
  // A handful of notebooks is a project whose code lives in notebooks (COD001's case); a
  // collection (a book, a course, Kaggle kernels) has many and little else: its helper modules
  // (a course's grading, download and plotting utilities) serve the notebooks.
  if (nb >= kMinNotebooks && 2 * (py - helpers) < nb)
    return {"notebooks",
            {std::to_string(nb) + " notebooks and " + std::to_string(py) + " Python files" +
             (helpers ? " (" + std::to_string(helpers) + " of them helpers)" : "")}};

  // A library: named packaging metadata, (nearly) all code in package directories, and no
  // training entry point inside them.
  if (auto name = package_name(in)) {
    std::set<std::string> packages;
    // The import name of the distribution (`pytorch-tabnet` -> `pytorch_tabnet`): a directory of
    // that name holding Python files is its package even without an __init__.py (a namespace
    // package, which Poetry's `packages = [{include = ...}]` ships as well).
    std::string import_name = *name;
    for (char& c : import_name)
      c = c == '-' || c == '.' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& p : in.paths) {
      std::string top = top_dir(p);
      if (top == "src") top = "src/" + top_dir(p.substr(4));
      if (top.empty() || top == "src/") continue;
      const std::string_view dir = top.starts_with("src/") ? std::string_view(top).substr(4) : top;
      // An Airflow DAG folder with an __init__.py is the application's pipeline, not a package.
      if (dir == "dags") continue;
      if (base_of(p) == "__init__.py" || (ends_with(p, ".py") && dir == import_name)) packages.insert(top);
    }
    size_t code = 0, in_package = 0;
    bool entry = false, entry_outside = false;
    for (const auto& p : in.paths) {
      if (!ends_with(p, ".py") || is_test_or_doc(p)) continue;
      ++code;
      bool inside = std::any_of(packages.begin(), packages.end(),
                                [&](const std::string& pkg) { return p.rfind(pkg + "/", 0) == 0; });
      if (!inside) {
        entry_outside = entry_outside || is_training_entry(p);
        continue;
      }
      ++in_package;
      entry = entry || is_training_entry(p);
    }
    const std::string where = packages.empty() ? ""
                                               : " Python files in " + *packages.begin() +
                                                     (packages.size() > 1 ? " and others" : "");
    if (!packages.empty() && code > 0 && in_package * 10 >= code * 9 && !entry)
      return {"library",
              {"package '" + *name + "' with " + std::to_string(in_package) + " of " + std::to_string(code) +
               where + ", no training entry point in it"}};
    // A published package beside its examples and tools (a hub entry point, a benchmark
    // script, weight converters): examples/ is left out above, and the other files train
    // nothing of their own — no training entry point anywhere outside tests and examples.
    if (!packages.empty() && in_package > 0 && !entry && !entry_outside)
      if (std::string published = publication(in, *name); !published.empty())
        return {"library",
                {"package '" + *name + "' (" + published + ") with " + std::to_string(in_package) + " of " +
                 std::to_string(code) + where +
                 "; the other files are examples and tools with no training entry point"}};
  }

  // Research code: ML code (training, or a framework the training conditions do not know yet)
  // without the structure of an application (containers, pipelines — DVC, Airflow, Kedro's
  // pipeline registry and data catalog, Snakemake —, a Makefile).
  static const RE2 app(
      R"((?i)(^|/)(Dockerfile[^/]*|docker-compose[^/]*|dvc\.yaml|[^/]*\.dvc|MLproject|Makefile|dags/[^/]*\.py|Snakefile|pipeline_registry\.py|conf/base/catalog(?:[^/]*|/[^/]+)\.ya?ml)$)");
  auto it = std::find_if(in.paths.begin(), in.paths.end(),
                         [](const std::string& p) { return RE2::PartialMatch(p, app) && !in_docs(p); });
  const std::string what = condition(in, "trains_models") ? "trains models" : "ML code";
  if (it == in.paths.end() && condition(in, "orchestrates_pipelines", false))
    return {"application",
            {what + "; pipelines defined with an orchestrator (ZenML, Prefect, Metaflow, ...)"}};
  if (it == in.paths.end()) return {"research", {what + "; no container, pipeline or Makefile around it"}};
  return {"application", {what + "; " + *it + " structures the project"}};
}

bool applies_to_kind(const std::string& kind, const std::string& practice, const std::string& rule_id,
                     bool requirement) {
  const KindRow* r = row(kind);
  if (!r) return true;
  for (const auto& na : r->not_applicable) {
    if (na == practice || na == rule_id) return false;
    if (na == "ml" && requirement &&
        std::find(std::begin(kMlPractices), std::end(kMlPractices), practice) != std::end(kMlPractices))
      return false;
  }
  return true;
}

const std::vector<std::string>& kind_conditions() {
  static const std::vector<std::string> names = {"ml_code", "ml_project", "trains_models", "serves_model",
                                                 "orchestrates_pipelines"};
  return names;
}

bool asked_without_ml(const std::string& kind, const std::string& root, const std::string& practice,
                      const std::string& rule_id) {
  if (kind != "template" || root.find("{{") != std::string::npos) return false;
  if (rule_id == "DOC002" || rule_id == "DOC003") return false;
  return std::find_if(std::begin(kTemplateOwnPractices), std::end(kTemplateOwnPractices),
                      [&](const char* p) { return practice == p; }) != std::end(kTemplateOwnPractices);
}

bool credited_for_kind(const std::string& kind, const std::string& practice) {
  const KindRow* r = row(kind);
  return r && std::find(r->credited.begin(), r->credited.end(), practice) != r->credited.end();
}

bool kind_is_scored(const std::string& kind) {
  const KindRow* r = row(kind);
  return !r || r->scored;
}

}  // namespace mlops
