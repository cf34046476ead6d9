// Directory walk and git work-tree listing. Every look at the work tree (listing, stat, read)
// goes through ConfinedRoot, so nothing outside the root is read and no special file is opened.
#include "repo/disk_snapshot.h"

#include <git2.h>
#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <future>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>

#include "repo/git_cli.h"
#include "repo/git_tags.h"
#include "repo/ignore_rules.h"
#include "repo/libgit2_scope.h"
#include "util/confined_fs.h"

namespace fs = std::filesystem;

namespace mlops {
namespace {

// Directories no ML project wants linted: environments, caches, build output of tools.
// (.ipynb_checkpoints/ is listed, set aside: whether its copies are committed is a finding.)
constexpr const char* kBuiltinExcludes[] = {
    ".git/", ".hg/",  ".svn/",        ".venv/",         "venv/",        "node_modules/", "__pycache__/",
    ".tox/", ".nox/", ".mypy_cache/", ".pytest_cache/", ".ruff_cache/", ".dvc/cache/",   ".dvc/tmp/"};
constexpr uint64_t kMaxIgnoreFileSize = 1 << 20;  // .gitignore, .gitattributes: the first MiB
// `git ls-files` of a million-file repository is ~100 MB; beyond this something is wrong.
constexpr uint64_t kMaxGitListing = 512ull << 20;

std::string join(const std::string& dir, const std::string& name) {
  return dir.empty() ? name : dir + "/" + name;
}

// The first `limit` bytes of a small repository file; a refusal (symlink out of the root, FIFO,
// ...) is a diagnostic, a missing file is just empty.
std::string read_small_file(const ConfinedRoot& root, const std::string& rel, uint64_t limit,
                            std::vector<Diagnostic>* diagnostics) {
  ConfinedRead r = root.read(rel, limit, Symlinks::kFollowInside, true);
  if (r.ok()) return std::move(r.bytes);
  if (diagnostics != nullptr && r.error != ConfinedError::kNotFound)
    diagnostics->push_back({{rel, 0, 0}, r.message});
  return {};
}

std::string stat_key(uint64_t size, int64_t sec, int64_t nsec, uint64_t inode) {
  return "s" + std::to_string(size) + "." + std::to_string(sec) + "." + std::to_string(nsec) + "." +
         std::to_string(inode);
}

void add_builtin_excludes(IgnoreRules& ignore, const SnapshotOptions& options) {
  for (const char* g : kBuiltinExcludes) ignore.add_pattern(g);
  for (const auto& g : options.exclude) ignore.add_pattern(g);
}

void mark_lfs(const ConfinedRoot& root, const LfsAttributes& lfs, std::vector<FileEntry>& entries) {
  for (auto& e : entries) {
    e.lfs_tracked = lfs.tracked(e.path);
    if (e.lfs_tracked && e.size < 1024)
      e.lfs_pointer = is_lfs_pointer(read_small_file(root, e.path, 1024, nullptr));
  }
}

void sort_aside(std::vector<AsideFile>& aside) {
  std::sort(aside.begin(), aside.end(),
            [](const AsideFile& a, const AsideFile& b) { return a.path < b.path; });
}

// `blob`: the hex id of the indexed content, when the work-tree file is known to hold it.
FileEntry make_entry(const std::string& path, uint64_t size, int64_t sec, int64_t nsec, uint64_t inode,
                     const SnapshotOptions& options, const std::string* blob = nullptr) {
  FileEntry e;
  e.path = path;
  e.size = size;
  e.cache_key = blob != nullptr ? "b" + *blob : stat_key(size, sec, nsec, inode);
  e.oversized = size > options.max_file_size;
  return e;
}

// Lists every regular, non-ignored file under the root (and symlinks to files inside it),
// reading .gitignore / .gitattributes on the way. Iterative, so depth costs no stack.
// The walk starts at `start` ("" for the root). With `skip_nested_repos`, directories below it
// holding a .git (submodules, nested repositories) are not entered, as git does not list their
// files as untracked.
// Each file found goes to `sink` with what stat says of it (of the target, for a symlink), in no
// particular order: callers sort. Two threads share the directories still to visit (the walk is
// a stat of every file, most of a large listing); each directory carries the ignore rules that
// apply beneath it, so the threads never change rules another reads.
using FileSink = std::function<void(const std::string& rel, const ConfinedStat& st)>;
void walk_tree(const ConfinedRoot& root, const std::string& start, const IgnoreRules& base_ignore,
               LfsAttributes& lfs, std::vector<Diagnostic>& diagnostics, bool skip_nested_repos,
               const FileSink& sink) {
  struct Dir {
    std::string path;
    int depth;
    std::shared_ptr<const IgnoreRules> ignore;
  };
  std::mutex mu;  // guards the shared state below, lfs, diagnostics and sink
  std::condition_variable more;
  std::vector<Dir> stack{{start, 0, std::make_shared<const IgnoreRules>(base_ignore)}};
  size_t busy = 0;  // threads visiting a directory (which may add more)

  auto visit = [&](Dir d, std::vector<Dir>& dirs, std::vector<std::pair<std::string, ConfinedStat>>& files,
                   std::vector<Diagnostic>& notes) {
    const std::string& dir = d.path;
    std::string error;
    auto children = root.list(dir, error);
    if (!children) {
      notes.push_back({{dir, 0, 0}, "directory not listed: " + error});
      return;
    }
    auto named = [&](const char* name) {
      auto it = std::lower_bound(children->begin(), children->end(), name,
                                 [](const ConfinedDirEntry& e, const char* n) { return e.name < n; });
      return it != children->end() && it->name == name ? &*it : nullptr;
    };
    if (skip_nested_repos && dir != start && named(".git") != nullptr) return;
    std::shared_ptr<const IgnoreRules> ignore = d.ignore;
    for (const char* special : {".gitignore", ".gitattributes"}) {
      const ConfinedDirEntry* it = named(special);
      if (it == nullptr) continue;
      std::string rel = join(dir, special);
      if (it->mode != S_IFREG && it->mode != S_IFLNK) {
        notes.push_back({{rel, 0, 0}, "not a regular file (" + file_type_name(it->mode) + "); not read"});
        continue;
      }
      std::string text = read_small_file(root, rel, kMaxIgnoreFileSize, &notes);
      if (text.empty()) continue;
      if (it->name == ".gitignore") {
        auto with_file = std::make_shared<IgnoreRules>(*ignore);
        with_file->add_file(dir, text);
        ignore = std::move(with_file);
      } else {
        std::lock_guard<std::mutex> lock(mu);
        lfs.add_file(dir, text);
      }
    }
    for (const auto& child : *children) {
      // git's own metadata: a directory, or a file in linked work trees and submodules.
      if (child.name == ".git") continue;
      std::string rel = join(dir, child.name);
      if (child.mode == S_IFDIR) {
        if (ignore->ignored(rel, true)) continue;
        if (d.depth + 1 > DiskSnapshot::kMaxWalkDepth) {
          notes.push_back({{rel, 0, 0},
                           "directory nested deeper than " + std::to_string(DiskSnapshot::kMaxWalkDepth) +
                               " levels; not listed"});
          continue;
        }
        dirs.push_back({std::move(rel), d.depth + 1, ignore});
      } else if (child.mode == S_IFREG) {
        if (ignore->ignored(rel, false)) continue;
        ConfinedStat st;
        st.mode = S_IFREG;
        st.size = child.size;
        st.mtime_sec = child.mtime_sec;
        st.mtime_nsec = child.mtime_nsec;
        st.inode = child.inode;
        files.emplace_back(std::move(rel), st);
      } else if (child.mode == S_IFLNK) {
        if (ignore->ignored(rel, false)) continue;
        ConfinedStat st = root.stat(rel, Symlinks::kFollowInside);
        if (!st.ok()) {
          notes.push_back({{rel, 0, 0}, st.message});
          continue;
        }
        // A link to a directory inside the root is not followed: the target is walked on its
        // own, and following could list files twice or loop.
        if (st.mode == S_IFREG) files.emplace_back(std::move(rel), st);
      }
      // FIFOs, sockets, devices: never opened, nothing to lint.
    }
  };

  auto worker = [&] {
    std::vector<Dir> dirs;
    std::vector<std::pair<std::string, ConfinedStat>> files;
    std::vector<Diagnostic> notes;
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      more.wait(lock, [&] { return !stack.empty() || busy == 0; });
      if (stack.empty()) break;  // nothing left, and no one visiting could add more
      Dir d = std::move(stack.back());
      stack.pop_back();
      ++busy;
      lock.unlock();
      visit(std::move(d), dirs, files, notes);
      lock.lock();
      --busy;
      for (auto& x : dirs) stack.push_back(std::move(x));
      dirs.clear();
      for (const auto& [rel, st] : files) sink(rel, st);
      files.clear();
      for (auto& n : notes) diagnostics.push_back(std::move(n));
      notes.clear();
      more.notify_all();
    }
  };
  std::thread helper(worker);
  worker();
  helper.join();
}

// What the index says of a tracked file: its blob, and whether the work-tree copy still matches.
struct TrackedInfo {
  std::string blob;        // hex object id
  bool have_stat = false;  // size and mtime the index recorded, compared with the work tree
  uint32_t size = 0;
  int32_t mtime_sec = 0;
  uint32_t mtime_nsec = 0;
};

// Reads "  ctime: 1:2\n  mtime: 3:4\n  dev: 5\tino: 6\n  uid: 0\tgid: 0\n  size: 7\tflags: 0\n"
// (git ls-files --debug) from `pos` into `t`'s stat fields.
void parse_debug_lines(const std::string& out, size_t& pos, TrackedInfo& t) {
  bool have_mtime = false, have_size = false;
  while (out.compare(pos, 2, "  ") == 0) {
    size_t nl = out.find('\n', pos);
    if (nl == std::string::npos) nl = out.size();
    std::string_view line(out.data() + pos + 2, nl - pos - 2);
    pos = nl + 1;
    while (!line.empty()) {
      size_t tab = line.find('\t');
      std::string_view field = line.substr(0, tab);
      line = tab == std::string_view::npos ? std::string_view() : line.substr(tab + 1);
      size_t colon = field.find(": ");
      if (colon == std::string_view::npos) continue;
      std::string_view key = field.substr(0, colon), value = field.substr(colon + 2);
      const char* end = value.data() + value.size();
      if (key == "mtime") {
        uint32_t sec = 0, nsec = 0;
        auto r1 = std::from_chars(value.data(), end, sec);
        if (r1.ec != std::errc() || r1.ptr == end || *r1.ptr != ':') continue;
        auto r2 = std::from_chars(r1.ptr + 1, end, nsec);
        if (r2.ec != std::errc()) continue;
        t.mtime_sec = static_cast<int32_t>(sec);
        t.mtime_nsec = nsec;
        have_mtime = true;
      } else if (key == "size") {
        have_size = std::from_chars(value.data(), end, t.size).ec == std::errc();
      }
    }
  }
  t.have_stat = have_mtime && have_size;
}

// Parses `git ls-files -z --stage --debug`: "<mode> <oid> <stage>\t<path>\0" per index entry,
// each followed by indented debug lines holding the size and mtime the index recorded. (Not
// --modified: for racily clean entries git would hash the file through the repository's clean
// filters, running commands a hostile repository configures.)
bool parse_ls_files(const std::string& out, std::map<std::string, TrackedInfo>& tracked) {
  size_t pos = 0;
  while (pos < out.size()) {
    size_t end = out.find('\0', pos);
    if (end == std::string::npos) return false;
    std::string_view rec(out.data() + pos, end - pos);
    pos = end + 1;
    TrackedInfo info;
    parse_debug_lines(out, pos, info);
    size_t tab = rec.find('\t');
    if (tab == std::string_view::npos) return false;
    std::string_view meta = rec.substr(0, tab);
    std::string path(rec.substr(tab + 1));
    size_t s1 = meta.find(' ');
    size_t s2 = s1 == std::string_view::npos ? s1 : meta.find(' ', s1 + 1);
    if (s2 == std::string_view::npos) return false;
    std::string_view mode = meta.substr(0, s1), oid = meta.substr(s1 + 1, s2 - s1 - 1),
                     stage = meta.substr(s2 + 1);
    // Conflicts, submodules, and a sparse index's directories outside the cone (not on disk).
    if (stage != "0" || mode == "160000" || mode == "040000") continue;
    info.blob = std::string(oid);
    tracked[path] = std::move(info);
  }
  return true;
}

}  // namespace

ReadResult DiskSnapshot::read(const FileEntry& file, uint64_t limit) const {
  ConfinedRead r = fs_->read(file.path, limit, Symlinks::kFollowInside, true);
  if (!r.ok()) return {{}, r.message};
  return {std::move(r.bytes), std::nullopt};
}

std::unique_ptr<DiskSnapshot> DiskSnapshot::walk(const std::string& root, const SnapshotOptions& options) {
  auto snap = std::unique_ptr<DiskSnapshot>(new DiskSnapshot());
  snap->root_ = root;
  snap->kind_ = "directory";
  auto confined = std::make_shared<ConfinedRoot>(root);
  snap->fs_ = confined;
  if (!confined->ok()) {
    snap->diagnostics_.push_back({{"", 0, 0}, confined->error()});
    return snap;
  }
  IgnoreRules ignore;
  add_builtin_excludes(ignore, options);
  LfsAttributes lfs;
  walk_tree(
      *confined, "", ignore, lfs, snap->diagnostics_, false,
      [&](const std::string& rel, const ConfinedStat& st) {
        if (auto kind = aside_kind(rel))
          snap->aside_.push_back({rel, *kind, st.size, false});
        else
          snap->entries_.push_back(make_entry(rel, st.size, st.mtime_sec, st.mtime_nsec, st.inode, options));
      });
  mark_lfs(*confined, lfs, snap->entries_);
  std::sort(snap->entries_.begin(), snap->entries_.end(),
            [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  sort_aside(snap->aside_);
  return snap;
}

std::unique_ptr<DiskSnapshot> DiskSnapshot::from_git(const std::string& root, const SnapshotOptions& options,
                                                     std::string& error) {
  // Outside any repository, initialising libgit2 (it loads CA certificates) would be most of a
  // small run's start-up: a few stats decide first.
  if (!may_be_in_git(root)) return nullptr;
  LibGit2Scope libgit2;
  struct Guard {
    git_repository* repo = nullptr;
    git_index* index = nullptr;
    ~Guard() {
      git_index_free(index);
      git_repository_free(repo);
    }
  } g;
  if (git_repository_open_ext(&g.repo, root.c_str(), 0, nullptr) != 0 || git_repository_is_bare(g.repo)) {
    return nullptr;
  }
  const char* workdir = git_repository_workdir(g.repo);
  if (workdir == nullptr) return nullptr;
  // libgit2 reads the index with a blocking open: an index that is a FIFO would hang the scan.
  ConfinedStat index_stat = ConfinedRoot(git_repository_path(g.repo)).stat("index", Symlinks::kFollowInside);
  if (index_stat.ok() && index_stat.mode != S_IFREG) {
    error = "cannot read git index: not a regular file (" + file_type_name(index_stat.mode) + ")";
    return nullptr;
  }
  auto confined = std::make_shared<ConfinedRoot>(root);
  if (!confined->ok()) {
    error = confined->error();
    return nullptr;
  }

  // The scanned root may be a subdirectory of the work tree: keep only paths beneath it.
  std::error_code ec;
  fs::path canon_root = fs::canonical(root, ec);
  fs::path canon_workdir = fs::canonical(workdir, ec);
  std::string prefix = canon_root.lexically_relative(canon_workdir).generic_string();
  if (prefix == ".") prefix.clear();
  if (!prefix.empty()) prefix += "/";
  auto strip = [&](std::string_view s, std::string& out) {
    if (s.substr(0, prefix.size()) != prefix) return false;
    out = std::string(s.substr(prefix.size()));
    return true;
  };

  // Untracked files come from our own confined walk, not from libgit2's status: libgit2 1.5
  // opens .gitignore files itself (a FIFO named .gitignore hangs it, a symlinked one is read
  // wherever it points) and gives up the whole listing when one directory nests deeper than 100
  // levels. The walk applies the same .gitignore rules plus .git/info/exclude. It runs from the
  // work tree's top so that the ignore files above a scanned subdirectory apply; config excludes
  // are applied by add() to root-relative paths. It runs on a thread of its own while this one
  // reads the index and the tags: neither needs the other until the two listings are merged.
  IgnoreRules ignore;
  for (const char* pattern : kBuiltinExcludes) ignore.add_pattern(pattern);
  ConfinedRoot gitdir(git_repository_path(g.repo));
  if (gitdir.ok()) {
    ConfinedRead info = gitdir.read("info/exclude", kMaxIgnoreFileSize, Symlinks::kRefuse, true);
    if (info.ok()) ignore.add_file("", info.bytes);
  }
  ConfinedRoot top(canon_workdir.string());
  const ConfinedRoot& walk_root = top.ok() ? top : *confined;
  std::string start = top.ok() && !prefix.empty() ? prefix.substr(0, prefix.size() - 1) : "";
  auto to_root = [&](const std::string& p, std::string& out) {
    if (!top.ok()) {
      out = p;
      return true;
    }
    return strip(p, out);
  };
  if (!start.empty()) {
    ignore.add_file("", read_small_file(top, ".gitignore", kMaxIgnoreFileSize, nullptr));
    for (size_t slash = start.find('/'); slash != std::string::npos; slash = start.find('/', slash + 1)) {
      std::string above = start.substr(0, slash);
      ignore.add_file(above, read_small_file(top, above + "/.gitignore", kMaxIgnoreFileSize, nullptr));
    }
  }
  std::vector<Diagnostic> walk_notes;
  std::vector<std::pair<std::string, ConfinedStat>> listed;  // root-relative, with what stat said
  auto walked = std::async(std::launch::async, [&] {
    LfsAttributes unused;  // .gitattributes are read by add() for the files it lists
    walk_tree(walk_root, start, ignore, unused, walk_notes, /*skip_nested_repos=*/true,
              [&](const std::string& p, const ConfinedStat& st) {
                std::string r;
                // A link judged inside the work tree may still leave the scanned root: add() decides.
                if (to_root(p, r)) listed.emplace_back(std::move(r), st);
              });
    std::sort(listed.begin(), listed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  });

  // Tracked files, sorted by path: from libgit2's index, or from `git ls-files` for index
  // formats libgit2 1.5 refuses (split index "link", sparse index "sdir").
  std::vector<std::pair<std::string, TrackedInfo>> tracked;  // work-tree-relative path
  if (git_repository_index(&g.index, g.repo) == 0) {
    size_t count = git_index_entrycount(g.index);
    tracked.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      const git_index_entry* ie = git_index_get_byindex(g.index, i);
      if (ie == nullptr || GIT_INDEX_ENTRY_STAGE(ie) != 0) continue;
      if ((ie->mode & 0170000) == 0160000) continue;  // submodule
      char hex[GIT_OID_HEXSZ + 1] = {0};
      git_oid_tostr(hex, sizeof hex, &ie->id);
      TrackedInfo t;
      t.blob = hex;
      t.have_stat = true;
      t.size = ie->file_size;
      t.mtime_sec = ie->mtime.seconds;
      t.mtime_nsec = ie->mtime.nanoseconds;
      tracked.emplace_back(ie->path, std::move(t));
    }
  } else {
    const git_error* e = git_error_last();
    std::string why = e ? e->message : "unknown error";
    GitCliResult cli =
        git_ls_files_read_only(git_repository_path(g.repo), git_repository_commondir(g.repo), kMaxGitListing);
    if (!cli.ok()) {
      error = "cannot read git index: " + why + " (libgit2); reading it with git failed: " + cli.error;
      return nullptr;
    }
    std::map<std::string, TrackedInfo> parsed;
    if (!parse_ls_files(cli.out, parsed)) {
      error = "cannot read git index: " + why + " (libgit2); the output of git ls-files was not understood";
      return nullptr;
    }
    tracked.assign(std::make_move_iterator(parsed.begin()), std::make_move_iterator(parsed.end()));
  }
  // The index is in byte order already, unless case-insensitive (core.ignorecase); one entry per
  // path, the last one as a map would keep it.
  auto by_path = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (!std::is_sorted(tracked.begin(), tracked.end(), by_path))
    std::stable_sort(tracked.begin(), tracked.end(), by_path);
  for (size_t i = 0; i + 1 < tracked.size(); ++i)
    if (tracked[i].first == tracked[i + 1].first) tracked[i].first.clear();  // a later entry wins
  std::erase_if(tracked, [](const auto& t) { return t.first.empty(); });

  auto snap = std::unique_ptr<DiskSnapshot>(new DiskSnapshot());
  snap->root_ = root;
  snap->fs_ = confined;
  snap->kind_ = "git";
  git_oid head;
  if (git_reference_name_to_id(&head, g.repo, "HEAD") == 0) snap->tags_ = tags_reachable_from(g.repo, head);
  IgnoreRules excludes;
  add_builtin_excludes(excludes, options);
  LfsAttributes lfs;

  // Whether a path or one of its parent directories is excluded. Paths come in sorted order, so
  // most share the previous one's directory, whose answer is kept.
  std::string last_dir;
  bool last_dir_excluded = false;
  auto excluded = [&](const std::string& path) {
    size_t end = path.rfind('/');
    std::string_view dir =
        end == std::string::npos ? std::string_view() : std::string_view(path).substr(0, end);
    if (dir != last_dir) {
      last_dir = dir;
      last_dir_excluded = false;
      for (size_t slash = path.find('/'); slash != std::string::npos && slash <= end;
           slash = path.find('/', slash + 1))
        if (excludes.ignored(std::string_view(path).substr(0, slash), true)) {
          last_dir_excluded = true;
          break;
        }
    }
    return last_dir_excluded || excludes.ignored(path, false);
  };

  // `known`: the walk's stat of the path, when it has one that can be trusted here (not through
  // a symlink: whether a link leaves the scanned root is decided by this stat).
  auto add = [&](const std::string& path, const TrackedInfo* t, const ConfinedStat* known) {
    if (excluded(path)) return;
    ConfinedStat st = known != nullptr ? *known : confined->stat(path, Symlinks::kFollowInside);
    if (!st.ok()) {
      // Deleted in the work tree: nothing to lint. Anything else (a link out of the root, a
      // tracked file under a directory replaced by a symlink) is said.
      if (st.error != ConfinedError::kNotFound) snap->diagnostics_.push_back({{path, 0, 0}, st.message});
      return;
    }
    if (st.mode != S_IFREG) {
      if (t != nullptr && st.mode != S_IFDIR)
        snap->diagnostics_.push_back(
            {{path, 0, 0}, "not a regular file (" + file_type_name(st.mode) + "); not read"});
      return;
    }
    if (auto kind = aside_kind(path)) {
      snap->aside_.push_back({path, *kind, st.size, t != nullptr});
      return;
    }
    // The blob id names the content only when the work-tree file is the indexed one; a followed
    // symlink's blob is the link text, not the target.
    bool unchanged = t != nullptr && !st.via_symlink && t->have_stat &&
                     t->size == static_cast<uint32_t>(st.size) &&
                     t->mtime_sec == static_cast<int32_t>(st.mtime_sec) &&
                     t->mtime_nsec == static_cast<uint32_t>(st.mtime_nsec);
    FileEntry e = make_entry(path, st.size, st.mtime_sec, st.mtime_nsec, st.inode, options,
                             unchanged ? &t->blob : nullptr);
    e.tracked = t != nullptr;
    if (path == ".gitattributes" || path.ends_with("/.gitattributes")) {
      size_t slash = path.rfind('/');
      lfs.add_file(slash == std::string::npos ? "" : path.substr(0, slash),
                   read_small_file(*confined, path, kMaxIgnoreFileSize, &snap->diagnostics_));
    }
    snap->entries_.push_back(std::move(e));
  };

  walked.get();
  // Both listings are sorted: one merge pass pairs each tracked path with the walk's stat of it.
  std::string rel;
  std::vector<char> is_tracked(listed.size(), 0);
  std::set<std::string> tracked_here;  // for the walk's notes
  size_t j = 0;
  for (const auto& [path, info] : tracked) {
    if (!strip(path, rel)) continue;
    while (j < listed.size() && listed[j].first < rel) ++j;
    const ConfinedStat* known = nullptr;
    if (j < listed.size() && listed[j].first == rel) {
      is_tracked[j] = 1;
      if (!listed[j].second.via_symlink) known = &listed[j].second;
    }
    add(rel, &info, known);
    if (!walk_notes.empty()) tracked_here.insert(rel);
  }
  for (size_t i = 0; i < listed.size(); ++i)
    if (!is_tracked[i])
      add(listed[i].first, nullptr, listed[i].second.via_symlink ? nullptr : &listed[i].second);
  // Refusals met by the walk (a .gitignore that is a FIFO or leaves the root, an unreadable
  // directory); tracked paths got their own diagnostic from add().
  for (auto& d : walk_notes) {
    if (to_root(d.where.path, rel)) d.where.path = rel;
    if (!tracked_here.count(d.where.path)) snap->diagnostics_.push_back(std::move(d));
  }

  mark_lfs(*confined, lfs, snap->entries_);
  std::sort(snap->entries_.begin(), snap->entries_.end(),
            [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  sort_aside(snap->aside_);
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
