// Running the git command-line tool as a fallback for repositories libgit2 1.5 cannot read
// (split index, sparse index): argv only (never a shell), stdin closed, no pager, no optional
// locks, no fsmonitor hook, output capped, stopped after 30 s of silence.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace mlops {

struct GitCliResult {
  bool ran = false;    // false: git could not be started (then `error` says why)
  int exit_code = -1;  // git's exit status when it ran
  std::string out;     // stdout, at most the cap
  std::string err;     // stderr, first 4 KiB
  std::string error;   // empty on success; otherwise ready to show
  bool ok() const { return error.empty(); }
};

// Runs `git -C dir <safety options> args...` found on PATH. Output above `out_cap` is an error
// (the child is killed). `extra_env` ("NAME=value") is added after the caller's GIT_* variables
// are removed.
GitCliResult run_git(const std::string& dir, const std::vector<std::string>& args, uint64_t out_cap,
                     const std::vector<std::string>& extra_env = {});

// Lists the index of the repository whose git directory is `git_dir` (objects in `common_dir`)
// with `git ls-files -z --stage --debug`, without touching the repository: git refreshes the
// timestamp of a split index's shared file on every read, so it reads copies of the index files
// in a scratch git directory, the objects (for a sparse index's trees) from the real one.
GitCliResult git_ls_files_read_only(const std::string& git_dir, const std::string& common_dir,
                                    uint64_t out_cap);

}  // namespace mlops
