// The one way the tool writes a file: a temp file beside the target, fsync, rename over it, so a
// reader (or the next run after a kill) sees the old content or the new, never a torn file; and
// no write goes through a symlink a scanned repository could have planted.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlops {

struct WriteOptions {
  // Roots of the repositories being scanned: no symlink at or below them is ever followed.
  std::vector<std::string> repo_roots;
  // The user typed this path: a symlink at the destination that lies outside every root and
  // resolves outside every root is followed (the user's own link), the target written atomically.
  // A character device or FIFO there (/dev/null, /dev/stdout) is written in place.
  bool named_on_command_line = false;
  // Create missing parent directories (never through a symlink inside a root).
  bool create_parents = false;
  // false: fail with kExists when anything already exists at the destination.
  bool replace_existing = true;
  // Permissions of a new file (the umask applies); a replaced file keeps its own.
  unsigned new_file_mode = 0644;
};

struct WriteError {
  enum class Kind {
    kSymlink,        // the destination is a symlink that may not be followed
    kSymlinkInPath,  // a directory on the way, inside a repository root, is a symlink
    kNotRegular,     // the destination is a directory, device, FIFO... that may not be replaced
    kExists,         // replace_existing was false and the destination exists
    kIo,             // the system refused: permissions, disk full, missing directory...
  };
  Kind kind;
  std::string message;  // names the path and what is wrong, ready to show
};

// Replaces `path` with `bytes` atomically; nullopt on success. On failure nothing is left behind
// but, after a kill, a stale `.<name>.tmp.<random>` beside the target (harmless, never read).
std::optional<WriteError> write_file_atomically(const std::string& path, std::string_view bytes,
                                                const WriteOptions& options = {});

}  // namespace mlops
