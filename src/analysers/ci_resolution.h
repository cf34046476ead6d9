// What a project's CI runs, resolved over its files' facts: each CI file's commands with the YAML
// files it names expanded in place (GitLab local includes, job configs such as `anyscale job
// submit job.yaml`), GitLab templates run through the jobs that extend them, and — one level
// down — the make targets, tox envs, nox sessions, task-runner scripts, pre-commit hooks and
// shell scripts a command invokes (from the build files' Command facts).
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "model/facts.h"

namespace re2 {
class RE2;
}

namespace mlops {

// The facts the resolution reads, for one project.
class CiFacts {
 public:
  virtual ~CiFacts() = default;
  // The project's files (snapshot indexes), ascending.
  virtual const std::vector<size_t>& files() const = 0;
  // A file's repository path.
  virtual const std::string& path(size_t f) const = 0;
  // A CI file's commands and GitLab directives (CiCommands facts).
  virtual const std::vector<Match>& ci_commands(size_t f) const = 0;
  // A build file's commands by runner and scope (BuildCommands facts).
  virtual const std::vector<Match>& build_commands(size_t f) const = 0;
  // The project's file at a repository path.
  virtual std::optional<size_t> project_file(const std::string& path) const = 0;
};

struct CiRun {
  size_t file;  // the CI file (or the YAML file it includes) holding the command
  Match match;  // the command; "CMD -> BUILD COMMAND" when it matched one level down
};

// CI commands matching `pattern` directly (a tool that is only installed does not count), or
// through what they invoke. Over every CI file of the project, or only `only`.
std::vector<CiRun> ci_runs_matching(const CiFacts& facts, const re2::RE2& pattern,
                                    std::optional<size_t> only);

}  // namespace mlops
