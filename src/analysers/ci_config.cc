// Reading commands out of CI and build configuration.
#include "analysers/ci_config.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "util/repo_path.h"
#include "util/strings.h"

namespace mlops {
namespace {

std::string_view base_name(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool yaml_ext(std::string_view p) {
  return p.ends_with(".yml") || p.ends_with(".yaml");
}

std::vector<std::string> split_lines(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t nl = s.find('\n', start);
    out.emplace_back(s.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

// Splits a script scalar into command lines with their file lines. A block scalar (`run: |`)
// starts on the line after its indicator. A working directory (GitHub `working-directory:`)
// becomes a leading `cd DIR &&`, which is what the runner does.
void add_script(const YAML::Node& n, std::vector<CiCommand>& out, const std::string& cwd = {}) {
  if (!n.IsScalar()) return;
  const std::string& text = n.Scalar();
  int base = n.Mark().line + 1;
  bool block = text.find('\n') != std::string::npos;
  int i = 0;
  for (const auto& l : split_lines(text)) {
    std::string cmd = trim(l);
    int line = block ? base + 1 + i : base;
    ++i;
    if (cmd.empty() || cmd[0] == '#') continue;
    out.push_back({"", cwd.empty() ? cmd : "cd " + cwd + " && " + cmd, line});
  }
}

// The working directory a map sets for its commands: a step's `working-directory`, or a job's /
// workflow's `defaults: {run: {working-directory}}`. Expressions (`${{ ... }}`) are not known.
std::string working_directory(const YAML::Node& n, const std::string& inherited) {
  // No Node reassignment here: yaml-cpp's operator= writes through to the referenced node.
  auto scalar_dir = [&]() -> std::optional<std::string> {
    if (YAML::Node wd = n["working-directory"]; wd && wd.IsScalar()) return wd.Scalar();
    YAML::Node defaults = n["defaults"];
    if (!defaults || !defaults.IsMap()) return std::nullopt;
    YAML::Node run = defaults["run"];
    if (!run || !run.IsMap()) return std::nullopt;
    if (YAML::Node wd = run["working-directory"]; wd && wd.IsScalar()) return wd.Scalar();
    return std::nullopt;
  };
  std::optional<std::string> found = scalar_dir();
  if (!found) return inherited;
  std::string dir = trim(*found);
  if (dir.empty() || dir == "." || dir.find("${{") != std::string::npos ||
      dir.find_first_of(" \t;&|") != std::string::npos)
    return inherited;
  return dir;
}

// Keys whose values are shell commands across the CI providers we read.
bool is_script_key(const std::string& k) {
  static const std::set<std::string> keys = {"run",      "script",         "before_script", "after_script",
                                             "command",  "bash",           "pwsh",          "powershell",
                                             "install",  "before_install", "inlineScript",  "cmd",
                                             "commands", "pre_build",      "build",         "post_build"};
  return keys.count(k) > 0;
}

// Well-known actions that run a tool, named by the command they amount to.
std::string action_command(const std::string& uses) {
  std::string name = uses.substr(0, uses.find('@'));
  static const std::pair<const char*, const char*> known[] = {
      {"pre-commit/action", "pre-commit run --all-files"},
      {"astral-sh/ruff-action", "ruff check"},
      {"chartboost/ruff-action", "ruff check"},
      {"psf/black", "black --check ."},
      {"py-actions/flake8", "flake8"},
      {"isort/isort-action", "isort --check"},
      {"jpetrucciani/mypy-check", "mypy"},
  };
  for (const auto& [action, cmd] : known)
    if (name == action) return cmd;
  return "uses " + name;
}

void walk_ci(const YAML::Node& n, std::vector<CiCommand>& out, int depth, size_t& budget,
             const std::string& cwd) {
  if (depth > 64 || budget == 0) return;
  --budget;
  if (n.IsMap()) {
    const std::string here = working_directory(n, cwd);
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      const std::string k = it->first.Scalar();
      const YAML::Node v = it->second;  // a copy: the iterator value is a temporary
      if (k == "uses" && v.IsScalar()) {
        out.push_back({"", action_command(v.Scalar()), v.Mark().line + 1});
      } else if (is_script_key(k) && v.IsScalar()) {
        add_script(v, out, here);
      } else if (is_script_key(k) && v.IsSequence()) {
        for (const auto& item : v) {
          if (item.IsScalar())
            add_script(item, out, here);
          else
            walk_ci(item, out, depth + 1, budget, here);
        }
      } else {
        walk_ci(v, out, depth + 1, budget, here);
      }
    }
  } else if (n.IsSequence()) {
    for (const auto& item : n) walk_ci(item, out, depth + 1, budget, cwd);
  }
}

// GitLab CI: top-level keys that are not jobs.
bool gitlab_reserved(const std::string& k) {
  static const std::set<std::string> keys = {"default",  "include", "stages",        "variables",
                                             "workflow", "image",   "services",      "cache",
                                             "types",    "spec",    "before_script", "after_script"};
  return keys.count(k) > 0;
}

constexpr int kMaxGitlabDepth = 10;  // GitLab's own limit for extends chains and !reference nesting

// A default-constructed YAML::Node is a defined null: "absent" must test for both.
bool present(const YAML::Node& n) {
  return n.IsDefined() && !n.IsNull();
}

// Jobs and templates of a GitLab file by name (first document holding the name wins).
class GitlabJobs {
 public:
  explicit GitlabJobs(const std::vector<YAML::Node>& docs) {
    for (const auto& d : docs) {
      if (!d.IsMap()) continue;
      for (auto it = d.begin(); it != d.end(); ++it)
        if (it->first.IsScalar() && it->second.IsMap()) jobs_.emplace(it->first.Scalar(), it->second);
    }
  }

  // The value of `key` for job `name`: its own, else from its `extends:` templates (the last
  // template listed wins, as in GitLab's merge). Null when absent.
  YAML::Node resolve(const std::string& name, const std::string& key, int depth = 0) const {
    auto it = jobs_.find(name);
    if (it == jobs_.end() || depth > kMaxGitlabDepth || budget_ == 0) return YAML::Node();
    --budget_;
    const YAML::Node& job = it->second;
    if (present(job[key])) return job[key];
    const std::vector<std::string> from = parents(name);
    for (auto p = from.rbegin(); p != from.rend(); ++p)
      if (YAML::Node v = resolve(*p, key, depth + 1); present(v)) return v;
    return YAML::Node();
  }

  bool defines(const std::string& name) const { return jobs_.count(name) > 0; }

  std::vector<std::string> parents(const std::string& name) const {
    std::vector<std::string> out;
    auto it = jobs_.find(name);
    if (it == jobs_.end()) return out;
    YAML::Node ext = it->second["extends"];
    if (ext && ext.IsScalar()) out.push_back(ext.Scalar());
    if (ext && ext.IsSequence())
      for (const auto& p : ext)
        if (p.IsScalar()) out.push_back(p.Scalar());
    return out;
  }

  // Commands of a script value: a string, a list of strings, nested lists, `!reference` tags.
  void commands(const YAML::Node& v, std::vector<CiCommand>& out, int depth = 0) const {
    if (!v || depth > kMaxGitlabDepth || budget_ == 0) return;
    --budget_;
    if (v.Tag() == "!reference" && v.IsSequence()) {
      if (v.size() >= 2 && v[0].IsScalar() && v[1].IsScalar()) {
        YAML::Node target = resolve(v[0].Scalar(), v[1].Scalar());
        commands(target, out, depth + 1);
      }
      return;
    }
    if (v.IsScalar()) add_script(v, out);
    if (v.IsSequence())
      for (const auto& item : v) commands(item, out, depth + 1);
  }

 private:
  std::map<std::string, YAML::Node> jobs_;
  // Wide `extends:` lists make chains branch: a file-wide budget bounds the work.
  mutable size_t budget_ = 100000;
};

// A GitLab `include:` value -> the local files it names, as directives. What comes from
// elsewhere (remote URLs, other projects' files, templates, components) cannot be read: it is
// recorded as a plain command `gitlab-include REF`, so a rule may go by its name.
void gitlab_includes(const YAML::Node& inc, std::vector<CiCommand>& out, int depth = 0) {
  if (!inc || depth > 2) return;
  auto elsewhere = [&](const YAML::Node& ref, const std::string& prefix = "") {
    if (!ref.IsScalar()) return;
    std::string r = trim(ref.Scalar());
    if (!prefix.empty() && r.starts_with('/')) r.erase(0, 1);  // project files are from its root
    if (!r.empty()) out.push_back({"", "gitlab-include " + prefix + r, ref.Mark().line + 1});
  };
  auto add = [&](const YAML::Node& path) {
    if (!path.IsScalar()) return;
    std::string p = trim(path.Scalar());
    if (p.empty()) return;
    if (p.find("://") != std::string::npos) return elsewhere(path);
    out.push_back({"", p, path.Mark().line + 1, Runner::None, FactKind::CiInclude});
  };
  if (inc.IsScalar()) {
    add(inc);
  } else if (inc.IsMap()) {
    if (inc["local"]) add(inc["local"]);
    for (const char* key : {"remote", "template", "component"})
      if (inc[key]) elsewhere(inc[key]);
    if (const YAML::Node project = inc["project"]; project && project.IsScalar()) {
      const std::string prefix = trim(project.Scalar()) + "/";
      const YAML::Node files = inc["file"];
      if (files && files.IsScalar()) elsewhere(files, prefix);
      if (files && files.IsSequence())
        for (const auto& f : files) elsewhere(f, prefix);
    }
  } else if (inc.IsSequence()) {
    for (const auto& item : inc) gitlab_includes(item, out, depth + 1);
  }
}

// A line of shell: drops a trailing comment that starts a word.
std::string strip_shell_comment(const std::string& line) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
      return trim(line.substr(0, i));
    }
  }
  return trim(line);
}

}  // namespace

// `scripts/test`: executables without an extension in the usual script folders (whether one is
// a shell script is decided by its shebang, see shell_script_commands).
bool extensionless_script_path(std::string_view path) {
  std::string_view base = base_name(path);
  if (base.empty() || base.find('.') != std::string_view::npos || base.size() == path.size()) return false;
  std::string_view dir = base_name(path.substr(0, path.size() - base.size() - 1));
  return dir == "scripts" || dir == "script" || dir == "bin" || dir == "ci" || dir == ".ci" || dir == "tools";
}

bool is_gitlab_ci_file(std::string_view path) {
  std::string_view base = base_name(path);
  return base.ends_with(".gitlab-ci.yml") || base.ends_with(".gitlab-ci.yaml") ||
         (path.starts_with(".gitlab/") && yaml_ext(path) && path.find("templates") == std::string_view::npos);
}

CiFileKind ci_file_kind(std::string_view path) {
  std::string_view base = base_name(path);
  if (path.find(".github/workflows/") != std::string_view::npos && yaml_ext(path)) return CiFileKind::Yaml;
  if (is_gitlab_ci_file(path)) return CiFileKind::Yaml;
  if ((base.starts_with("azure-pipelines") && yaml_ext(base)) || base == "bitbucket-pipelines.yml" ||
      base == ".travis.yml" || path.ends_with(".circleci/config.yml") ||
      path.ends_with(".buildkite/pipeline.yml"))
    return CiFileKind::Yaml;
  if ((path.starts_with(".pipelines/") || path.starts_with(".azure-pipelines/") ||
       path.starts_with(".azuredevops/")) &&
      yaml_ext(path))
    return CiFileKind::Yaml;  // Azure DevOps pipelines kept in a folder
  if (base.find("buildspec") != std::string_view::npos && yaml_ext(base))
    return CiFileKind::Yaml;  // AWS CodeBuild (commands:), also codebuild-buildspec.yml
  if (base == "Jenkinsfile") return CiFileKind::Jenkinsfile;
  if (base == "Makefile" || base == "makefile" || base == "GNUmakefile") return CiFileKind::Makefile;
  if (base == "tox.ini") return CiFileKind::Tox;
  if (base == ".pre-commit-config.yaml" || base == ".pre-commit-config.yml") return CiFileKind::PreCommit;
  if (base == "noxfile.py") return CiFileKind::Noxfile;
  if (base == "pyproject.toml") return CiFileKind::Pyproject;
  if (base == "hatch.toml") return CiFileKind::HatchToml;
  if (base == "mise.toml" || base == ".mise.toml") return CiFileKind::MiseToml;
  if (base.ends_with(".sh") || base.ends_with(".bash") || extensionless_script_path(path))
    return CiFileKind::Shell;
  if (base == "action.yml" || base == "action.yaml") return CiFileKind::GithubAction;
  if (yaml_ext(base)) return CiFileKind::YamlFragment;
  return CiFileKind::None;
}

const char* runner_name(Runner r) {
  switch (r) {
    case Runner::None:
      return "";
    case Runner::Make:
      return "make";
    case Runner::Tox:
      return "tox";
    case Runner::PreCommit:
      return "pre-commit";
    case Runner::Nox:
      return "nox";
    case Runner::Hatch:
      return "hatch";
    case Runner::Pdm:
      return "pdm";
    case Runner::Poe:
      return "poe";
    case Runner::Taskipy:
      return "taskipy";
    case Runner::Mise:
      return "mise";
    case Runner::Script:
      return "script";
    case Runner::CiYaml:
      return "ci-yaml";
  }
  return "";
}

std::vector<CiCommand> yaml_ci_commands(const std::vector<YAML::Node>& docs) {
  std::vector<CiCommand> out;
  size_t budget = 100000;  // aliases share nodes: bound the walk
  for (const auto& d : docs) walk_ci(d, out, 0, budget, {});
  return out;
}

std::vector<CiCommand> jenkinsfile_commands(std::string_view text) {
  std::vector<CiCommand> out;
  static const RE2 one_line(
      R"re(\b(?:sh|bat|powershell)\s*\(?\s*(?:script\s*:\s*)?(?:'([^']*)'|"([^"]*)"))re");
  static const RE2 triple_open(R"(\b(?:sh|bat)\s*\(?\s*(?:script\s*:\s*)?('''|""")(.*)$)");
  auto lines = split_lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string quote, rest;
    if (RE2::PartialMatch(lines[i], triple_open, &quote, &rest)) {
      size_t close = rest.find(quote);
      if (close != std::string::npos) {
        if (!trim(rest.substr(0, close)).empty())
          out.push_back({"", trim(rest.substr(0, close)), static_cast<int>(i) + 1});
        continue;
      }
      if (!trim(rest).empty()) out.push_back({"", trim(rest), static_cast<int>(i) + 1});
      for (++i; i < lines.size(); ++i) {
        size_t end = lines[i].find(quote);
        std::string cmd = trim(end == std::string::npos ? lines[i] : lines[i].substr(0, end));
        if (!cmd.empty()) out.push_back({"", cmd, static_cast<int>(i) + 1});
        if (end != std::string::npos) break;
      }
      continue;
    }
    std::string single, dbl;
    if (RE2::PartialMatch(lines[i], one_line, &single, &dbl))
      out.push_back({"", trim(single.empty() ? dbl : single), static_cast<int>(i) + 1});
  }
  return out;
}

std::vector<CiCommand> makefile_targets(std::string_view text) {
  std::vector<CiCommand> out;
  static const RE2 rule(R"(^([A-Za-z0-9_.%/\- ]+?)\s*::?(?:[^=]|$))");
  std::vector<std::string> current;
  int n = 0;
  for (const auto& l : split_lines(text)) {
    ++n;
    if (!l.empty() && l[0] == '\t') {
      std::string cmd = trim(l);
      while (!cmd.empty() && (cmd[0] == '@' || cmd[0] == '-' || cmd[0] == '+')) cmd.erase(0, 1);
      cmd = trim(cmd);
      if (cmd.empty() || cmd[0] == '#') continue;
      for (const auto& t : current) out.push_back({t, cmd, n});
      continue;
    }
    std::string targets;
    if (!l.empty() && l[0] != '#' && l.find(":=") == std::string::npos && l.find("?=") == std::string::npos &&
        RE2::PartialMatch(l, rule, &targets)) {
      current.clear();
      std::istringstream ss(targets);
      std::string t;
      while (ss >> t)
        if (t[0] != '.') current.push_back(t);
      // `target: ; command` puts a recipe on the rule line.
      size_t semi = l.find(';');
      if (semi != std::string::npos)
        for (const auto& tt : current) out.push_back({tt, trim(l.substr(semi + 1)), n});
      if (out.empty() || out.back().line != n)
        for (const auto& tt : current)
          out.push_back({tt, "", n});  // the target exists, even without a recipe
    } else if (!trim(l).empty() && l[0] != ' ') {
      current.clear();
    }
  }
  return out;
}

std::vector<CiCommand> tox_envs(std::string_view text) {
  std::vector<CiCommand> out;
  std::string section;
  bool in_commands = false;
  int n = 0;
  for (const auto& raw : split_lines(text)) {
    ++n;
    std::string l = trim(raw);
    if (l.empty() || l[0] == '#' || l[0] == ';') continue;
    if (l.front() == '[' && l.back() == ']') {
      section = l.substr(1, l.size() - 2);
      in_commands = false;
      continue;
    }
    if (!section.starts_with("testenv")) continue;
    std::string env = section == "testenv" ? "*" : section.substr(section.find(':') + 1);
    bool continuation = !raw.empty() && (raw[0] == ' ' || raw[0] == '\t');
    if (!continuation) {
      size_t eq = l.find('=');
      in_commands = eq != std::string::npos && trim(l.substr(0, eq)) == "commands";
      if (in_commands && !trim(l.substr(eq + 1)).empty()) out.push_back({env, trim(l.substr(eq + 1)), n});
    } else if (in_commands) {
      out.push_back({env, l, n});
    }
  }
  return out;
}

std::vector<CiCommand> precommit_hooks(const std::vector<YAML::Node>& docs) {
  std::vector<CiCommand> out;
  for (const auto& d : docs) {
    if (!d.IsMap() || !d["repos"] || !d["repos"].IsSequence()) continue;
    for (const auto& repo : d["repos"]) {
      if (!repo.IsMap() || !repo["hooks"] || !repo["hooks"].IsSequence()) continue;
      for (const auto& hook : repo["hooks"]) {
        if (!hook.IsMap() || !hook["id"] || !hook["id"].IsScalar()) continue;
        std::string id = hook["id"].Scalar();
        std::string cmd = id;
        if (hook["entry"] && hook["entry"].IsScalar()) cmd += " " + hook["entry"].Scalar();
        out.push_back({id, cmd, hook["id"].Mark().line + 1});
      }
    }
  }
  return out;
}

std::vector<CiCommand> gitlab_ci_commands(const std::vector<YAML::Node>& docs) {
  std::vector<CiCommand> out;
  GitlabJobs jobs(docs);
  for (const auto& d : docs) {
    if (!d.IsMap()) continue;
    gitlab_includes(d["include"], out);
    for (const char* key : {"before_script", "after_script"}) jobs.commands(d[key], out);
    if (d["default"] && d["default"].IsMap())
      for (const char* key : {"before_script", "after_script"}) jobs.commands(d["default"][key], out);
    for (auto it = d.begin(); it != d.end(); ++it) {
      if (!it->first.IsScalar() || !it->second.IsMap()) continue;
      const std::string name = it->first.Scalar();
      if (name.empty() || gitlab_reserved(name)) continue;
      if (name[0] == '.') {
        // Hidden jobs are templates: they run only through the jobs that extend them, which may
        // live in another file of the pipeline (an include): exported as directives.
        std::vector<CiCommand> body;
        for (const char* key : {"before_script", "script", "after_script"})
          jobs.commands(jobs.resolve(name, key), body);
        for (auto& c : body) {
          c.scope = name;
          c.kind = FactKind::CiTemplate;
        }
        out.insert(out.end(), body.begin(), body.end());
        continue;
      }
      bool has_script = false;
      for (const char* key : {"before_script", "script", "after_script"}) {
        YAML::Node v = jobs.resolve(name, key);
        has_script = has_script || (present(v) && std::string(key) == "script");
        jobs.commands(v, out);
      }
      // Templates this file does not define come from an included file.
      if (has_script) continue;
      // The job's `extends:` line; a duplicate job key may lack it (parents() reads the first).
      const YAML::Node ext = it->second["extends"];
      const int line = (ext ? ext.Mark() : it->first.Mark()).line + 1;
      for (const auto& parent : jobs.parents(name))
        if (!jobs.defines(parent)) out.push_back({"", parent, line, Runner::None, FactKind::CiExtends});
    }
  }
  return out;
}

std::vector<CiCommand> yaml_fragment_commands(const std::vector<YAML::Node>& docs) {
  std::vector<CiCommand> out = gitlab_ci_commands(docs);
  for (const auto& d : docs) {
    // An Anyscale / Ray job config: `entrypoint` is the command the job runs.
    if (d.IsMap() && d["entrypoint"] && d["entrypoint"].IsScalar()) add_script(d["entrypoint"], out);
    // A DVC pipeline (dvc.yaml), which `dvc repro` runs: each stage's `cmd` (a string or a list),
    // in its `wdir`; a `foreach` stage's command is under `do`.
    if (!d.IsMap() || !d["stages"] || !d["stages"].IsMap()) continue;
    for (const auto& kv : d["stages"]) {
      YAML::Node stage = kv.second;
      if (stage.IsMap() && stage["do"] && stage["do"].IsMap()) stage = stage["do"];
      if (!stage.IsMap() || !stage["cmd"]) continue;
      const YAML::Node wdir = stage["wdir"];
      std::string cwd = wdir && wdir.IsScalar() && wdir.Scalar() != "." ? wdir.Scalar() : "";
      const YAML::Node cmd = stage["cmd"];
      if (cmd.IsSequence())
        for (const auto& c : cmd) add_script(c, out, cwd);
      else
        add_script(cmd, out, cwd);
    }
  }
  return out;
}

bool has_shell_shebang(std::string_view text) {
  static const RE2 shebang(R"(^#!\s*\S*(?:/|\benv\s+)(?:ba|z|da|k)?sh\b)");
  return RE2::PartialMatch(text.substr(0, std::min<size_t>(text.size(), 200)), shebang);
}

std::vector<CiCommand> shell_script_commands(std::string_view text) {
  constexpr size_t kMaxCommands = 5000;
  std::vector<CiCommand> out;
  static const RE2 heredoc(R"(<<-?\s*['"]?([A-Za-z_][A-Za-z0-9_]*))");
  std::string pending, heredoc_end;
  int pending_line = 0, n = 0;
  for (const auto& raw : split_lines(text)) {
    ++n;
    if (out.size() >= kMaxCommands) break;
    std::string l = trim(raw);
    if (!heredoc_end.empty()) {  // a here-document's body is data, not commands
      if (l == heredoc_end) heredoc_end.clear();
      continue;
    }
    if (pending.empty() && (l.empty() || l[0] == '#')) continue;
    if (pending.empty()) pending_line = n;
    bool continued = !l.empty() && l.back() == '\\';
    if (continued) l.pop_back();
    pending += (pending.empty() ? "" : " ") + trim(l);
    if (continued && pending.size() < 4000) continue;
    std::string cmd = strip_shell_comment(pending);
    pending.clear();
    RE2::PartialMatch(cmd, heredoc, &heredoc_end);
    if (!cmd.empty()) out.push_back({"", cmd, pending_line});
  }
  if (!pending.empty()) out.push_back({"", strip_shell_comment(pending), pending_line});
  return out;
}

std::string normalise_repo_path(std::string_view path, std::string_view base_dir) {
  std::string p = trim(path);
  if (p.size() >= 2 && (p.front() == '\'' || p.front() == '"') && p.back() == p.front())
    p = p.substr(1, p.size() - 2);
  for (const char* root :
       {"$GITHUB_WORKSPACE/", "${GITHUB_WORKSPACE}/", "$CI_PROJECT_DIR/", "${CI_PROJECT_DIR}/"})
    if (p.starts_with(root)) {
      p = p.substr(std::string_view(root).size());
      base_dir = {};
    }
  return join_repo_path(base_dir, p);
}

namespace {

bool is_separator(const std::string& w) {
  return w == "&&" || w == "||" || w == ";" || w == "|" || w == "&";
}

// Words of a command line, with `;`, `&&`, `||` split off the words they are glued to.
std::vector<std::string> command_words(std::string_view command) {
  std::vector<std::string> words;
  std::istringstream ss{std::string(command)};
  std::string w;
  while (ss >> w) {
    while (w.size() > 1 && w.back() == ';') {
      w.pop_back();
      words.push_back(w);
      w = ";";
    }
    words.push_back(w);
  }
  return words;
}

// Is words[i] where a command starts (so `pip install nox` does not count as running nox)?
bool command_position(const std::vector<std::string>& words, size_t i) {
  if (i == 0) return true;
  const std::string& prev = words[i - 1];
  static const std::set<std::string> launchers = {"-m",  "run",  "uvx", "pipx", "exec", "time", "sudo",
                                                  "env", "then", "do",  "else", "(",    "{"};
  if (is_separator(prev) || launchers.count(prev)) return true;
  // An environment assignment (`CI=1 nox`) that itself starts the command.
  return prev.find('=') != std::string::npos && prev[0] != '-' && command_position(words, i - 1);
}

std::string tool_of(const std::string& word) {
  std::string t = word.substr(word.rfind('/') + 1);
  if (t.size() >= 4 && t.ends_with(".exe")) t.resize(t.size() - 4);
  return t;
}

// Arguments after words[i] up to the end of its command.
std::vector<std::string> args_after(const std::vector<std::string>& words, size_t i) {
  std::vector<std::string> out;
  for (size_t j = i + 1; j < words.size() && !is_separator(words[j]); ++j) out.push_back(words[j]);
  return out;
}

std::string unquote(std::string w) {
  if (w.size() >= 2 && (w.front() == '\'' || w.front() == '"') && w.back() == w.front())
    return w.substr(1, w.size() - 2);
  return w;
}

// `nox`, `nox -s a b`, `nox --session=a`: the sessions it runs ("" = the default ones).
Invocation nox_invocation(const std::vector<std::string>& args) {
  Invocation inv{Runner::Nox, {}, {}};
  bool named = false, all = false;
  for (size_t j = 0; j < args.size(); ++j) {
    std::string a = args[j];
    std::string value;
    if (a.starts_with("--session=") || a.starts_with("--sessions=")) value = a.substr(a.find('=') + 1);
    if (a == "-s" || a == "--session" || a == "--sessions" || a == "-e" || !value.empty()) {
      named = true;
      if (!value.empty()) inv.scopes.push_back(unquote(value));
      for (size_t k = j + 1; value.empty() && k < args.size() && args[k][0] != '-'; ++k, ++j)
        inv.scopes.push_back(unquote(args[k]));
    } else if (a == "-k" || a == "--keywords" || a == "-t" || a == "--tags") {
      all = true;  // a selection we do not evaluate: any session may run
    }
  }
  if (!named && !all) inv.scopes.push_back("");
  if (all && !named) inv.scopes.clear();
  // `tests-3.11` and `tests(django='4')` are parametrised runs of the session `tests`.
  for (const auto& s : inv.scopes) {
    size_t cut = s.find_first_of("-(");
    if (cut != std::string::npos && cut > 0) inv.fallback.push_back(s.substr(0, cut));
  }
  return inv;
}

// `hatch run [+opts] [env:]script`, `hatch -e env run script`, `hatch test`.
std::optional<Invocation> hatch_invocation(const std::vector<std::string>& args) {
  std::string env = "default";
  for (size_t j = 0; j < args.size(); ++j) {
    const std::string& a = args[j];
    if ((a == "-e" || a == "--env") && j + 1 < args.size()) {
      env = args[++j];
    } else if (a == "test") {
      return Invocation{Runner::Hatch, {"hatch-test:run", "hatch-test:run-cov"}, {}};
    } else if (a == "run") {
      for (size_t k = j + 1; k < args.size(); ++k) {
        if (args[k][0] == '-' || args[k][0] == '+') continue;
        std::string target = unquote(args[k]);
        size_t colon = target.find(':');
        std::string e = colon == std::string::npos ? env : target.substr(0, colon);
        std::string script = colon == std::string::npos ? target : target.substr(colon + 1);
        Invocation inv{Runner::Hatch, {e + ":" + script}, {}};
        // Environments inherit the default environment's scripts.
        if (e != "default") inv.fallback.push_back("default:" + script);
        return inv;
      }
      return std::nullopt;
    } else if (a[0] != '-') {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

// The first non-option argument: the task of `pdm run X`, `poe X`, `task X`. `valued`: options
// that take the next word as their value (`mise run --jobs 2 ci`).
std::optional<std::string> first_operand(const std::vector<std::string>& args, size_t from = 0,
                                         const std::set<std::string>& valued = {}) {
  for (size_t j = from; j < args.size(); ++j) {
    if (args[j][0] != '-') return unquote(args[j]);
    if (valued.count(args[j])) ++j;
  }
  return std::nullopt;
}

bool shell_name(const std::string& tool) {
  return tool == "bash" || tool == "sh" || tool == "zsh" || tool == "dash" || tool == "source" || tool == ".";
}

bool script_path(const std::string& w) {
  std::string u = unquote(w);
  if (u.ends_with(".sh") || u.ends_with(".bash")) return true;
  // `scripts/test`, `./ci/run`: a path without an extension, run directly.
  size_t slash = u.rfind('/');
  return slash != std::string::npos && slash + 1 < u.size() && u.find('.', slash) == std::string::npos &&
         u.find_first_of("$=`") == std::string::npos;
}

}  // namespace

std::string without_installs(std::string_view command) {
  const std::vector<std::string> words = command_words(command);
  static const std::set<std::string> managers = {"pip",    "pip3",    "pipx", "conda", "mamba", "micromamba",
                                                 "apt",    "apt-get", "brew", "npm",   "yarn",  "pnpm",
                                                 "poetry", "pdm",     "pixi", "rye",   "gem",   "choco"};
  static const std::set<std::string> verbs = {"install", "add"};
  std::string out;
  bool dropped = false;
  for (size_t start = 0; start < words.size();) {
    size_t end = start;
    while (end < words.size() && !is_separator(words[end])) ++end;
    // Skip what launches the command: assignments, sudo, `python -m`, `uv` / `uv pip` / `uv tool`.
    size_t i = start;
    while (i < end && (words[i] == "sudo" || words[i] == "time" || words[i] == "env" ||
                       (words[i].find('=') != std::string::npos && words[i][0] != '-')))
      ++i;
    if (i + 1 < end && tool_of(words[i]).starts_with("python") && words[i + 1] == "-m") i += 2;
    if (i < end && tool_of(words[i]) == "uv") {
      ++i;
      if (i < end && (words[i] == "pip" || words[i] == "tool")) ++i;
      --i;  // point at the manager word for the check below (`uv`, `pip` or `tool`)
    }
    bool install = i + 1 < end &&
                   (managers.count(tool_of(words[i])) || words[i] == "uv" || words[i] == "tool") &&
                   verbs.count(words[i + 1]) > 0;
    if (install) {
      dropped = true;
    } else {
      for (size_t j = start; j < end; ++j) out += (out.empty() ? "" : " ") + words[j];
    }
    if (end < words.size()) out += (out.empty() ? "" : " ") + words[end];  // the separator
    start = end + 1;
  }
  return dropped ? out : std::string(command);
}

std::vector<Invocation> invocations(std::string_view command) {
  std::vector<Invocation> out;
  std::vector<std::string> words = command_words(command);
  std::optional<std::string> cwd = "";  // relative to the repository root; nullopt: unknown
  // A local GitHub action (`uses: ./.github/actions/setup`, read as `uses PATH`): the steps of
  // its action.yml run in the job. Its path is from the repository root, whatever the job's cwd.
  if (words.size() == 2 && words[0] == "uses") {
    std::string target = unquote(words[1]);
    if (!target.starts_with("./")) return out;
    if (std::string dir = normalise_repo_path(target); !dir.empty())
      out.push_back({Runner::CiYaml, {dir + "/action.yml", dir + "/action.yaml"}, {}});
    return out;
  }
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    std::string tool = tool_of(word);
    if (word == "cd" && command_position(words, i)) {
      std::string to = i + 1 < words.size() && !is_separator(words[i + 1]) ? unquote(words[i + 1]) : "";
      if (to.empty() || to == "~" || !cwd)
        cwd.reset();
      else if (to == "." || to == "./")
        continue;
      else if (std::string dir = normalise_repo_path(to, *cwd); !dir.empty())
        cwd = dir;
      else if (normalise_repo_path(to + "/x", *cwd) == "x")
        cwd = "";  // back at the root
      else
        cwd.reset();
      continue;
    }
    if (tool == "make" || tool == "gmake" || tool == "$(MAKE)") {
      Invocation inv{Runner::Make, {}, {}};
      for (size_t j = i + 1; j < words.size(); ++j) {
        if (is_separator(words[j])) break;
        if (words[j] == "-C" || words[j] == "-f" || words[j] == "-j") {
          ++j;
          continue;
        }
        if (words[j][0] == '-' || words[j].find('=') != std::string::npos) continue;
        inv.scopes.push_back(words[j]);
      }
      out.push_back(inv);
    } else if (tool == "tox") {
      Invocation inv{Runner::Tox, {}, {}};
      for (size_t j = i + 1; j + 1 < words.size(); ++j)
        if (words[j] == "-e" || words[j] == "--env")
          for (auto& env : split_commas(words[j + 1])) inv.scopes.push_back(env);
      out.push_back(inv);
    } else if (tool == "pre-commit" && i + 1 < words.size() && words[i + 1] == "run") {
      Invocation inv{Runner::PreCommit, {}, {}};
      if (i + 2 < words.size() && words[i + 2][0] != '-') inv.scopes.push_back(words[i + 2]);
      out.push_back(inv);
    } else if (!command_position(words, i)) {
      continue;
    } else if (tool == "nox") {
      out.push_back(nox_invocation(args_after(words, i)));
    } else if (tool == "hatch") {
      if (auto inv = hatch_invocation(args_after(words, i))) out.push_back(*inv);
    } else if (tool == "pdm" && i + 1 < words.size() && words[i + 1] == "run") {
      if (auto t = first_operand(args_after(words, i + 1))) out.push_back({Runner::Pdm, {*t}, {}});
    } else if (tool == "poe") {
      if (auto t = first_operand(args_after(words, i))) out.push_back({Runner::Poe, {*t}, {}});
    } else if (tool == "task") {
      if (auto t = first_operand(args_after(words, i))) out.push_back({Runner::Taskipy, {*t}, {}});
    } else if (tool == "mise" && i + 1 < words.size() && (words[i + 1] == "run" || words[i + 1] == "r")) {
      static const std::set<std::string> valued = {"-j",        "--jobs",  "-C",     "--cd", "-E",
                                                   "--env",     "-t",      "--tool", "-o",   "--output",
                                                   "--timeout", "--shell", "-s"};
      if (auto t = first_operand(args_after(words, i + 1), 0, valued))
        out.push_back({Runner::Mise, {*t}, {}});
    } else if (tool == "dvc") {
      // `dvc repro [TARGET]`, `dvc exp run [TARGET]`: the stages of dvc.yaml (or of the
      // dvc.yaml a target names) run.
      auto args = args_after(words, i);
      size_t first = !args.empty() && args[0] == "repro"                       ? 1
                     : args.size() > 1 && args[0] == "exp" && args[1] == "run" ? 2
                                                                               : 0;
      if (first == 0 || !cwd) continue;
      std::string file = "dvc.yaml";
      for (size_t j = first; j < args.size(); ++j) {
        std::string a = unquote(args[j]);
        if (a == "dvc.yaml" || a.ends_with("/dvc.yaml")) file = a;
      }
      if (std::string path = normalise_repo_path(file, *cwd); !path.empty())
        out.push_back({Runner::CiYaml, {path}, {}});
    } else if (tool == "anyscale" || tool == "ray") {
      // `anyscale job submit [-f|--config-file] job.yaml`: the job config's entrypoint runs.
      auto args = args_after(words, i);
      if (args.size() < 2 || (args[0] != "job" && args[0] != "jobs") || args[1] != "submit") continue;
      for (size_t j = 2; j < args.size(); ++j) {
        std::string a = unquote(args[j]);
        if (!cwd || !(a.ends_with(".yaml") || a.ends_with(".yml"))) continue;
        if (std::string path = normalise_repo_path(a, *cwd); !path.empty()) {
          out.push_back({Runner::CiYaml, {path}, {}});
          break;
        }
      }
    } else if (shell_name(tool) || script_path(word)) {
      // `bash scripts/test.sh`, `sh -e ./ci/run.sh`, `source env.sh`, `./scripts/test.sh arg`.
      size_t j = i;
      if (shell_name(tool)) {
        j = i + 1;
        while (j < words.size() && words[j][0] == '-' && words[j] != "-c") ++j;
        if (j >= words.size() || words[j] == "-c" || is_separator(words[j])) continue;
      }
      if (!script_path(words[j]) || !cwd) continue;
      std::string path = normalise_repo_path(words[j], *cwd);
      if (!path.empty()) out.push_back({Runner::Script, {path}, {}});
    }
  }
  return out;
}

}  // namespace mlops
