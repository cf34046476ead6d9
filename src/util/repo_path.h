// Joining a path written in a repository file onto a repository directory, never leaving it.
#pragma once
#include <string>
#include <string_view>

namespace mlops {

// `path`, relative to the repository directory `base_dir` ("" for the root), as a normalised
// repository path (no `.` / `..` segments, single slashes). Empty when it is absolute (`/`, `~`),
// leaves the repository, names the root itself, or holds what only a shell would expand
// (`$`, backquotes, globs, backslashes) or control characters: such a path is not followed.
std::string join_repo_path(std::string_view base_dir, std::string_view path);

// The directory part of a repository path ("" for a top-level file).
std::string dir_of(const std::string& path);

}  // namespace mlops
