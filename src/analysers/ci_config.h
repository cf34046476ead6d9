// CI and build configuration -> the commands they run. CI files (GitHub Actions, GitLab CI,
// Azure Pipelines, CircleCI, Bitbucket, Travis, Jenkinsfile) give the commands of their jobs;
// build files (Makefile targets, tox environments, pre-commit hooks, nox sessions, hatch / pdm /
// poe / taskipy scripts, mise tasks, shell scripts) give what a CI command such as `make test`,
// `tox -e lint`, `nox -s tests`, `hatch run test:cov` or `bash scripts/ci.sh` invokes one level
// down. YAML files a CI file names (GitLab `include: local`, an Anyscale job's config, a local
// GitHub action's action.yml) add CI commands of their own.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "model/facts.h"

namespace mlops {

// YamlFragment: any other YAML file; it counts only when a CI file names it (GitLab include, job
// config). Shell: a *.sh / *.bash file, or an extensionless one in scripts/, bin/, ci/, tools/;
// it counts only when a CI command runs it. GithubAction: an action.yml / action.yaml, whose
// steps count only when a workflow uses it (`uses: ./.github/actions/setup`).
enum class CiFileKind {
  None,
  Yaml,
  Jenkinsfile,
  Makefile,
  Tox,
  PreCommit,
  Noxfile,
  Pyproject,
  HatchToml,
  MiseToml,
  Shell,
  YamlFragment,
  GithubAction
};

CiFileKind ci_file_kind(std::string_view path);
inline bool is_ci_file(std::string_view path) {
  CiFileKind k = ci_file_kind(path);
  return k == CiFileKind::Yaml || k == CiFileKind::Jenkinsfile;
}
// Build files a CI command has to name to count (a script, a YAML fragment, task-runner tables):
// a broken one that nothing runs is no input of a CI rule.
inline bool read_only_when_named(CiFileKind k) {
  return k == CiFileKind::Shell || k == CiFileKind::YamlFragment || k == CiFileKind::GithubAction ||
         k == CiFileKind::Pyproject || k == CiFileKind::HatchToml || k == CiFileKind::Noxfile ||
         k == CiFileKind::MiseToml;
}
inline bool is_build_file(std::string_view path) {
  CiFileKind k = ci_file_kind(path);
  return k != CiFileKind::None && !is_ci_file(path);
}
// GitLab CI files: jobs, hidden templates and `extends:` follow GitLab's rules.
bool is_gitlab_ci_file(std::string_view path);

// What runs a build file's scopes: Runner (model/facts.h), by name for messages and tests.
const char* runner_name(Runner r);

struct CiCommand {
  std::string scope;    // build files: the target / tox env / hook / session / script it belongs
                        // to; a GitLab template's command: the hidden job's name
  std::string command;  // one shell command line; for a directive, its path or template name
  int line = 0;
  Runner runner = Runner::None;  // build files holding several runners' scopes (pyproject.toml)
  // Command, or a GitLab directive (not a shell command): CiInclude (a local include: its jobs
  // are CI jobs too), CiTemplate (a hidden job's command: it runs only through a job extending
  // it), CiExtends (a job extends a template this file does not define).
  FactKind kind = FactKind::Command;
};

// Commands of a CI file: its YAML documents (already parsed), or a Jenkinsfile's text.
std::vector<CiCommand> yaml_ci_commands(const std::vector<YAML::Node>& docs);
std::vector<CiCommand> jenkinsfile_commands(std::string_view text);
// GitLab CI: visible jobs with their `extends:` templates and `!reference` tags resolved (hidden
// `.jobs` count only through a job that uses them), global scripts, and local includes as
// directives.
std::vector<CiCommand> gitlab_ci_commands(const std::vector<YAML::Node>& docs);
// A YAML file named by a CI file: GitLab jobs (as above) and a job config's `entrypoint`.
std::vector<CiCommand> yaml_fragment_commands(const std::vector<YAML::Node>& docs);

// Scoped commands of a build file.
std::vector<CiCommand> makefile_targets(std::string_view text);
std::vector<CiCommand> tox_envs(std::string_view text);
std::vector<CiCommand> precommit_hooks(const std::vector<YAML::Node>& docs);
// A shell script's command lines (scope empty: the engine scopes them by the file's path).
std::vector<CiCommand> shell_script_commands(std::string_view text);
// `#!/bin/sh`, `#!/usr/bin/env bash`, ...: an extensionless file (`scripts/test`) is read only then.
bool has_shell_shebang(std::string_view text);
bool extensionless_script_path(std::string_view path);

// What a CI command runs one level down.
struct Invocation {
  Runner runner = Runner::None;
  // Empty: every scope (tox, pre-commit run) or the default (make: first target). Nox's default
  // sessions are the scope "". Scripts and YAML files: the repository-relative path.
  std::vector<std::string> scopes;
  std::vector<std::string> fallback;  // used when no build command has one of `scopes`
};
std::vector<Invocation> invocations(std::string_view command);

// The command with its package installs left out (`pip install pytest ruff && pytest` -> `&&
// pytest`): a tool that is installed is not run. Unchanged when it installs nothing.
std::string without_installs(std::string_view command);

// `path` as written in a CI file (quotes and a leading $GITHUB_WORKSPACE / $CI_PROJECT_DIR
// dropped) joined onto `base_dir` by join_repo_path: empty when it is absolute, escapes the
// root, or is not a plain path.
std::string normalise_repo_path(std::string_view path, std::string_view base_dir = {});

}  // namespace mlops
