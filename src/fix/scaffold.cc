// Practice scaffolds: the starting-point files (model card, data card, CI workflow, pre-commit
// hooks, params.yaml) built from what scaffold_facts.cc gathered about the project, and the plan
// that picks them. Pure: reads only through the snapshot, writes nothing.
#include "fix/scaffold.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "fix/scaffold_parts.h"

namespace mlops {
namespace {

using namespace scaffold_detail;

const std::vector<std::string> kScaffoldable = {"CFG001", "CI001", "CI002", "DOC002", "DOC003", "LNT001"};

std::string human_size(uint64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  size_t u = 0;
  while (v >= 1024 && u + 1 < std::size(units)) {
    v /= 1024;
    ++u;
  }
  if (u == 0) return std::to_string(bytes) + " B";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  return buf;
}

// A Markdown code span that survives backticks in the text.
std::string code_span(const std::string& s) {
  std::string ticks = s.find('`') == std::string::npos ? "`" : "``";
  return ticks + (ticks.size() > 1 ? " " : "") + s + (ticks.size() > 1 ? " " : "") + ticks;
}

std::string title_name(const ScaffoldRequest& req) {
  return req.project_name.empty() ? "project" : req.project_name;
}

// --- The files ------------------------------------------------------------------------------

ScaffoldFile model_card(const CodeFacts& code, const ScaffoldRequest& req, bool data_card_too) {
  ScaffoldFile f{"MODEL_CARD.md", "", "DOC002", {}, ""};
  std::string s = "# Model card: " + title_name(req) + "\n\n";
  s += "<!-- Started by `mlops-lint fix --scaffold DOC002`. The facts below were read from the code: check\n"
       "     them. Every TODO needs someone who knows the model. -->\n\n";
  s += "## Model details\n\n";
  std::string frameworks;
  for (const auto& fw : code.frameworks) frameworks += (frameworks.empty() ? "" : ", ") + fw;
  s += "- Framework(s): " + (frameworks.empty() ? "TODO: none found in the imports" : frameworks) + "\n";
  if (!code.model_classes.empty()) {
    std::string models;
    for (const auto& m : code.model_classes) models += (models.empty() ? "" : ", ") + code_span(m);
    s += "- Model class(es): " + models + "\n";
  }
  if (code.entry_points.empty()) {
    s += "- Training entry point: TODO: no script that imports a framework and trains was found\n";
    f.still_to_fill.push_back("the training entry point (none found)");
  } else {
    s += "- Training entry point(s):";
    for (const auto& e : code.entry_points) s += " " + code_span("python " + e);
    s += "\n";
  }
  s += "- TODO: version, owners, date, licence, where the trained model is stored\n\n";
  s += "## Intended use\n\nTODO: what the model is for, who uses it, and uses it is not meant for.\n\n";
  s += "## Training data\n\n";
  if (code.data_reads.empty()) {
    s += "- TODO: no data path found in the code; say what the model is trained on\n";
    f.still_to_fill.push_back("the training data (no data path found in the code)");
  } else {
    s += "Read by the code:\n\n";
    size_t n = 0;
    for (const auto& [path, where] : code.data_reads) {
      if (n++ == kMaxListed) {
        s += "- ... and " + std::to_string(code.data_reads.size() - kMaxListed) + " more\n";
        break;
      }
      s += "- " + code_span(path) + " (" + where + ")\n";
    }
  }
  if (data_card_too) s += "\nSee DATA_CARD.md.\n";
  s += "\nTODO: time range, size, how it was split into training, validation and test data.\n\n";
  s += "## Metrics\n\n";
  if (code.metrics.empty()) {
    s += "- TODO: no logged metric found in the code; name the metrics and why they fit the use\n";
    f.still_to_fill.push_back("the metrics (none found logged in the code)");
  } else {
    s += "Logged or printed by the code:\n\n";
    for (const auto& [name, where] : code.metrics) s += "- " + code_span(name) + " (" + where + ")\n";
    s += "\nTODO: the values the released model reaches, and the threshold it must meet.\n";
  }
  s += "\n## Evaluation data\n\nTODO: which data the metrics were measured on and how it differs from the "
       "training data.\n\n";
  s += "## Limitations\n\nTODO: where the model is known to fail or was not tested (populations, time "
       "ranges, input ranges).\n\n";
  s += "## Ethical considerations\n\nTODO: affected people, fairness checks done, personal data, risks "
       "of misuse.\n";
  f.contents = std::move(s);
  f.still_to_fill.insert(f.still_to_fill.end(),
                         {"intended use", "metric values and thresholds", "evaluation data", "limitations",
                          "ethical considerations", "version, owners and licence"});
  return f;
}

ScaffoldFile data_card(const RepoFacts& repo, const CodeFacts& code, const ScaffoldRequest& req) {
  ScaffoldFile f{"DATA_CARD.md", "", "DOC003", {}, ""};
  // Data files and how each is versioned; a .dvc file stands for the data it tracks.
  std::map<std::string, std::pair<std::string, std::string>> data;  // path -> size, versioning
  for (const auto& rel : repo.files) {
    if (has_control(rel)) continue;  // a file name with a newline would break the table
    if (rel.ends_with(".dvc") && base_name(rel) != ".dvc") {
      std::string target = rel.substr(0, rel.size() - 4);
      data[target] = {"", "DVC (" + code_span(rel) + ")"};
    }
  }
  for (const auto& rel : repo.files) {
    if (rel.starts_with(".") || rel.find("/.") != std::string::npos || has_control(rel))
      continue;  // .dvc/ ...
    if (is_test_file(rel) || rel.starts_with("tests/")) continue;
    std::string ext = extension(rel);
    std::string_view name = base_name(rel);
    bool candidate = data_extensions().count(ext) ||
                     (under_data_dir(rel) && !model_extensions().count(ext) && ext != "dvc" && ext != "md" &&
                      ext != "py" && !lower(name).starts_with("readme"));
    if (!candidate || data.count(rel)) continue;
    const FileEntry* e = repo.entries.at(rel);
    std::string how = e->lfs_pointer || e->lfs_tracked ? "Git LFS"
                      : e->tracked                     ? "git"
                      : repo.git                       ? "not tracked: untracked in git"
                                                       : "not tracked: no git repository";
    data[rel] = {human_size(e->size), how};
  }
  std::string s = "# Data card: " + title_name(req) + "\n\n";
  s += "<!-- Started by `mlops-lint fix --scaffold DOC003`. The file list was read from the repository: "
       "check it.\n     Every TODO needs someone who knows the data. -->\n\n";
  s += "## Files\n\n";
  if (data.empty()) {
    s += "TODO: no data file found in the repository; say where the data lives (bucket, database, DVC "
         "remote) and how it is versioned.\n";
    f.still_to_fill.push_back("where the data lives (no data file found)");
  } else {
    s += "| file | size | versioned with |\n|---|---|---|\n";
    size_t n = 0;
    for (const auto& [path, info] : data) {
      if (n++ == kMaxListed) {
        s += "\n... and " + std::to_string(data.size() - kMaxListed) + " more.\n";
        break;
      }
      std::string cell = code_span(path);
      for (size_t at = cell.find('|'); at != std::string::npos; at = cell.find('|', at + 2))
        cell.insert(at, "\\");
      s += "| " + cell + " | " + (info.first.empty() ? "-" : info.first) + " | " + info.second + " |\n";
    }
  }
  if (!code.data_reads.empty()) {
    s += "\nPaths the code reads:";
    size_t n = 0;
    for (const auto& [path, where] : code.data_reads) {
      if (n++ == kMaxListed) break;
      s += " " + code_span(path);
    }
    s += "\n";
  }
  s +=
      "\n## Source\n\nTODO: where the data comes from (system, vendor, public dataset and its URL), the time "
      "range it covers, and who owns it.\n\n";
  s += "## Licence and terms of use\n\nTODO: the licence or agreement that allows this use, and consent "
       "where people are concerned.\n\n";
  s += "## Collection and preprocessing\n\nTODO: how the data was collected, filtered, labelled and "
       "cleaned, and by which code.\n\n";
  s += "## Splits\n\nTODO: how training, validation and test data are separated (by time, by user, at "
       "random with a seed) and their sizes.\n\n";
  s += "## Personal and sensitive data\n\nTODO: which fields identify people or are sensitive, and how "
       "they are protected.\n\n";
  s += "## Known gaps and biases\n\nTODO: who or what is under-represented, known label noise, drift.\n";
  f.contents = std::move(s);
  f.still_to_fill.insert(f.still_to_fill.end(), {"source", "licence", "collection and preprocessing",
                                                 "splits", "personal data", "known gaps and biases"});
  return f;
}

// "3.11" from text that declares a Python version after `key` (">=3.9", "^3.10", "3.11.4").
std::optional<std::string> version_after(std::string_view text, std::string_view key) {
  size_t at = text.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  size_t end = text.find('\n', at);
  std::string_view line =
      text.substr(at + key.size(), end == std::string_view::npos ? end : end - at - key.size());
  for (size_t i = 0; i + 2 < line.size(); ++i) {
    if (line[i] != '3' || line[i + 1] != '.' || !std::isdigit(static_cast<unsigned char>(line[i + 2])))
      continue;
    if (i > 0 && (std::isdigit(static_cast<unsigned char>(line[i - 1])) || line[i - 1] == '.')) continue;
    size_t j = i + 2;
    while (j < line.size() && std::isdigit(static_cast<unsigned char>(line[j]))) ++j;
    return std::string(line.substr(i, j - i));
  }
  return std::nullopt;
}

std::optional<std::string> read_small(const Snapshot& snapshot, const RepoFacts& repo,
                                      const std::string& rel) {
  auto it = repo.entries.find(rel);
  if (it == repo.entries.end() || it->second->oversized) return std::nullopt;
  ReadResult r = snapshot.read(*it->second, 1 << 20);
  if (r.error) return std::nullopt;
  return r.bytes;
}

// The Python version the project declares, and where.
std::optional<std::pair<std::string, std::string>> declared_python(const Snapshot& snapshot,
                                                                   const RepoFacts& repo) {
  const std::vector<std::pair<std::string, std::string>> sources = {
      {".python-version", ""},          {"pyproject.toml", "requires-python"},
      {"pyproject.toml", "python ="},   {"setup.py", "python_requires"},
      {"setup.cfg", "python_requires"}, {"environment.yml", "python="},
      {"environment.yaml", "python="},  {"runtime.txt", "python-"}};
  for (const auto& [file, key] : sources) {
    auto text = read_small(snapshot, repo, file);
    if (!text) continue;
    if (auto v = version_after(*text, key)) return std::make_pair(*v, file);
  }
  return std::nullopt;
}

ScaffoldFile ci_file(const Snapshot& snapshot, const RepoFacts& repo, const ScaffoldRequest& req,
                     const std::string& rule_id, bool ci_exists) {
  bool gitlab = req.ci == CiProvider::GitLab;
  ScaffoldFile f{gitlab      ? ".gitlab-ci.yml"
                 : ci_exists ? ".github/workflows/tests.yml"
                             : ".github/workflows/ci.yml",
                 "",
                 rule_id,
                 {},
                 ""};
  if (!req.at_repository_root || (req.project != "." && !req.project.empty())) {
    f.skip_reason = "CI configuration belongs at the root of the git repository; run `fix --scaffold` there";
    f.still_to_fill.push_back(
        "a CI job at the repository root that installs this project and runs its tests");
    return f;
  }
  std::vector<std::string> install = {"python -m pip install --upgrade pip"};
  std::vector<std::string> todo_comments;
  for (const auto& rel : repo.files)
    if (rel.find('/') == std::string::npos && rel.starts_with("requirements") && rel.ends_with(".txt"))
      install.push_back("pip install -r " + rel);
  bool package = false;
  if (auto py = read_small(snapshot, repo, "pyproject.toml"))
    package = py->find("[project]") != std::string::npos || py->find("[tool.poetry]") != std::string::npos;
  package = package || repo.files.count("setup.py") || repo.files.count("setup.cfg");
  if (package) install.push_back("pip install .");
  bool conda = repo.files.count("environment.yml") || repo.files.count("environment.yaml");
  if (install.size() == 1) {
    if (conda) {
      todo_comments.push_back(
          "TODO: the dependencies are in a conda environment file: install it\n#   (e.g. with "
          "conda-incubator/setup-miniconda) instead of pip");
      f.still_to_fill.push_back("installing the conda environment (environment.yml) in CI");
    } else {
      todo_comments.push_back(
          "TODO: no dependency manifest found (requirements.txt, pyproject.toml):\n#   "
          "declare the dependencies and install them here");
      f.still_to_fill.push_back("installing the dependencies (no manifest found)");
    }
  }
  std::vector<std::string> test_steps;
  if (repo.has_tests) {
    install.push_back("pip install pytest");
    test_steps.push_back("python -m pytest");
  } else {
    todo_comments.push_back(
        "TODO: no tests found: add tests (tests/test_*.py) and run them here with\n#   "
        "`python -m pytest` instead of only compiling the sources");
    test_steps.push_back("python -m compileall -q .");
    f.still_to_fill.push_back(
        "tests: none found, so CI only compiles the code; add tests and a "
        "`python -m pytest` step (CI002 counts once tests exist)");
  }
  std::string version = "3.11";
  if (auto declared = declared_python(snapshot, repo)) {
    version = declared->first;
  } else {
    f.still_to_fill.push_back("the Python version: 3.11 assumed, none is declared");
  }

  std::string s = "# CI for " + title_name(req) + ", started by `mlops-lint fix --scaffold " + rule_id +
                  "`.\n# It installs the declared dependencies and runs the tests on every push and " +
                  (gitlab ? "merge request" : "pull request") + ".\n# Review it before committing.\n";
  for (const auto& t : todo_comments) s += "# " + t + "\n";
  if (gitlab) {
    s += "test:\n  image: python:" + version + "\n  script:\n";
    for (const auto& c : install) s += "    - " + c + "\n";
    for (const auto& c : test_steps) s += "    - " + c + "\n";
  } else {
    s += "name: " + std::string(ci_exists ? "tests" : "ci") +
         "\non:\n  push:\n  pull_request:\npermissions:\n  contents: read\njobs:\n  test:\n"
         "    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
         "      - uses: actions/setup-python@v5\n        with:\n          python-version: \"" +
         version + "\"\n      - name: Install dependencies\n        run: |\n";
    for (const auto& c : install) s += "          " + c + "\n";
    s += "      - name: Run tests\n        run: |\n";
    for (const auto& c : test_steps) s += "          " + c + "\n";
  }
  f.contents = std::move(s);
  return f;
}

ScaffoldFile pre_commit_file(const ScaffoldRequest& req) {
  ScaffoldFile f{".pre-commit-config.yaml", "", "LNT001", {}, ""};
  std::string version = req.tool_version.empty() ? "0.2.0" : req.tool_version;
  f.contents =
      "# pre-commit hooks, started by `mlops-lint fix --scaffold LNT001`. Run `pre-commit install` once;\n"
      "# the hooks then run on every commit (`pre-commit run --all-files` runs them now). Run\n"
      "# `pre-commit autoupdate` to move to the latest revisions. Add `- id: ruff-format` to format too.\n"
      "repos:\n"
      "  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
      "    rev: v0.6.9\n"
      "    hooks:\n"
      "      - id: ruff\n"
      "  - repo: https://github.com/mlops-lint/mlops-lint\n"
      "    rev: v" +
      version +
      "\n"
      "    hooks:\n"
      "      - id: mlops-lint\n";
  f.still_to_fill = {"run `pre-commit install` (and `pre-commit autoupdate` for the latest revisions)",
                     "ruff settings, if the defaults do not suit: [tool.ruff] in pyproject.toml"};
  return f;
}

ScaffoldFile params_file(const CodeFacts& code) {
  ScaffoldFile f{"params.yaml", "", "CFG001", {}, ""};
  std::string s =
      "# Hyperparameters found as literals in the code, started by `mlops-lint fix --scaffold CFG001`.\n"
      "# NOT WIRED IN YET: the code still uses its own literals. Load this file in training (e.g.\n"
      "# `params = yaml.safe_load(open(\"params.yaml\"))`) and pass each group to its constructor.\n";
  // One group per kind when there is one constructor of that kind, else a key per constructor.
  std::map<std::string, size_t> per_group;
  for (const auto& m : code.models) ++per_group[m.group];
  std::set<std::string> used;
  for (const auto& m : code.models) {
    std::string key = per_group[m.group] == 1 ? m.group : m.group + "_" + snake_case(m.class_name);
    std::string unique = key;
    for (int n = 2; used.count(unique); ++n) unique = key + "_" + std::to_string(n);
    used.insert(unique);
    s += "\n# " + m.class_name + " at " + m.where + "\n" + unique + ":\n";
    for (const auto& [k, v] : m.params) s += "  " + k + ": " + v + "\n";
  }
  if (code.models.empty()) {
    s += "\n# TODO: no model constructor with literal keyword arguments was found; list the\n"
         "# hyperparameters here.\nmodel: {}\n";
    f.still_to_fill.push_back("the hyperparameters (no literal constructor arguments found)");
  }
  f.contents = std::move(s);
  f.still_to_fill.push_back("read params.yaml in the training code and pass its values (not wired in yet)");
  return f;
}

const RuleResult* find_result(const CheckResult& result, const std::string& project, const std::string& id) {
  for (const auto& p : result.projects) {
    if (p.root != project) continue;
    for (const auto& r : p.results)
      if (r.rule_id == id) return &r;
  }
  return nullptr;
}

}  // namespace

const std::vector<std::string>& scaffoldable_rules() {
  return kScaffoldable;
}

std::vector<ScaffoldFile> plan_scaffolds(const Snapshot& snapshot, const CheckResult& result,
                                         const RuleSet& rules, const ScaffoldRequest& request) {
  const std::string project = request.project.empty() ? "." : request.project;
  std::set<std::string> wanted;
  if (request.missing) {
    for (const auto& id : kScaffoldable)
      if (const RuleResult* r = find_result(result, project, id); r && r->outcome == Outcome::Fail)
        wanted.insert(id);
  } else {
    for (const auto& id : request.ids)
      if (std::find(kScaffoldable.begin(), kScaffoldable.end(), id) != kScaffoldable.end()) wanted.insert(id);
  }
  // A rule the loaded rule set lacks has no outcome to report on: nothing to scaffold for it.
  for (auto it = wanted.begin(); it != wanted.end();) it = rules.find(*it) ? std::next(it) : wanted.erase(it);
  if (wanted.empty()) return {};

  RepoFacts repo = list_repo(snapshot, project);
  CodeFacts code;
  if (wanted.count("DOC002") || wanted.count("DOC003") || wanted.count("CFG001"))
    code = gather(snapshot, project);

  std::vector<ScaffoldFile> out;
  if (wanted.count("DOC002")) out.push_back(model_card(code, request, wanted.count("DOC003") > 0));
  if (wanted.count("DOC003")) out.push_back(data_card(repo, code, request));
  if (wanted.count("CI001") || wanted.count("CI002")) {
    // CI001 asks for CI; CI002 alone (CI exists but runs no tests) gets a workflow beside it.
    const RuleResult* ci = find_result(result, project, "CI001");
    bool ci_exists = !wanted.count("CI001") && ci && ci->outcome == Outcome::Pass;
    out.push_back(ci_file(snapshot, repo, request, wanted.count("CI001") ? "CI001" : "CI002", ci_exists));
  }
  if (wanted.count("LNT001")) out.push_back(pre_commit_file(request));
  if (wanted.count("CFG001")) out.push_back(params_file(code));

  for (auto& f : out) {
    if (code.truncated)
      f.still_to_fill.push_back("only the first " + std::to_string(kMaxSourceFiles) +
                                " source files were read: check the lists");
    if (f.skip_reason.empty() && repo.files.count(f.path)) {
      f.skip_reason = "already exists; not overwritten";
      if (f.rule_id == "CI002" || (f.rule_id == "CI001" && request.ci == CiProvider::GitLab))
        f.still_to_fill = {"add a job that runs `python -m pytest` to " + f.path};
      else
        f.still_to_fill.clear();
    }
    if (!f.skip_reason.empty()) f.contents.clear();
    f.path = in_project(project, f.path);
  }
  return out;
}

}  // namespace mlops
