// A snapshot of one commit's tree, read straight from the git object database: no checkout,
// bare repositories included. Cache keys are blob ids, so facts carry over between commits.
#pragma once
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "repo/snapshot.h"

namespace mlops {

struct CommitInfo {
  std::string id;                 // full hex id
  std::string date;               // YYYY-MM-DD (committer time, UTC)
  int64_t time = 0;               // seconds since the epoch
  std::string summary;            // first line of the message
  std::vector<std::string> tags;  // tags reachable from it, sorted (first_parent_history fills it)
};

// The first-parent history of HEAD, newest first: at most `limit` commits (0: all), none older
// than `since` (seconds since the epoch; 0: no bound). Empty when `repo_path` is not a repository.
std::vector<CommitInfo> first_parent_history(const std::string& repo_path, size_t limit, int64_t since,
                                             std::string& error);

// Blob sizes by id, shared across the commits of one repository: most blobs recur from commit
// to commit, and reading an object's header costs a file open and an inflate.
using BlobSizes = std::unordered_map<std::string, uint64_t>;

// The tree of `commit` (a hex id, or "HEAD"). Returns nullptr and sets `error` on failure.
// `tags`: the tags reachable from the commit when the caller knows them (a CommitInfo's), so
// that a history does not repeat the ancestry checks for every commit.
std::unique_ptr<Snapshot> open_commit_snapshot(const std::string& repo_path, const std::string& commit,
                                               const SnapshotOptions& options, std::string& error,
                                               BlobSizes* sizes = nullptr,
                                               const std::vector<std::string>* tags = nullptr);

}  // namespace mlops
