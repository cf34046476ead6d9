// Atomic, symlink-safe file replacement (see atomic_write.h).
#include "util/atomic_write.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <deque>
#include <filesystem>
#include <random>
#include <utility>

#include "util/hash.h"

namespace mlops {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxSymlinkHops = 40;  // as the kernel's ELOOP limit

using Kind = WriteError::Kind;

WriteError error(Kind kind, std::string message) {
  return {kind, std::move(message)};
}
WriteError io_error(const std::string& what, int err) {
  return {Kind::kIo, what + ": " + std::strerror(err)};
}

// A file descriptor closed on every path out.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

bool is_inside(const std::string& dir, const std::vector<std::string>& roots) {
  for (const auto& r : roots) {
    if (r == "/" || dir == r) return true;
    if (dir.size() > r.size() && dir.compare(0, r.size(), r) == 0 && dir[r.size()] == '/') return true;
  }
  return false;
}

std::vector<std::string> canonical_roots(const std::vector<std::string>& roots) {
  std::vector<std::string> out;
  for (const auto& r : roots) {
    if (r.empty()) continue;
    std::error_code ec;
    fs::path c = fs::weakly_canonical(fs::absolute(r, ec), ec);
    if (ec) c = fs::absolute(r, ec).lexically_normal();
    std::string s = c.string();
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    out.push_back(s);
  }
  return out;
}

std::string join(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

struct Place {
  std::string dir;   // canonical: no symlink anywhere in it
  std::string name;  // the last component, not yet looked at
};

// Resolves the directory part of `path` as realpath(3) would, component by component, so that a
// symlink met inside a root is refused rather than followed; missing directories are created on
// request. The last component is left to the caller.
std::optional<WriteError> resolve_parent(const std::string& path, const std::vector<std::string>& roots,
                                         bool create, int& hops, Place& out) {
  fs::path p(path);
  std::string name = p.filename().string();
  if (name.empty() || name == "." || name == "..")
    return error(Kind::kNotRegular, path + ": not a file name");
  std::error_code ec;
  fs::path abs = p.is_absolute() ? p : fs::current_path(ec) / p;
  if (ec) return error(Kind::kIo, path + ": cannot determine the working directory: " + ec.message());
  std::deque<std::string> pending;
  for (const auto& c : abs.parent_path().relative_path()) pending.push_back(c.string());
  std::string real = "/";
  while (!pending.empty()) {
    std::string c = std::move(pending.front());
    pending.pop_front();
    if (c.empty() || c == ".") continue;
    if (c == "..") {
      real = fs::path(real).parent_path().string();
      continue;
    }
    std::string next = join(real, c);
    struct stat st {};
    if (::lstat(next.c_str(), &st) != 0) {
      int err = errno;
      if (err != ENOENT || !create) return io_error("cannot write " + path + ": " + next, err);
      if (::mkdir(next.c_str(), 0777) != 0 && errno != EEXIST)
        return io_error("cannot write " + path + ": cannot create directory " + next, errno);
      if (::lstat(next.c_str(), &st) != 0) return io_error("cannot write " + path + ": " + next, errno);
    }
    if (S_ISLNK(st.st_mode)) {
      if (is_inside(real, roots))
        return error(Kind::kSymlinkInPath,
                     path + ": " + next + " is a symlink inside the scanned repository; not followed");
      if (++hops > kMaxSymlinkHops) return error(Kind::kIo, path + ": too many levels of symbolic links");
      fs::path target = fs::read_symlink(next, ec);
      if (ec) return error(Kind::kIo, "cannot write " + path + ": " + next + ": " + ec.message());
      if (target.is_absolute()) real = "/";
      std::vector<std::string> parts;
      for (const auto& t : target.relative_path()) parts.push_back(t.string());
      pending.insert(pending.begin(), parts.begin(), parts.end());
      continue;
    }
    if (!S_ISDIR(st.st_mode))
      return error(Kind::kIo, "cannot write " + path + ": " + next + " is not a directory");
    real = std::move(next);
  }
  out = {real, name};
  return std::nullopt;
}

std::string random_suffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}() ^ (static_cast<uint64_t>(::getpid()) << 32)};
  return hex64(rng()).substr(0, 12);
}

std::optional<WriteError> write_all(int fd, std::string_view bytes, const std::string& shown) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), std::min<size_t>(bytes.size(), size_t{1} << 30));
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("cannot write " + shown, errno);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return std::nullopt;
}

// A device or FIFO the user named (/dev/null, /dev/stdout): nothing to replace, write in place.
std::optional<WriteError> write_in_place(int dir, const std::string& name, std::string_view bytes,
                                         const std::string& shown) {
  Fd fd(::openat(dir, name.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC));
  if (fd.get() < 0) return io_error("cannot open " + shown, errno);
  if (auto e = write_all(fd.get(), bytes, shown)) return e;
  if (::close(fd.release()) != 0) return io_error("cannot write " + shown, errno);
  return std::nullopt;
}

// Temp file beside the target, fsync, then rename (or link, to refuse an existing file) over it.
std::optional<WriteError> replace(int dir, const Place& place, const struct stat* existing,
                                  std::string_view bytes, const WriteOptions& options,
                                  const std::string& shown) {
  std::string base = place.name.substr(0, 200);  // NAME_MAX is 255
  std::string tmp;
  int raw = -1;
  for (int attempt = 0; attempt < 100; ++attempt) {
    tmp = "." + base + ".tmp." + random_suffix();
    raw = ::openat(dir, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                   static_cast<mode_t>(options.new_file_mode & 0777));
    if (raw >= 0 || errno != EEXIST) break;
  }
  Fd fd(raw);
  if (fd.get() < 0)
    return io_error("cannot write " + shown + ": cannot create a temporary file in " + place.dir, errno);
  auto fail = [&](const std::string& what, int err) {
    fd.reset();
    ::unlinkat(dir, tmp.c_str(), 0);
    return io_error(what, err);
  };
  // Keep the permissions of the file being replaced (never its set-id bits).
  if (existing && ::fchmod(fd.get(), existing->st_mode & 0777) != 0)
    return fail("cannot set the mode of " + shown, errno);
  if (auto e = write_all(fd.get(), bytes, shown)) {
    fd.reset();
    ::unlinkat(dir, tmp.c_str(), 0);
    return e;
  }
  if (::fsync(fd.get()) != 0) return fail("cannot write " + shown, errno);
  if (::close(fd.release()) != 0) return fail("cannot write " + shown, errno);
  if (options.replace_existing) {
    if (::renameat(dir, tmp.c_str(), dir, place.name.c_str()) != 0)
      return fail("cannot replace " + shown, errno);
  } else {
    // link(2) fails when the name exists: no window in which another file is replaced.
    if (::linkat(dir, tmp.c_str(), dir, place.name.c_str(), 0) != 0) {
      int err = errno;
      ::unlinkat(dir, tmp.c_str(), 0);
      if (err == EEXIST) return error(Kind::kExists, shown + " exists; not overwritten");
      return io_error("cannot create " + shown, err);
    }
    ::unlinkat(dir, tmp.c_str(), 0);
  }
  // The rename is durable only once the directory is; some file systems cannot sync one (EINVAL).
  if (::fsync(dir) != 0 && errno != EINVAL && errno != EROFS)
    return io_error("cannot write " + shown + ": cannot sync " + place.dir, errno);
  return std::nullopt;
}

}  // namespace

std::optional<WriteError> write_file_atomically(const std::string& path, std::string_view bytes,
                                                const WriteOptions& options) {
  if (path.empty()) return error(Kind::kIo, "empty output path");
  const std::vector<std::string> roots = canonical_roots(options.repo_roots);
  int hops = 0;
  std::string current = path;
  std::string shown = path;
  bool followed = false;
  for (;;) {
    Place place;
    if (auto e = resolve_parent(current, roots, options.create_parents, hops, place)) return e;
    Fd dir(::open(place.dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (dir.get() < 0) return io_error("cannot write " + shown + ": " + place.dir, errno);
    const bool dir_inside = is_inside(place.dir, roots);
    struct stat st {};
    bool exists = ::fstatat(dir.get(), place.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (!exists && errno != ENOENT) return io_error("cannot write " + shown, errno);
    if (exists && !options.replace_existing) return error(Kind::kExists, shown + " exists; not overwritten");
    if (exists && S_ISLNK(st.st_mode)) {
      if (!options.named_on_command_line)
        return error(Kind::kSymlink, shown + " is a symlink; not written through");
      if (dir_inside)
        return error(Kind::kSymlink,
                     shown + " is a symlink inside the scanned repository; not written through");
      struct stat target {};
      if (::fstatat(dir.get(), place.name.c_str(), &target, 0) == 0 &&
          (S_ISCHR(target.st_mode) || S_ISFIFO(target.st_mode)))
        return write_in_place(dir.get(), place.name, bytes, shown);
      if (++hops > kMaxSymlinkHops) return error(Kind::kIo, shown + ": too many levels of symbolic links");
      char buf[4096];
      ssize_t n = ::readlinkat(dir.get(), place.name.c_str(), buf, sizeof buf);
      if (n < 0 || static_cast<size_t>(n) >= sizeof buf)
        return io_error("cannot write " + shown, n < 0 ? errno : ENAMETOOLONG);
      std::string link(buf, static_cast<size_t>(n));
      current = link.starts_with('/') ? link : join(place.dir, link);
      shown = path + " -> " + current;
      followed = true;
      continue;
    }
    if (followed && dir_inside)
      return error(Kind::kSymlink,
                   shown + ": the symlink resolves into the scanned repository; not written through");
    if (exists && S_ISDIR(st.st_mode)) return error(Kind::kNotRegular, shown + " is a directory");
    if (exists && !S_ISREG(st.st_mode)) {
      if ((S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) && options.named_on_command_line && !dir_inside)
        return write_in_place(dir.get(), place.name, bytes, shown);
      return error(Kind::kNotRegular, shown + " is not a regular file; not replaced");
    }
    return replace(dir.get(), place, exists ? &st : nullptr, bytes, options, shown);
  }
}

}  // namespace mlops
