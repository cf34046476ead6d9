// CI and build configuration -> the commands they run. CI files (GitHub Actions, GitLab CI,
// Azure Pipelines, CircleCI, Bitbucket, Travis, Jenkinsfile) give the commands of their jobs;
// build files (Makefile targets, tox environments, pre-commit hooks) give what a CI command
// such as `make test`, `tox -e lint` or `pre-commit run` invokes one level down.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace mlops {

enum class CiFileKind { None, Yaml, Jenkinsfile, Makefile, Tox, PreCommit };

CiFileKind ci_file_kind(std::string_view path);
inline bool is_ci_file(std::string_view path) {
  CiFileKind k = ci_file_kind(path);
  return k == CiFileKind::Yaml || k == CiFileKind::Jenkinsfile;
}
inline bool is_build_file(std::string_view path) {
  CiFileKind k = ci_file_kind(path);
  return k == CiFileKind::Makefile || k == CiFileKind::Tox || k == CiFileKind::PreCommit;
}

struct CiCommand {
  std::string scope;    // build files: the target / tox env / hook it belongs to
  std::string command;  // one shell command line
  int line = 0;
};

// Commands of a CI file: its YAML documents (already parsed), or a Jenkinsfile's text.
std::vector<CiCommand> yaml_ci_commands(const std::vector<YAML::Node>& docs);
std::vector<CiCommand> jenkinsfile_commands(std::string_view text);

// Scoped commands of a build file.
std::vector<CiCommand> makefile_targets(std::string_view text);
std::vector<CiCommand> tox_envs(std::string_view text);
std::vector<CiCommand> precommit_hooks(const std::vector<YAML::Node>& docs);

// What a CI command runs one level down: the scopes of build files it invokes.
struct Invocation {
  CiFileKind kind = CiFileKind::None;
  std::vector<std::string> scopes;  // empty: every scope (tox, pre-commit run) or the default (make)
};
std::vector<Invocation> invocations(std::string_view command);

}  // namespace mlops
