// Directory walk and git work-tree listing.
#include "repo/disk_snapshot.h"

#include <git2.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "repo/git_tags.h"
#include "repo/ignore_rules.h"
#include "repo/libgit2_scope.h"

namespace fs = std::filesystem;

namespace mlops {
namespace {

// Directories no ML project wants linted: environments, caches, build output of tools.
constexpr const char* kBuiltinExcludes[] = {".git/",
                                            ".hg/",
                                            ".svn/",
                                            ".venv/",
                                            "venv/",
                                            "node_modules/",
                                            "__pycache__/",
                                            ".tox/",
                                            ".nox/",
                                            ".mypy_cache/",
                                            ".pytest_cache/",
                                            ".ruff_cache/",
                                            ".ipynb_checkpoints/",
                                            ".dvc/cache/",
                                            ".dvc/tmp/"};

std::string read_small_file(const fs::path& p, uint64_t limit) {
  std::ifstream in(p, std::ios::binary);
  std::string data;
  if (!in) return data;
  data.resize(limit);
  in.read(data.data(), static_cast<std::streamsize>(limit));
  data.resize(static_cast<size_t>(in.gcount()));
  return data;
}

std::string stat_key(const struct stat& st) {
  return "s" + std::to_string(st.st_size) + "." + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec) + "." + std::to_string(st.st_ino);
}

bool inside(const fs::path& root, const fs::path& p) {
  auto rel = p.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

void add_builtin_excludes(IgnoreRules& ignore, const SnapshotOptions& options) {
  for (const char* g : kBuiltinExcludes) ignore.add_pattern(g);
  for (const auto& g : options.exclude) ignore.add_pattern(g);
}

void mark_lfs(const std::string& root, const LfsAttributes& lfs, std::vector<FileEntry>& entries) {
  for (auto& e : entries) {
    e.lfs_tracked = lfs.tracked(e.path);
    if (e.lfs_tracked && e.size < 1024)
      e.lfs_pointer = is_lfs_pointer(read_small_file(fs::path(root) / e.path, 1024));
  }
}

}  // namespace

ReadResult DiskSnapshot::read(const FileEntry& file, uint64_t limit) const {
  fs::path p = fs::path(root_) / file.path;
  std::ifstream in(p, std::ios::binary);
  if (!in) return {{}, "cannot open file"};
  std::string data;
  uint64_t want = std::min<uint64_t>(limit, file.size);
  data.resize(want);
  in.read(data.data(), static_cast<std::streamsize>(want));
  if (in.bad()) return {{}, "read error"};
  data.resize(static_cast<size_t>(in.gcount()));
  return {std::move(data), std::nullopt};
}

std::unique_ptr<DiskSnapshot> DiskSnapshot::walk(const std::string& root, const SnapshotOptions& options) {
  auto snap = std::unique_ptr<DiskSnapshot>(new DiskSnapshot());
  snap->root_ = root;
  snap->kind_ = "directory";
  std::error_code ec;
  fs::path canon_root = fs::canonical(root, ec);
  IgnoreRules ignore;
  add_builtin_excludes(ignore, options);
  LfsAttributes lfs;

  std::vector<std::string> stack{""};  // relative directories still to visit
  while (!stack.empty()) {
    std::string dir = std::move(stack.back());
    stack.pop_back();
    fs::path abs = dir.empty() ? fs::path(root) : fs::path(root) / dir;
    std::string gi = read_small_file(abs / ".gitignore", 1 << 20);
    if (!gi.empty()) ignore.add_file(dir, gi);
    std::string ga = read_small_file(abs / ".gitattributes", 1 << 20);
    if (!ga.empty()) lfs.add_file(dir, ga);

    std::vector<std::pair<std::string, fs::file_status>> children;
    fs::directory_iterator it(abs, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
      snap->diagnostics_.push_back({{dir, 0, 0}, "cannot read directory: " + ec.message()});
      continue;
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      children.emplace_back(it->path().filename().string(), it->symlink_status(ec));
    }
    std::sort(children.begin(), children.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    for (auto& [name, status] : children) {
      std::string rel = dir.empty() ? name : dir + "/" + name;
      fs::path child = abs / name;
      bool is_link = fs::is_symlink(status);
      fs::file_status target = status;
      if (is_link) {
        fs::path resolved = fs::canonical(child, ec);
        if (ec || !inside(canon_root, resolved)) {
          snap->diagnostics_.push_back({{rel, 0, 0}, "symlink points outside the repository; not followed"});
          ec.clear();
          continue;
        }
        target = fs::status(child, ec);
        if (fs::is_directory(target)) {
          // Following directory links could loop or list files twice; the target is inside the
          // root and gets walked on its own.
          continue;
        }
      }
      if (fs::is_directory(target)) {
        if (!ignore.ignored(rel, true)) stack.push_back(rel);
        continue;
      }
      if (!fs::is_regular_file(target) || ignore.ignored(rel, false)) continue;
      struct stat st {};
      if (::stat(child.c_str(), &st) != 0) continue;
      FileEntry e;
      e.path = rel;
      e.size = static_cast<uint64_t>(st.st_size);
      e.cache_key = stat_key(st);
      e.oversized = e.size > options.max_file_size;
      snap->entries_.push_back(std::move(e));
    }
  }
  mark_lfs(root, lfs, snap->entries_);
  std::sort(snap->entries_.begin(), snap->entries_.end(),
            [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  return snap;
}

std::unique_ptr<DiskSnapshot> DiskSnapshot::from_git(const std::string& root, const SnapshotOptions& options,
                                                     std::string& error) {
  LibGit2Scope libgit2;
  struct Guard {
    git_repository* repo = nullptr;
    git_index* index = nullptr;
    git_status_list* status = nullptr;
    ~Guard() {
      git_status_list_free(status);
      git_index_free(index);
      git_repository_free(repo);
    }
  } g;
  if (git_repository_open_ext(&g.repo, root.c_str(), 0, nullptr) != 0 || git_repository_is_bare(g.repo)) {
    return nullptr;
  }
  const char* workdir = git_repository_workdir(g.repo);
  if (workdir == nullptr) return nullptr;
  if (git_repository_index(&g.index, g.repo) != 0) {
    const git_error* e = git_error_last();
    error = std::string("cannot read git index: ") + (e ? e->message : "unknown error");
    return nullptr;
  }

  auto snap = std::unique_ptr<DiskSnapshot>(new DiskSnapshot());
  snap->root_ = root;
  snap->kind_ = "git";
  git_oid head;
  if (git_reference_name_to_id(&head, g.repo, "HEAD") == 0) snap->tags_ = tags_reachable_from(g.repo, head);
  std::error_code ec;
  fs::path canon_root = fs::canonical(root, ec);
  IgnoreRules excludes;
  add_builtin_excludes(excludes, options);
  LfsAttributes lfs;

  auto excluded = [&](const std::string& path) {
    // Check the path and each parent directory against the excludes.
    for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
      if (excludes.ignored(path.substr(0, slash), true)) return true;
    }
    return excludes.ignored(path, false);
  };

  auto add = [&](const std::string& path, const git_index_entry* ie) {
    if (excluded(path)) return;
    fs::path abs = fs::path(root) / path;
    struct stat st {};
    if (::lstat(abs.c_str(), &st) != 0) return;  // deleted in the work tree: nothing to lint
    if (S_ISLNK(st.st_mode)) {
      fs::path resolved = fs::canonical(abs, ec);
      if (ec || !inside(canon_root, resolved)) {
        snap->diagnostics_.push_back({{path, 0, 0}, "symlink points outside the repository; not followed"});
        ec.clear();
        return;
      }
      if (::stat(abs.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
    } else if (!S_ISREG(st.st_mode)) {
      return;
    }
    FileEntry e;
    e.path = path;
    e.size = static_cast<uint64_t>(st.st_size);
    e.tracked = ie != nullptr;
    bool unchanged = ie && ie->file_size == static_cast<uint32_t>(st.st_size) &&
                     ie->mtime.seconds == static_cast<int32_t>(st.st_mtim.tv_sec) &&
                     ie->mtime.nanoseconds == static_cast<uint32_t>(st.st_mtim.tv_nsec);
    if (unchanged) {
      char hex[GIT_OID_HEXSZ + 1] = {0};
      git_oid_tostr(hex, sizeof hex, &ie->id);
      e.cache_key = std::string("b") + hex;  // content identity: the blob id
    } else {
      e.cache_key = stat_key(st);
    }
    e.oversized = e.size > options.max_file_size;
    if (path == ".gitattributes" || path.ends_with("/.gitattributes")) {
      size_t slash = path.rfind('/');
      lfs.add_file(slash == std::string::npos ? "" : path.substr(0, slash), read_small_file(abs, 1 << 20));
    }
    snap->entries_.push_back(std::move(e));
  };

  // The scanned root may be a subdirectory of the work tree: keep only paths beneath it.
  fs::path canon_workdir = fs::canonical(workdir, ec);
  std::string prefix = canon_root.lexically_relative(canon_workdir).generic_string();
  if (prefix == ".") prefix.clear();
  if (!prefix.empty()) prefix += "/";
  auto strip = [&](const char* p, std::string& out) {
    std::string_view s(p);
    if (s.substr(0, prefix.size()) != prefix) return false;
    out = std::string(s.substr(prefix.size()));
    return true;
  };

  size_t count = git_index_entrycount(g.index);
  std::string rel;
  for (size_t i = 0; i < count; ++i) {
    const git_index_entry* ie = git_index_get_byindex(g.index, i);
    if (ie == nullptr || GIT_INDEX_ENTRY_STAGE(ie) != 0) continue;
    if ((ie->mode & 0170000) == 0160000) continue;  // submodule
    if (strip(ie->path, rel)) add(rel, ie);
  }

  git_status_options so = GIT_STATUS_OPTIONS_INIT;
  so.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
  so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
  if (git_status_list_new(&g.status, g.repo, &so) == 0) {
    size_t n = git_status_list_entrycount(g.status);
    for (size_t i = 0; i < n; ++i) {
      const git_status_entry* se = git_status_byindex(g.status, i);
      if (se == nullptr || !(se->status & GIT_STATUS_WT_NEW) || se->index_to_workdir == nullptr) continue;
      if (strip(se->index_to_workdir->new_file.path, rel)) add(rel, nullptr);
    }
  } else {
    const git_error* e = git_error_last();
    snap->diagnostics_.push_back(
        {{"", 0, 0}, std::string("cannot list untracked files: ") + (e ? e->message : "?")});
  }

  mark_lfs(root, lfs, snap->entries_);
  std::sort(snap->entries_.begin(), snap->entries_.end(),
            [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  return snap;
}

std::unique_ptr<Snapshot> open_snapshot(const std::string& root, const SnapshotOptions& options,
                                        std::string& error) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    error = "not a directory: " + root;
    return nullptr;
  }
  if (auto git = DiskSnapshot::from_git(root, options, error)) return git;
  if (!error.empty()) return nullptr;
  return DiskSnapshot::walk(root, options);
}

}  // namespace mlops
