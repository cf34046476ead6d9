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
};

struct Layout {
  std::vector<Project> projects;
  std::vector<std::string> rel;  // per file: path as the project's rules see it
};

// The index of the snapshot file at `path` (snapshot files are sorted by path).
std::optional<size_t> find_file(const std::vector<FileEntry>& files, std::string_view path);

// Assigns each file to its deepest project root; files outside every sub-project are shared.
Layout detect_projects(const std::vector<FileEntry>& files);

}  // namespace mlops::engine
