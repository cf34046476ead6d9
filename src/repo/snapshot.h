// The repository as the engine sees it: a list of files and a way to read each one. The engine
// never touches the disk directly, so tests feed it an in-memory repository (MemorySnapshot).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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

// Files a tool writes beside the project's own, which the listing keeps apart: no per-file
// rule analyses them (a copy would repeat every finding of the file it copies), but a
// project-level check may ask whether any were committed (`tool_files`).
enum class AsideKind {
  kJupyterCheckpoint,  // under a .ipynb_checkpoints/ directory: Jupyter's autosave copies
};

struct AsideFile {
  std::string path;  // relative to the root, '/'-separated
  AsideKind kind = AsideKind::kJupyterCheckpoint;
  uint64_t size = 0;
  bool tracked = false;  // in the git index (or a commit's tree)
};

// Which kind of set-aside file `path` is, if any: a path with a `.ipynb_checkpoints`
// directory among its components.
inline std::optional<AsideKind> aside_kind(std::string_view path) {
  constexpr std::string_view kDir = ".ipynb_checkpoints";
  for (size_t start = 0;;) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) return std::nullopt;  // the file name itself does not count
    if (path.substr(start, slash - start) == kDir) return AsideKind::kJupyterCheckpoint;
    start = slash + 1;
  }
}

struct ReadResult {
  std::string bytes;
  std::optional<std::string> error;  // set when the file could not be read
};

class Snapshot {
 public:
  virtual ~Snapshot() = default;
  // Every file of the repository that is not ignored, sorted by path; set-aside files excepted.
  virtual const std::vector<FileEntry>& files() const = 0;
  // Files listed as files() would list them but kept out of analysis (AsideKind), sorted by path.
  virtual const std::vector<AsideFile>& set_aside() const {
    static const std::vector<AsideFile> none;
    return none;
  }
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
