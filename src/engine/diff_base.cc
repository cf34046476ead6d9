// Base trees for --diff-base and pre-commit, and the comparison of two results.
#include "engine/diff_base.h"

#include <git2.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "repo/git_tree_snapshot.h"
#include "repo/ignore_rules.h"
#include "repo/libgit2_scope.h"

namespace fs = std::filesystem;

namespace mlops {
namespace {

std::string git_message(const std::string& what) {
  const git_error* e = git_error_last();
  return what + ": " + (e && e->message ? e->message : "unknown error");
}

// A commit's files beneath the scanned directory, renamed relative to it. Cache keys get the
// work-tree snapshot's "b" + blob id form, so both scans share cached facts.
class ScopedTree : public Snapshot {
 public:
  ScopedTree(std::unique_ptr<Snapshot> tree, const std::string& prefix, const SnapshotOptions& options)
      : tree_(std::move(tree)) {
    IgnoreRules excludes;
    for (const auto& g : options.exclude) excludes.add_pattern(g);
    auto excluded = [&](const std::string& path) {
      for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
        if (excludes.ignored(path.substr(0, slash), true)) return true;
      return excludes.ignored(path, false);
    };
    for (const auto& e : tree_->files()) {
      if (!e.path.starts_with(prefix)) continue;
      FileEntry mine = e;
      mine.path = e.path.substr(prefix.size());
      if (mine.path.empty() || excluded(mine.path)) continue;
      mine.cache_key = "b" + e.cache_key;
      entries_.push_back(std::move(mine));
    }
    for (const auto& a : tree_->set_aside()) {
      if (!a.path.starts_with(prefix)) continue;
      AsideFile mine = a;
      mine.path = a.path.substr(prefix.size());
      if (!excluded(mine.path)) aside_.push_back(std::move(mine));
    }
  }
  const std::vector<FileEntry>& files() const override { return entries_; }
  ReadResult read(const FileEntry& file, uint64_t limit) const override {
    FileEntry original = file;
    original.cache_key = file.cache_key.substr(1);
    return tree_->read(original, limit);
  }
  const std::vector<Diagnostic>& diagnostics() const override { return tree_->diagnostics(); }
  std::string kind() const override { return tree_->kind(); }
  const std::vector<std::string>& tags() const override { return tree_->tags(); }
  const std::vector<AsideFile>& set_aside() const override { return aside_; }

 private:
  std::unique_ptr<Snapshot> tree_;
  std::vector<FileEntry> entries_;
  std::vector<AsideFile> aside_;
};

struct Repository {
  LibGit2Scope libgit2;
  git_repository* repo = nullptr;
  ~Repository() { git_repository_free(repo); }
};

// Renames between the base commit's tree and the index plus work tree, as git detects them
// (content similarity). Best effort: a diff that cannot be made means no renames.
Renames renames_since(git_repository* repo, const git_oid& base) {
  Renames out;
  git_commit* commit = nullptr;
  git_tree* tree = nullptr;
  git_diff* diff = nullptr;
  // The init functions rather than the INIT macros, whose partial braces clang warns about.
  git_diff_options options{};
  git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
  git_diff_find_options find{};
  git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
  find.flags = GIT_DIFF_FIND_RENAMES;
  if (git_commit_lookup(&commit, repo, &base) == 0 && git_commit_tree(&tree, commit) == 0 &&
      git_diff_tree_to_workdir_with_index(&diff, repo, tree, &options) == 0 &&
      git_diff_find_similar(diff, &find) == 0) {
    for (size_t i = 0, n = git_diff_num_deltas(diff); i < n; ++i) {
      const git_diff_delta* d = git_diff_get_delta(diff, i);
      if (d && d->status == GIT_DELTA_RENAMED) out[d->old_file.path] = d->new_file.path;
    }
  }
  git_diff_free(diff);
  git_tree_free(tree);
  git_commit_free(commit);
  return out;
}

}  // namespace

std::optional<std::string> head_commit(const std::string& root) {
  if (!may_be_in_git(root)) return std::nullopt;
  Repository r;
  if (git_repository_open_ext(&r.repo, root.c_str(), 0, nullptr) != 0) return std::nullopt;
  git_oid head;
  if (git_reference_name_to_id(&head, r.repo, "HEAD") != 0) return std::nullopt;
  return std::string(git_oid_tostr_s(&head));
}

std::string tag_refs(const std::string& root) {
  if (!may_be_in_git(root)) return {};
  Repository r;
  if (git_repository_open_ext(&r.repo, root.c_str(), 0, nullptr) != 0) return {};
  std::vector<std::string> lines;
  git_tag_foreach(
      r.repo,
      [](const char* name, git_oid* oid, void* payload) {
        static_cast<std::vector<std::string>*>(payload)->push_back(std::string(name) + " " +
                                                                   git_oid_tostr_s(oid));
        return 0;
      },
      &lines);
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) (out += l) += '\n';
  return out;
}

std::optional<std::string> work_tree_prefix(const std::string& root) {
  if (!may_be_in_git(root)) return std::nullopt;  // spares initialising libgit2
  Repository r;
  if (git_repository_open_ext(&r.repo, root.c_str(), 0, nullptr) != 0) return std::nullopt;
  const char* workdir = git_repository_workdir(r.repo);
  if (workdir == nullptr) return std::nullopt;
  std::error_code ec;
  fs::path rel = fs::canonical(root, ec).lexically_relative(fs::canonical(workdir, ec));
  if (ec || rel.empty() || *rel.begin() == "..") return std::nullopt;
  std::string prefix = rel.generic_string();
  if (prefix == ".") return std::string();
  return prefix + "/";
}

std::optional<BaseTree> open_base_tree(const std::string& root, const std::string& ref, bool merge_base,
                                       const SnapshotOptions& options, std::string& error) {
  std::optional<std::string> prefix = work_tree_prefix(root);
  if (!prefix) {
    error = root + " is not inside a git work tree";
    return std::nullopt;
  }
  std::string commit;
  Renames renames;
  {
    Repository r;
    if (git_repository_open_ext(&r.repo, root.c_str(), 0, nullptr) != 0) {
      error = git_message("cannot open the repository");
      return std::nullopt;
    }
    git_object* target = nullptr;
    if (git_revparse_single(&target, r.repo, (ref + "^{commit}").c_str()) != 0) {
      error = git_message("cannot resolve " + ref);
      return std::nullopt;
    }
    git_oid base = *git_object_id(target);
    git_object_free(target);
    if (merge_base) {
      git_oid head, mb;
      if (git_reference_name_to_id(&head, r.repo, "HEAD") != 0) {
        error = git_message("cannot resolve HEAD");
        return std::nullopt;
      }
      if (git_merge_base(&mb, r.repo, &base, &head) != 0) {
        error = git_message("no merge base of " + ref + " and HEAD");
        return std::nullopt;
      }
      base = mb;
    }
    commit = git_oid_tostr_s(&base);
    // Pre-commit keeps every file finding: only a --diff-base comparison needs the renames.
    if (merge_base) renames = renames_since(r.repo, base);
  }
  SnapshotOptions tree_options = options;
  tree_options.exclude.clear();  // config excludes are relative to the scanned directory: applied below
  auto tree = open_commit_snapshot(root, commit, tree_options, error);
  if (!tree) return std::nullopt;
  return BaseTree{std::make_unique<ScopedTree>(std::move(tree), *prefix, options), commit,
                  std::move(renames)};
}

Preexisting drop_preexisting(CheckResult& now, const CheckResult& base, bool file_level_too,
                             const Renames& renames) {
  std::map<std::tuple<std::string, std::string, std::string>, size_t> at_base;  // rule, path, subject
  std::set<std::pair<std::string, std::string>> failing_at_base;                // rule, project
  for (const auto& f : base.findings) {
    if (f.suppressed) continue;
    if (f.project_level) {
      failing_at_base.insert({f.rule_id, f.project});
      continue;
    }
    auto moved = renames.find(f.where.path);
    ++at_base[{f.rule_id, moved == renames.end() ? f.where.path : moved->second, f.subject}];
  }
  Preexisting dropped;
  std::erase_if(now.findings, [&](const Finding& f) {
    if (f.project_level) {
      bool old = failing_at_base.count({f.rule_id, f.project}) > 0;
      dropped.project_level += old;
      return old;
    }
    if (!file_level_too) return false;
    auto it = at_base.find({f.rule_id, f.where.path, f.subject});
    if (it == at_base.end() || it->second == 0) return false;
    --it->second;
    ++dropped.file_level;
    return true;
  });
  return dropped;
}

void rebase_paths(CheckResult& result, const std::string& prefix) {
  if (prefix.empty()) return;
  auto rebase = [&](Location& l) {
    // Tag evidence ("refs/tags/...") is not a file; empty paths are repository-wide.
    if (l.path.empty() || l.path.starts_with("refs/tags/")) return;
    l.path = l.path == "." ? prefix.substr(0, prefix.size() - 1) : prefix + l.path;
  };
  auto rebase_root = [&](std::string& root) {
    root = root == "." ? prefix.substr(0, prefix.size() - 1) : prefix + root;
  };
  for (auto& f : result.findings) {
    // A project finding without an anchor file points at its project's directory.
    if (f.where.path.empty())
      f.where.path = prefix.substr(0, prefix.size() - 1);
    else
      rebase(f.where);
    rebase_root(f.project);
    if (f.fix)
      for (auto& e : f.fix->edits) e.path = prefix + e.path;
  }
  for (auto& d : result.diagnostics) rebase(d.where);
  for (auto& p : result.projects) {
    rebase_root(p.root);
    for (auto& r : p.results)
      for (auto& e : r.evidence) rebase(e);
    for (auto& ps : p.practices)
      for (auto& e : ps.evidence) rebase(e);
  }
  std::map<std::string, std::vector<Match>> comments;
  for (auto& [path, matches] : result.suppression_comments) comments[prefix + path] = std::move(matches);
  result.suppression_comments = std::move(comments);
}

}  // namespace mlops
