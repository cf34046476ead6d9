// Component-by-component path resolution under a root directory fd (openat + O_NOFOLLOW), so
// that no read of repository content can escape the root or block on a special file.
#include "util/confined_fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <utility>

namespace mlops {
namespace {

constexpr int kMaxSymlinkHops = 40;  // the kernel's own limit (MAXSYMLINKS)

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

std::string errno_text(int err) {
  return std::strerror(err);
}

std::string mib_text(uint64_t bytes) {
  return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB";
}

// Splits on '/', dropping empty and "." segments (".." is kept: resolution handles it).
std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view seg = path.substr(start, slash - start);
    if (!seg.empty() && seg != ".") out.emplace_back(seg);
    start = slash + 1;
  }
  return out;
}

std::string join_parts(const std::vector<std::string>& parts) {
  std::string joined;
  for (const auto& part : parts) joined += (joined.empty() ? "" : "/") + part;
  return joined;
}

// openat2 with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS: the kernel resolves the whole path in one
// call, refusing any symlink (ELOOP) and any escape (EXDEV). The common case (no symlink on the
// way) then costs one call instead of two per component. ENOSYS where unavailable (kernels
// before 5.6, seccomp filters): callers walk step by step instead.
int open_beneath(int dirfd, const std::string& path, uint64_t flags) {
  static std::atomic<bool> unavailable{false};
  if (unavailable.load(std::memory_order_relaxed)) {
    errno = ENOSYS;
    return -1;
  }
  open_how how{};
  how.flags = flags | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  long fd = ::syscall(SYS_openat2, dirfd, path.c_str(), &how, sizeof how);
  if (fd < 0 && (errno == ENOSYS || errno == EPERM)) {
    unavailable.store(true, std::memory_order_relaxed);
    errno = ENOSYS;
  }
  return static_cast<int>(fd);
}

}  // namespace

std::string file_type_name(mode_t mode) {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return "regular file";
    case S_IFDIR:
      return "directory";
    case S_IFIFO:
      return "FIFO";
    case S_IFSOCK:
      return "socket";
    case S_IFCHR:
      return "character device";
    case S_IFBLK:
      return "block device";
    case S_IFLNK:
      return "symlink";
    default:
      return "special file";
  }
}

// The parent directory (an open fd) and the name of the final component, which is not a symlink.
struct ConfinedRoot::Resolved {
  UniqueFd dir;         // -1: the root's own fd
  std::string name;     // empty: the path is the root itself
  std::string beneath;  // set when resolved in one openat2 call: open it again the same way
  struct stat st {};    // lstat of the final component
  bool via_symlink = false;
  ConfinedError error = ConfinedError::kNone;
  std::string message;
};

ConfinedRoot::ConfinedRoot(const std::string& root, bool kernel_resolve) : kernel_resolve_(kernel_resolve) {
  fd_ = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0) {
    error_ = "cannot open " + root + ": " + errno_text(errno);
    return;
  }
  std::error_code ec;
  abs_ = std::filesystem::canonical(root, ec).string();
  if (ec) abs_.clear();  // absolute link targets are then all judged outside
}

ConfinedRoot::~ConfinedRoot() {
  if (fd_ >= 0) ::close(fd_);
}

ConfinedRoot::ConfinedRoot(ConfinedRoot&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      kernel_resolve_(other.kernel_resolve_),
      abs_(std::move(other.abs_)),
      error_(std::move(other.error_)) {}

ConfinedRoot& ConfinedRoot::operator=(ConfinedRoot&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    kernel_resolve_ = other.kernel_resolve_;
    abs_ = std::move(other.abs_);
    error_ = std::move(other.error_);
  }
  return *this;
}

ConfinedRoot::Resolved ConfinedRoot::resolve(std::string_view path, Symlinks symlinks) const {
  Resolved r;
  auto fail = [&r](ConfinedError e, std::string message) {
    r.error = e;
    r.message = std::move(message);
    return std::move(r);
  };
  if (fd_ < 0) return fail(ConfinedError::kIo, error_);

  {
    auto parts = split_path(path);
    std::string joined = join_parts(parts);
    if (kernel_resolve_ && !joined.empty()) {
      int pfd = open_beneath(fd_, joined, O_PATH | O_NOFOLLOW);
      if (pfd >= 0) {
        UniqueFd holder(pfd);
        if (::fstat(pfd, &r.st) == 0 && !S_ISLNK(r.st.st_mode) && parts.back() != "..") {
          r.beneath = std::move(joined);
          r.name = parts.back();
          return r;
        }
      } else if (errno == ENOENT || errno == ENOTDIR) {
        return fail(ConfinedError::kNotFound, "no such file");
      }
      // ELOOP (a symlink on the way), EXDEV (leaves the root), ENOSYS: step by step below.
    }
  }

  struct Pending {
    std::string name;
    bool from_link;  // came from a symlink's target: a missing one means the link dangles
  };
  std::deque<Pending> pending;
  for (auto& s : split_path(path)) pending.push_back({std::move(s), false});
  // The directories resolved so far below the root, and the last one open: one fd at a time, so
  // deep paths read on many threads cannot exhaust descriptors. ".." reopens from the root.
  std::vector<std::string> names;
  UniqueFd dir;
  auto reopen = [&]() -> bool {
    dir.reset();
    for (const auto& n : names) {
      int next = ::openat(dir.get() >= 0 ? dir.get() : fd_, n.c_str(),
                          O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (next < 0) return false;
      dir = UniqueFd(next);
    }
    return true;
  };
  int hops = 0;

  while (!pending.empty()) {
    Pending c = std::move(pending.front());
    pending.pop_front();
    if (c.name == "..") {
      if (names.empty()) {
        return c.from_link || r.via_symlink
                   ? fail(ConfinedError::kSymlinkOutside,
                          "symlink points outside the repository; not followed")
                   : fail(ConfinedError::kNotFound, "path leaves the repository; not read");
      }
      names.pop_back();
      if (!reopen()) return fail(ConfinedError::kIo, "changed while being read; not read");
      continue;
    }
    int cur = dir.get() >= 0 ? dir.get() : fd_;
    struct stat st {};
    if (::fstatat(cur, c.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      int err = errno;
      if (err == ENOENT || err == ENOTDIR) {
        return c.from_link
                   ? fail(ConfinedError::kSymlinkBroken, "symlink target does not exist; not followed")
                   : fail(ConfinedError::kNotFound, "no such file");
      }
      return fail(ConfinedError::kIo, "cannot read: " + errno_text(err));
    }
    if (S_ISLNK(st.st_mode)) {
      if (symlinks == Symlinks::kRefuse)
        return fail(ConfinedError::kSymlinkRefused,
                    pending.empty() ? "is a symlink; not followed"
                                    : "a directory on the path is a symlink; not followed");
      if (++hops > kMaxSymlinkHops)
        return fail(ConfinedError::kSymlinkBroken, "symlink loop (or more than 40 links); not followed");
      char buf[4096];
      ssize_t n = ::readlinkat(cur, c.name.c_str(), buf, sizeof buf);
      if (n < 0) return fail(ConfinedError::kIo, "cannot read symlink: " + errno_text(errno));
      if (static_cast<size_t>(n) >= sizeof buf)
        return fail(ConfinedError::kSymlinkBroken, "symlink target too long; not followed");
      std::string target(buf, static_cast<size_t>(n));
      r.via_symlink = true;
      if (!target.empty() && target[0] == '/') {
        // Absolute: inside only when it names the root or something beneath it.
        if (abs_.empty() || !(target == abs_ || target.starts_with(abs_ + "/") || abs_ == "/"))
          return fail(ConfinedError::kSymlinkOutside, "symlink points outside the repository; not followed");
        target = target.substr(std::min(target.size(), abs_.size()));
        names.clear();
        dir.reset();
      }
      auto parts = split_path(target);
      for (auto it = parts.rbegin(); it != parts.rend(); ++it) pending.push_front({std::move(*it), true});
      continue;
    }
    if (pending.empty()) {
      r.dir = std::move(dir);
      r.name = std::move(c.name);
      r.st = st;
      return r;
    }
    if (!S_ISDIR(st.st_mode))
      return fail(ConfinedError::kNotFound, "no such file (a parent is not a directory)");
    int next = ::openat(cur, c.name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0) {
      int err = errno;
      // ELOOP / ENOTDIR: replaced by a symlink or a file since the fstatat; treat as hostile.
      if (err == ELOOP || err == ENOTDIR)
        return fail(ConfinedError::kIo, "changed while being read; not read");
      return fail(ConfinedError::kIo, "cannot read directory: " + errno_text(err));
    }
    names.push_back(std::move(c.name));
    dir = UniqueFd(next);
  }
  // The path names the root (or a symlink to it): a directory.
  if (::fstat(fd_, &r.st) != 0) return fail(ConfinedError::kIo, "cannot read: " + errno_text(errno));
  r.dir = std::move(dir);
  return r;
}

ConfinedStat ConfinedRoot::stat(std::string_view path, Symlinks symlinks) const {
  Resolved r = resolve(path, symlinks);
  ConfinedStat s;
  s.error = r.error;
  s.message = std::move(r.message);
  if (!s.ok()) return s;
  s.mode = r.st.st_mode & S_IFMT;
  s.size = static_cast<uint64_t>(r.st.st_size);
  s.mtime_sec = r.st.st_mtim.tv_sec;
  s.mtime_nsec = r.st.st_mtim.tv_nsec;
  s.inode = static_cast<uint64_t>(r.st.st_ino);
  s.via_symlink = r.via_symlink;
  return s;
}

ConfinedRead ConfinedRoot::read(std::string_view path, uint64_t cap, Symlinks symlinks, bool truncate) const {
  ConfinedRead out;
  auto fail = [&out](ConfinedError e, std::string message) {
    out.error = e;
    out.message = std::move(message);
    out.bytes.clear();
    return std::move(out);
  };
  constexpr int kReadFlags = O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC;
  UniqueFd fd;
  struct stat st {};
  // Common case first: a path without symlinks, opened by the kernel in one call (non-blocking,
  // so a FIFO opens at once and is refused by the fstat below).
  std::string joined = kernel_resolve_ ? join_parts(split_path(path)) : std::string();
  if (!joined.empty()) {
    int f = open_beneath(fd_, joined, kReadFlags);
    if (f >= 0)
      fd = UniqueFd(f);
    else if (errno == ENOENT || errno == ENOTDIR)
      return fail(ConfinedError::kNotFound, "no such file");
    // Otherwise (a symlink on the way, a socket, no openat2): step by step.
  }
  if (fd.get() < 0) {
    Resolved r = resolve(path, symlinks);
    if (r.error != ConfinedError::kNone) return fail(r.error, std::move(r.message));
    // Judge the type before opening: opening a device can have effects of its own.
    if (r.name.empty() || !S_ISREG(r.st.st_mode))
      return fail(ConfinedError::kNotRegular,
                  "not a regular file (" + file_type_name(r.st.st_mode) + "); not read");
    if (static_cast<uint64_t>(r.st.st_size) > cap && !truncate)
      return fail(ConfinedError::kTooLarge, "larger than " + mib_text(cap) + "; not read");
    int dir = r.dir.get() >= 0 ? r.dir.get() : fd_;
    fd = UniqueFd(r.beneath.empty() ? ::openat(dir, r.name.c_str(), kReadFlags)
                                    : open_beneath(fd_, r.beneath, kReadFlags));
    if (fd.get() < 0) {
      int err = errno;
      if (err == ELOOP) return fail(ConfinedError::kIo, "changed while being read; not read");
      if (err == ENOENT) return fail(ConfinedError::kNotFound, "no such file");
      return fail(ConfinedError::kIo, "cannot open: " + errno_text(err));
    }
    if (::fstat(fd.get(), &st) != 0) return fail(ConfinedError::kIo, "cannot read: " + errno_text(errno));
    if (!S_ISREG(st.st_mode) || st.st_ino != r.st.st_ino || st.st_dev != r.st.st_dev)
      return fail(ConfinedError::kIo, "changed while being read; not read");
  } else {
    if (::fstat(fd.get(), &st) != 0) return fail(ConfinedError::kIo, "cannot read: " + errno_text(errno));
    if (!S_ISREG(st.st_mode))
      return fail(ConfinedError::kNotRegular,
                  "not a regular file (" + file_type_name(st.st_mode) + "); not read");
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > cap && !truncate)
    return fail(ConfinedError::kTooLarge, "larger than " + mib_text(cap) + "; not read");

  uint64_t want = std::min(size, cap);
  out.bytes.resize(static_cast<size_t>(want));
  size_t got = 0;
  while (got < want) {
    ssize_t n = ::read(fd.get(), out.bytes.data() + got, static_cast<size_t>(want - got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(ConfinedError::kIo, "read error: " + errno_text(errno));
    if (n == 0) break;  // shrank while being read: what was there
    got += static_cast<size_t>(n);
  }
  out.bytes.resize(got);
  if (got == cap) {
    // Grown past the cap since the fstat? One more byte tells.
    char extra;
    ssize_t n;
    do n = ::read(fd.get(), &extra, 1);
    while (n < 0 && errno == EINTR);
    if (n > 0) size = cap + 1;
  }
  if (size > cap) {
    if (!truncate) return fail(ConfinedError::kTooLarge, "larger than " + mib_text(cap) + "; not read");
    out.truncated = true;
  }
  return out;
}

std::optional<std::vector<ConfinedDirEntry>> ConfinedRoot::list(std::string_view path,
                                                                std::string& error) const {
  Resolved r = resolve(path, Symlinks::kRefuse);
  if (r.error != ConfinedError::kNone) {
    error = r.message;
    return std::nullopt;
  }
  if (!S_ISDIR(r.st.st_mode)) {
    error = "not a directory";
    return std::nullopt;
  }
  int parent = r.dir.get() >= 0 ? r.dir.get() : fd_;
  constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  int fd = r.name.empty()      ? ::openat(fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
           : r.beneath.empty() ? ::openat(parent, r.name.c_str(), kDirFlags)
                               : open_beneath(fd_, r.beneath, kDirFlags);
  if (fd < 0) {
    error = "cannot read directory: " + errno_text(errno);
    return std::nullopt;
  }
  DIR* d = ::fdopendir(fd);
  if (d == nullptr) {
    error = "cannot read directory: " + errno_text(errno);
    ::close(fd);
    return std::nullopt;
  }
  std::vector<ConfinedDirEntry> out;
  errno = 0;
  while (struct dirent* de = ::readdir(d)) {
    std::string_view name = de->d_name;
    if (name == "." || name == "..") continue;
    ConfinedDirEntry e;
    e.name = std::string(name);
    struct stat st {};
    if (::fstatat(::dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
      e.mode = st.st_mode & S_IFMT;
      e.size = static_cast<uint64_t>(st.st_size);
      e.mtime_sec = st.st_mtim.tv_sec;
      e.mtime_nsec = st.st_mtim.tv_nsec;
      e.inode = static_cast<uint64_t>(st.st_ino);
    }  // else vanished since readdir: mode 0, which callers skip
    out.push_back(std::move(e));
    errno = 0;
  }
  int err = errno;
  ::closedir(d);
  if (err != 0) {
    error = "cannot read directory: " + errno_text(err);
    return std::nullopt;
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

}  // namespace mlops
