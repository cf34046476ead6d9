// The repository as the engine sees it: a list of files and a way to read each one. The engine
// never touches the disk directly, so tests feed it an in-memory repository (MemorySnapshot).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/location.h"

namespace mlops {

struct FileEntry {
  std::string path;  // relative to the root, '/'-separated
  uint64_t size = 0;
  std::string cache_key;     // identifies the content: git blob id or size+mtime; empty = uncacheable
  bool lfs_pointer = false;  // a Git LFS pointer file (the real content lives in LFS)
  bool lfs_tracked = false;  // matched by a filter=lfs pattern in .gitattributes
  bool tracked = false;      // in the git index
  bool oversized = false;    // larger than the read limit: listed, never read
};

struct ReadResult {
  std::string bytes;
  std::optional<std::string> error;  // set when the file could not be read
};

class Snapshot {
 public:
  virtual ~Snapshot() = default;
  // Every file of the repository that is not ignored, sorted by path.
  virtual const std::vector<FileEntry>& files() const = 0;
  // Reads at most `limit` bytes of a listed file. Thread-safe.
  virtual ReadResult read(const FileEntry& file, uint64_t limit) const = 0;
  // Problems met while listing (unreadable directories, symlinks leaving the root, ...).
  virtual const std::vector<Diagnostic>& diagnostics() const = 0;
  // "git" or "directory" or "memory": how the listing was made.
  virtual std::string kind() const = 0;
  // Git tags on the scanned commit or its ancestors, sorted (empty outside git).
  virtual const std::vector<std::string>& tags() const {
    static const std::vector<std::string> none;
    return none;
  }
};

struct SnapshotOptions {
  uint64_t max_file_size = 10ull * 1024 * 1024;  // files above this are listed as oversized
  std::vector<std::string> exclude;              // extra glob excludes (config)
};

// Opens `root`: through libgit2 when it is (inside) a git work tree, else as a plain directory.
// Returns nullptr and sets `error` when the path cannot be read at all.
std::unique_ptr<Snapshot> open_snapshot(const std::string& root, const SnapshotOptions& options,
                                        std::string& error);

}  // namespace mlops
