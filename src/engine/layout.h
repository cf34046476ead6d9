// Project layout: which directories are project roots (a monorepo holds several) and which
// files each project sees, under the path its rules match against. Internal to the engine.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "repo/snapshot.h"

namespace mlops::engine {

struct Project {
  std::string root;           // "" for the scanned root
  std::vector<size_t> files;  // indexes into snapshot.files() visible to this project
  // Files of the projects enclosing this one (the root project's README, dags/, CI scripts) not
  // already in `files`: the shared infrastructure repository-wide practices may be credited
  // from (credited_from_shared()). Empty for the root project.
  std::vector<size_t> shared;
};

struct Layout {
  std::vector<Project> projects;
  std::vector<std::string> rel;  // per file: path as the project's rules see it
};

// The index of the snapshot file at `path` (snapshot files are sorted by path).
std::optional<size_t> find_file(const std::vector<FileEntry>& files, std::string_view path);

// Assigns each file to its deepest project root; files outside every sub-project are shared.
// A directory is a project root when it holds a manifest (pyproject.toml, setup.py, setup.cfg,
// dvc.yaml, MLproject), or a README and a requirements file (requirements*.txt,
// environment.yml) while a sibling directory is a project too: a repository of independent
// examples is split into one project per example (docs/practices.md, "What a project is").
Layout detect_projects(const std::vector<FileEntry>& files);

// Whether a requirement rule of `practice` may pass on evidence in a project's shared
// infrastructure (Project::shared, or repository-wide files outside its root): CI, linting,
// team process, data validation, pipelines and documentation are repository-wide; training
// practices (tracking, seeds, versioning, ...) and the model card are each project's own.
bool credited_from_shared(std::string_view practice, std::string_view rule_id);

// Whether a requirement rule of `practice` may also pass on evidence in a sibling project that
// is infrastructure (trains and serves no model itself: an Airflow `pipelines/` project, a
// validation-suite project): data validation and pipelines. A sibling that trains keeps its
// practices to itself.
bool credited_from_siblings(std::string_view practice);

}  // namespace mlops::engine
