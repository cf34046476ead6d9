// Commit-tree snapshots and first-parent history through libgit2.
#include "repo/git_tree_snapshot.h"

#include <git2.h>

#include <algorithm>
#include <ctime>
#include <mutex>

#include "repo/git_tags.h"
#include "repo/ignore_rules.h"
#include "repo/libgit2_scope.h"
#include "util/glob.h"
#include "util/limits.h"

namespace mlops {
namespace {

std::string last_error(const char* what) {
  const git_error* e = git_error_last();
  return std::string(what) + ": " + (e && e->message ? e->message : "unknown error");
}

std::string iso_date(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

struct Repo {
  LibGit2Scope libgit2;
  git_repository* repo = nullptr;
  ~Repo() { git_repository_free(repo); }
};

// Directories no ML project wants linted (as in the work-tree snapshots; .ipynb_checkpoints/ is
// listed, set aside).
constexpr const char* kExcludedDirs[] = {".venv/", "venv/", "node_modules/", "__pycache__/",
                                         ".tox/",  ".nox/", ".dvc/cache/",   ".dvc/tmp/"};

class CommitSnapshot : public Snapshot {
 public:
  ~CommitSnapshot() override { git_repository_free(repo_); }
  const std::vector<FileEntry>& files() const override { return entries_; }
  const std::vector<Diagnostic>& diagnostics() const override { return diagnostics_; }
  std::string kind() const override { return "git-tree"; }
  const std::vector<std::string>& tags() const override { return tags_; }
  const std::vector<AsideFile>& set_aside() const override { return aside_; }

  ReadResult read(const FileEntry& file, uint64_t limit) const override {
    git_oid oid;
    if (git_oid_fromstr(&oid, file.cache_key.c_str()) != 0) return {{}, "bad blob id"};
    // libgit2 objects are not thread-safe to share; lookups on one repository are serialised.
    std::lock_guard lock(mu_);
    // A blob lookup inflates the whole object: a small tree entry can name a huge blob (a 1.5 MB
    // object inflating to 1.5 GB). The header says the size without inflating it.
    git_odb* odb = nullptr;
    size_t header_size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    int header =
        git_repository_odb(&odb, repo_) == 0 ? git_odb_read_header(&header_size, &type, odb, &oid) : -1;
    git_odb_free(odb);
    if (header == 0 && header_size > limit && header_size > kMaxBlobPrefixInflate)
      return {{}, "oversized: " + std::to_string(header_size) + " bytes"};
    git_blob* blob = nullptr;
    if (git_blob_lookup(&blob, repo_, &oid) != 0) return {{}, last_error("cannot read blob")};
    size_t size = static_cast<size_t>(git_blob_rawsize(blob));
    std::string bytes(static_cast<const char*>(git_blob_rawcontent(blob)), std::min<uint64_t>(size, limit));
    git_blob_free(blob);
    return {std::move(bytes), std::nullopt};
  }

  static std::unique_ptr<CommitSnapshot> open(const std::string& path, const std::string& commit,
                                              const SnapshotOptions& options, std::string& error,
                                              BlobSizes* sizes, const std::vector<std::string>* tags) {
    auto snap = std::unique_ptr<CommitSnapshot>(new CommitSnapshot());
    if (git_repository_open_ext(&snap->repo_, path.c_str(), 0, nullptr) != 0) {
      error = last_error("not a git repository");
      return nullptr;
    }
    git_object* obj = nullptr;
    if (git_revparse_single(&obj, snap->repo_, (commit + "^{tree}").c_str()) != 0) {
      error = last_error(("cannot resolve " + commit).c_str());
      return nullptr;
    }
    git_tree* tree = reinterpret_cast<git_tree*>(obj);
    git_object* commit_obj = nullptr;
    if (tags) {
      snap->tags_ = *tags;
    } else if (git_revparse_single(&commit_obj, snap->repo_, (commit + "^{commit}").c_str()) == 0) {
      snap->tags_ = tags_reachable_from(snap->repo_, *git_object_id(commit_obj));
      git_object_free(commit_obj);
    }
    git_odb* odb = nullptr;
    git_repository_odb(&odb, snap->repo_);
    struct Walk {
      CommitSnapshot* snap;
      git_odb* odb;
      const SnapshotOptions* options;
      BlobSizes* sizes;
      std::vector<std::pair<std::string, std::string>> attributes;  // dir, .gitattributes blob id
    } walk{snap.get(), odb, &options, sizes, {}};
    git_tree_walk(
        tree, GIT_TREEWALK_PRE,
        [](const char* root, const git_tree_entry* entry, void* payload) -> int {
          auto* w = static_cast<Walk*>(payload);
          std::string path = std::string(root) + git_tree_entry_name(entry);
          if (git_tree_entry_type(entry) == GIT_OBJECT_TREE) {
            for (const char* x : kExcludedDirs)
              if ((path + "/").ends_with(x) || path + "/" == x) return 1;  // skip the subtree
            return 0;
          }
          if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) return 0;
          if (git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK) return 0;  // symlinks are not followed
          for (const auto& g : w->options->exclude)
            if (glob_match(g, path)) return 0;
          std::string id = git_oid_tostr_s(git_tree_entry_id(entry));
          size_t size = 0;
          auto known = w->sizes ? w->sizes->find(id) : BlobSizes::iterator();
          if (w->sizes && known != w->sizes->end()) {
            size = known->second;
          } else {
            git_object_t type;
            git_odb_read_header(&size, &type, w->odb, git_tree_entry_id(entry));
            if (w->sizes) w->sizes->emplace(id, size);
          }
          if (auto kind = aside_kind(path)) {
            w->snap->aside_.push_back({path, *kind, size, true});
            return 0;
          }
          FileEntry e;
          e.path = path;
          e.size = size;
          e.cache_key = std::move(id);
          e.tracked = true;
          e.oversized = size > w->options->max_file_size;
          if (std::string_view(git_tree_entry_name(entry)) == ".gitattributes")
            w->attributes.push_back({root, e.cache_key});
          w->snap->entries_.push_back(std::move(e));
          return 0;
        },
        &walk);
    git_odb_free(odb);
    git_tree_free(tree);
    LfsAttributes lfs;
    for (const auto& [dir, blob] : walk.attributes) {
      FileEntry f;
      f.cache_key = blob;
      f.size = kMaxGitattributesSize + 1;
      ReadResult r = snap->read(f, kMaxGitattributesSize + 1);  // one byte more tells it is too large
      std::string d = dir;
      if (!d.empty() && d.back() == '/') d.pop_back();
      const std::string where = d.empty() ? ".gitattributes" : d + "/.gitattributes";
      if (!r.error && r.bytes.size() <= kMaxGitattributesSize) {
        lfs.add_file(d, r.bytes);
      } else if (r.error && !r.error->starts_with("oversized")) {
        snap->diagnostics_.push_back({{where, 0, 0}, "cannot read .gitattributes: " + *r.error});
      } else {
        // Not applied at all: half a file's patterns would mark files as LFS-tracked or not at random.
        snap->diagnostics_.push_back({{where, 0, 0},
                                      "larger than " + std::to_string(kMaxGitattributesSize) +
                                          " bytes; its attributes are not applied"});
      }
    }
    for (auto& e : snap->entries_) {
      e.lfs_tracked = lfs.tracked(e.path);
      if (e.lfs_tracked && e.size < 1024) {
        ReadResult r = snap->read(e, 200);
        e.lfs_pointer = !r.error && is_lfs_pointer(r.bytes);
      }
    }
    std::sort(snap->entries_.begin(), snap->entries_.end(),
              [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
    std::sort(snap->aside_.begin(), snap->aside_.end(),
              [](const AsideFile& a, const AsideFile& b) { return a.path < b.path; });
    return snap;
  }

 private:
  CommitSnapshot() = default;
  LibGit2Scope libgit2_;  // first member: outlives the repository freed in the destructor
  git_repository* repo_ = nullptr;
  std::vector<FileEntry> entries_;
  std::vector<AsideFile> aside_;
  std::vector<Diagnostic> diagnostics_;
  std::vector<std::string> tags_;
  mutable std::mutex mu_;
};

}  // namespace

std::vector<CommitInfo> first_parent_history(const std::string& repo_path, size_t limit, int64_t since,
                                             std::string& error) {
  std::vector<CommitInfo> out;
  Repo r;
  if (git_repository_open_ext(&r.repo, repo_path.c_str(), 0, nullptr) != 0) {
    error = last_error("not a git repository");
    return out;
  }
  git_revwalk* walk = nullptr;
  if (git_revwalk_new(&walk, r.repo) != 0 || git_revwalk_push_head(walk) != 0) {
    error = last_error("cannot walk history");
    git_revwalk_free(walk);
    return out;
  }
  git_revwalk_simplify_first_parent(walk);
  git_oid oid;
  std::vector<git_oid> chain;
  while ((limit == 0 || out.size() < limit) && git_revwalk_next(&oid, walk) == 0) {
    git_commit* c = nullptr;
    if (git_commit_lookup(&c, r.repo, &oid) != 0) break;
    int64_t t = git_commit_time(c);
    if (since > 0 && t < since) {
      git_commit_free(c);
      break;
    }
    const char* summary = git_commit_summary(c);
    out.push_back({git_oid_tostr_s(&oid), iso_date(t), t, summary ? summary : "", {}});
    chain.push_back(oid);
    git_commit_free(c);
  }
  git_revwalk_free(walk);
  auto tags = tags_along_first_parents(r.repo, chain);
  for (size_t i = 0; i < out.size(); ++i) out[i].tags = std::move(tags[i]);
  return out;
}

std::unique_ptr<Snapshot> open_commit_snapshot(const std::string& repo_path, const std::string& commit,
                                               const SnapshotOptions& options, std::string& error,
                                               BlobSizes* sizes, const std::vector<std::string>* tags) {
  return CommitSnapshot::open(repo_path, commit, options, error, sizes, tags);
}

}  // namespace mlops
