// Holds a reference to libgit2's global state for the lifetime of a scope.
#pragma once

#include <git2.h>

namespace mlops {

// libgit2 frees its global state, including its thread-local key, when the last reference is
// dropped; threads still alive at that moment leak their per-thread error state. Code that runs
// libgit2 on several threads holds one scope until every thread is joined.
class LibGit2Scope {
 public:
  LibGit2Scope() { git_libgit2_init(); }
  ~LibGit2Scope() { git_libgit2_shutdown(); }
  LibGit2Scope(const LibGit2Scope&) = delete;
  LibGit2Scope& operator=(const LibGit2Scope&) = delete;
};

}  // namespace mlops
