// CI and build-command queries: every command a CI configuration runs, and the make targets, tox
// envs, nox sessions, pre-commit hooks and project scripts a build file defines, as Command facts.
#include "analysers/answer.h"
#include "analysers/ci_config.h"
#include "analysers/noxfile.h"
#include "analysers/task_runners.h"

namespace mlops {
namespace {

// A YAML file that is neither CI nor pre-commit counts only when a CI file names it; most are
// configuration, so only those that can hold jobs or a job entrypoint are parsed, and a parse
// error is not reported here (it would blame CI rules for an unrelated file).
bool may_hold_ci_commands(std::string_view bytes) {
  constexpr auto npos = std::string_view::npos;
  return bytes.find("script") != npos || bytes.find("entrypoint") != npos ||
         (bytes.find("stages") != npos && bytes.find("cmd") != npos);  // a DVC pipeline
}

Runner default_runner(CiFileKind kind) {
  switch (kind) {
    case CiFileKind::Makefile:
      return Runner::Make;
    case CiFileKind::Tox:
      return Runner::Tox;
    case CiFileKind::PreCommit:
      return Runner::PreCommit;
    case CiFileKind::Noxfile:
      return Runner::Nox;
    case CiFileKind::HatchToml:
      return Runner::Hatch;
    case CiFileKind::MiseToml:
      return Runner::Mise;
    case CiFileKind::Shell:
      return Runner::Script;
    case CiFileKind::YamlFragment:
    case CiFileKind::GithubAction:
      return Runner::CiYaml;
    default:
      return Runner::None;
  }
}

}  // namespace

void answer_commands(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out) {
  const FileEntry& file = parsed.file();
  const std::string_view bytes = parsed.bytes();
  std::vector<CiCommand> cmds;
  const CiFileKind kind = ci_file_kind(file.path);
  switch (kind) {
    case CiFileKind::Yaml:
      if (auto* docs = parsed.yaml())
        cmds = is_gitlab_ci_file(file.path) ? gitlab_ci_commands(*docs) : yaml_ci_commands(*docs);
      break;
    case CiFileKind::Jenkinsfile:
      cmds = jenkinsfile_commands(bytes);
      break;
    case CiFileKind::Makefile:
      cmds = makefile_targets(bytes);
      break;
    case CiFileKind::Tox:
      cmds = tox_envs(bytes);
      break;
    case CiFileKind::PreCommit:
      if (auto* docs = parsed.yaml()) cmds = precommit_hooks(*docs);
      break;
    case CiFileKind::Noxfile:
      cmds = nox_sessions(bytes);
      break;
    case CiFileKind::Pyproject:
      if (auto* t = parsed.toml()) cmds = pyproject_scripts(*t);
      break;
    case CiFileKind::HatchToml:
      if (auto* t = parsed.toml()) cmds = hatch_toml_scripts(*t);
      break;
    case CiFileKind::MiseToml:
      if (auto* t = parsed.toml()) cmds = mise_tasks(*t);
      break;
    case CiFileKind::Shell:
      if (!extensionless_script_path(file.path) || has_shell_shebang(bytes))
        cmds = shell_script_commands(bytes);
      break;
    case CiFileKind::YamlFragment:
      if (!may_hold_ci_commands(bytes)) break;
      if (auto* docs = parsed.yaml_quiet()) cmds = yaml_fragment_commands(*docs);
      break;
    case CiFileKind::GithubAction:  // a composite action's runs.steps, read like a workflow's
      if (auto* docs = parsed.yaml_quiet()) cmds = yaml_ci_commands(*docs);
      break;
    case CiFileKind::None:
      break;
  }
  // Build commands carry their runner and scope. Scripts and YAML fragments leave the scope empty
  // (the engine scopes them by path): facts depend only on the file's bytes. A CI file's commands
  // need no scope; a GitLab template's command keeps its hidden job's name.
  constexpr size_t kMaxField = 500;
  const bool build = q.kind == QueryKind::BuildCommands;
  const Runner file_runner = default_runner(kind);
  for (const auto& c : cmds) {
    if (out.size() >= kMaxMatchesPerQuery * 5) break;
    std::string_view value = std::string_view(c.command).substr(0, kMaxField);
    std::string_view head;
    if (build || c.kind == FactKind::CiTemplate) head = std::string_view(c.scope).substr(0, kMaxField);
    const Runner runner = !build ? Runner::None : c.runner != Runner::None ? c.runner : file_runner;
    // Not through snippet(): the command must survive intact.
    out.push_back(fact(c.kind, c.line, value, head, runner));
  }
}

}  // namespace mlops
