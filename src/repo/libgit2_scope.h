// Holds a reference to libgit2's global state for the lifetime of a scope, and tells cheaply
// whether a path can be inside a repository at all (initialising libgit2 is not free).
#pragma once

#include <git2.h>

#include <filesystem>
#include <string>

namespace mlops {

// libgit2 frees its global state, including its thread-local key, when the last reference is
// dropped; threads still alive at that moment leak their per-thread error state. Code that runs
// libgit2 on several threads holds one scope until every thread is joined.
// The first scope also takes a reference that is never dropped: each 0 -> 1 initialisation loads
// the system's CA certificates through mbedTLS (we never touch the network), a few milliseconds
// that a run opening the repository two or three times would otherwise pay each time.
class LibGit2Scope {
 public:
  LibGit2Scope() {
    static const int kept = git_libgit2_init();
    (void)kept;
    git_libgit2_init();
  }
  ~LibGit2Scope() { git_libgit2_shutdown(); }
  LibGit2Scope(const LibGit2Scope&) = delete;
  LibGit2Scope& operator=(const LibGit2Scope&) = delete;
};

// Whether `root` or a directory above it looks like part of a git repository (a `.git` entry, or
// a git directory itself): where git_repository_open_ext could find one. False means it cannot.
inline bool may_be_in_git(const std::string& root) {
  // libgit2 walks up from the real path; the path as given may reach other parents (symlinks).
  std::error_code ec;
  for (std::filesystem::path p :
       {std::filesystem::absolute(root, ec).lexically_normal(), std::filesystem::canonical(root, ec)}) {
    if (p.empty()) return true;  // let libgit2 decide
    for (;;) {
      if (p.filename() == ".git" || std::filesystem::exists(p / ".git", ec) ||
          (std::filesystem::exists(p / "HEAD", ec) && std::filesystem::is_directory(p / "objects", ec)))
        return true;
      if (!p.has_relative_path()) break;
      p = p.parent_path();
    }
  }
  return false;
}

}  // namespace mlops
