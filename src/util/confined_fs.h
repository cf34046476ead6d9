// Reading files of an untrusted repository without ever leaving it: every path is resolved
// beneath a directory opened once, never following a symlink blindly (openat2 with
// RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS when the path has no symlink, else one component at a time
// with O_NOFOLLOW), so a symlink, or a directory swapped for one, cannot lead outside the root.
// Files are opened O_NONBLOCK and refused on fstat unless regular, so a FIFO named .gitignore
// cannot block the scan; listings judge types by lstat and never open special files.
//
// Symlink policy: with Symlinks::kFollowInside a symlink is followed only when its target,
// resolved lexically and recursively (at most 40 hops), stays inside the root; this applies to the
// final component and to directory components alike. A link leaving the root, a dangling link or a
// loop is refused. With Symlinks::kRefuse any symlink on the way is refused.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlops {

enum class Symlinks { kRefuse, kFollowInside };

enum class ConfinedError {
  kNone,
  kNotFound,        // no such file (or a component is not a directory)
  kSymlinkOutside,  // a symlink on the way leads outside the root
  kSymlinkBroken,   // a symlink on the way is dangling or loops
  kSymlinkRefused,  // a symlink on the way, and the caller does not follow symlinks
  kNotRegular,      // a FIFO, device, socket or directory
  kTooLarge,        // larger than the caller's cap
  kIo,              // any other system error (permission denied, ...)
};

// What a path resolves to, without opening it.
struct ConfinedStat {
  ConfinedError error = ConfinedError::kNone;
  std::string message;  // ready to show, e.g. "symlink points outside the repository; not followed"
  mode_t mode = 0;      // S_IFREG, S_IFDIR, S_IFIFO... (never S_IFLNK: links are resolved)
  uint64_t size = 0;
  int64_t mtime_sec = 0;
  int64_t mtime_nsec = 0;
  uint64_t inode = 0;
  bool via_symlink = false;  // a symlink was followed to get here
  bool ok() const { return error == ConfinedError::kNone; }
};

struct ConfinedRead {
  std::string bytes;
  ConfinedError error = ConfinedError::kNone;
  std::string message;     // ready to show, e.g. "not a regular file (FIFO); not read"
  bool truncated = false;  // the file is larger than the cap and only the first bytes were read
  bool ok() const { return error == ConfinedError::kNone; }
};

// One entry of a listed directory, as lstat sees it (symlinks are not resolved).
struct ConfinedDirEntry {
  std::string name;
  mode_t mode = 0;  // S_IFLNK for a symlink
  uint64_t size = 0;
  int64_t mtime_sec = 0;
  int64_t mtime_nsec = 0;
  uint64_t inode = 0;
};

class ConfinedRoot {
 public:
  // Opens `root` (trusted: it may itself be a symlink). On failure ok() is false and error()
  // says why. With `kernel_resolve`, a path without symlinks is resolved by the kernel in one
  // openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) call where available; without it (or where
  // openat2 is missing) every component is walked. Both give the same answers.
  explicit ConfinedRoot(const std::string& root, bool kernel_resolve = true);
  ~ConfinedRoot();
  ConfinedRoot(const ConfinedRoot&) = delete;
  ConfinedRoot& operator=(const ConfinedRoot&) = delete;
  ConfinedRoot(ConfinedRoot&& other) noexcept;
  ConfinedRoot& operator=(ConfinedRoot&& other) noexcept;

  bool ok() const { return fd_ >= 0; }
  const std::string& error() const { return error_; }

  // Reads the regular file at root-relative `path`. A file larger than `cap` is refused
  // (kTooLarge) unless `truncate` is set: then its first `cap` bytes are returned with
  // `truncated` set. Thread-safe.
  ConfinedRead read(std::string_view path, uint64_t cap, Symlinks symlinks, bool truncate = false) const;
  // Resolves `path` and reports what it is, without opening it. Thread-safe.
  ConfinedStat stat(std::string_view path, Symlinks symlinks) const;
  // Lists the directory at `path` ("" for the root), sorted by name, without "." and "..".
  // Symlinked directories on the way are refused. Thread-safe.
  std::optional<std::vector<ConfinedDirEntry>> list(std::string_view path, std::string& error) const;

 private:
  struct Resolved;
  Resolved resolve(std::string_view path, Symlinks symlinks) const;

  int fd_ = -1;
  bool kernel_resolve_ = true;
  std::string abs_;  // the root's canonical absolute path, to judge absolute link targets
  std::string error_;
};

// A short name for a file type, for messages: "FIFO", "socket", "character device", ...
std::string file_type_name(mode_t mode);

}  // namespace mlops
