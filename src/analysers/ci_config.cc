// Reading commands out of CI and build configuration.
#include "analysers/ci_config.h"

#include <re2/re2.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "util/strings.h"

namespace mlops {
namespace {

std::string_view base_name(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool yaml_ext(std::string_view p) { return p.ends_with(".yml") || p.ends_with(".yaml"); }

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
// starts on the line after its indicator.
void add_script(const YAML::Node& n, std::vector<CiCommand>& out, const std::string& scope = {}) {
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
    out.push_back({scope, cmd, line});
  }
}

// Keys whose values are shell commands across the CI providers we read.
bool is_script_key(const std::string& k) {
  static const std::set<std::string> keys = {"run", "script", "before_script", "after_script", "command",
                                             "bash", "pwsh", "powershell", "install", "before_install",
                                             "inlineScript", "cmd", "commands", "pre_build", "build", "post_build"};
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

void walk_ci(const YAML::Node& n, std::vector<CiCommand>& out, int depth, size_t& budget) {
  if (depth > 64 || budget == 0) return;
  --budget;
  if (n.IsMap()) {
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      const std::string k = it->first.Scalar();
      const YAML::Node v = it->second;  // a copy: the iterator value is a temporary
      if (k == "uses" && v.IsScalar()) {
        out.push_back({"", action_command(v.Scalar()), v.Mark().line + 1});
      } else if (is_script_key(k) && v.IsScalar()) {
        add_script(v, out);
      } else if (is_script_key(k) && v.IsSequence()) {
        for (const auto& item : v) {
          if (item.IsScalar()) add_script(item, out);
          else walk_ci(item, out, depth + 1, budget);
        }
      } else {
        walk_ci(v, out, depth + 1, budget);
      }
    }
  } else if (n.IsSequence()) {
    for (const auto& item : n) walk_ci(item, out, depth + 1, budget);
  }
}

}  // namespace

CiFileKind ci_file_kind(std::string_view path) {
  std::string_view base = base_name(path);
  if (path.find(".github/workflows/") != std::string_view::npos && yaml_ext(path)) return CiFileKind::Yaml;
  if (base == ".gitlab-ci.yml" || base == ".gitlab-ci.yaml" || base.ends_with(".gitlab-ci.yml")) return CiFileKind::Yaml;
  if (path.starts_with(".gitlab/") && yaml_ext(path) && path.find("templates") == std::string_view::npos)
    return CiFileKind::Yaml;
  if ((base.starts_with("azure-pipelines") && yaml_ext(base)) || base == "bitbucket-pipelines.yml" ||
      base == ".travis.yml" || path.ends_with(".circleci/config.yml") || path.ends_with(".buildkite/pipeline.yml"))
    return CiFileKind::Yaml;
  if ((path.starts_with(".pipelines/") || path.starts_with(".azure-pipelines/") || path.starts_with(".azuredevops/")) &&
      yaml_ext(path))
    return CiFileKind::Yaml;  // Azure DevOps pipelines kept in a folder
  if (base.starts_with("buildspec") && yaml_ext(base)) return CiFileKind::Yaml;  // AWS CodeBuild (commands:)
  if (base == "Jenkinsfile") return CiFileKind::Jenkinsfile;
  if (base == "Makefile" || base == "makefile" || base == "GNUmakefile") return CiFileKind::Makefile;
  if (base == "tox.ini") return CiFileKind::Tox;
  if (base == ".pre-commit-config.yaml" || base == ".pre-commit-config.yml") return CiFileKind::PreCommit;
  return CiFileKind::None;
}

std::vector<CiCommand> yaml_ci_commands(const std::vector<YAML::Node>& docs) {
  std::vector<CiCommand> out;
  size_t budget = 100000;  // aliases share nodes: bound the walk
  for (const auto& d : docs) walk_ci(d, out, 0, budget);
  return out;
}

std::vector<CiCommand> jenkinsfile_commands(std::string_view text) {
  std::vector<CiCommand> out;
  static const RE2 one_line(R"re(\b(?:sh|bat|powershell)\s*\(?\s*(?:script\s*:\s*)?(?:'([^']*)'|"([^"]*)"))re");
  static const RE2 triple_open(R"(\b(?:sh|bat)\s*\(?\s*(?:script\s*:\s*)?('''|""")(.*)$)");
  auto lines = split_lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string quote, rest;
    if (RE2::PartialMatch(lines[i], triple_open, &quote, &rest)) {
      size_t close = rest.find(quote);
      if (close != std::string::npos) {
        if (!trim(rest.substr(0, close)).empty()) out.push_back({"", trim(rest.substr(0, close)), static_cast<int>(i) + 1});
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
        for (const auto& tt : current) out.push_back({tt, "", n});  // the target exists, even without a recipe
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

std::vector<Invocation> invocations(std::string_view command) {
  std::vector<Invocation> out;
  std::istringstream ss{std::string(command)};
  std::vector<std::string> words;
  std::string w;
  while (ss >> w) words.push_back(w);
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    std::string tool = word.substr(word.rfind('/') + 1);
    if (tool == "make" || tool == "gmake" || tool == "$(MAKE)") {
      Invocation inv{CiFileKind::Makefile, {}};
      for (size_t j = i + 1; j < words.size(); ++j) {
        if (words[j] == "&&" || words[j] == ";" || words[j] == "||" || words[j] == "|") break;
        if (words[j] == "-C" || words[j] == "-f" || words[j] == "-j") {
          ++j;
          continue;
        }
        if (words[j][0] == '-' || words[j].find('=') != std::string::npos) continue;
        inv.scopes.push_back(words[j]);
      }
      out.push_back(inv);
    } else if (tool == "tox") {
      Invocation inv{CiFileKind::Tox, {}};
      for (size_t j = i + 1; j + 1 < words.size(); ++j)
        if (words[j] == "-e" || words[j] == "--env") {
          std::string envs = words[j + 1];
          size_t start = 0;
          while (start <= envs.size()) {
            size_t comma = envs.find(',', start);
            inv.scopes.push_back(envs.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
            if (comma == std::string::npos) break;
            start = comma + 1;
          }
        }
      out.push_back(inv);
    } else if (tool == "pre-commit" && i + 1 < words.size() && words[i + 1] == "run") {
      Invocation inv{CiFileKind::PreCommit, {}};
      if (i + 2 < words.size() && words[i + 2][0] != '-') inv.scopes.push_back(words[i + 2]);
      out.push_back(inv);
    }
  }
  return out;
}

}  // namespace mlops
