// Snapshots of a real repository on disk: a plain directory walk, or a git work tree via libgit2.
#pragma once
#include <memory>

#include "repo/snapshot.h"

namespace mlops {

class ConfinedRoot;

// Shared by both disk snapshots: listing plus reading from the work tree.
class DiskSnapshot : public Snapshot {
 public:
  const std::vector<FileEntry>& files() const override { return entries_; }
  ReadResult read(const FileEntry& file, uint64_t limit) const override;
  const std::vector<Diagnostic>& diagnostics() const override { return diagnostics_; }
  std::string kind() const override { return kind_; }
  const std::vector<std::string>& tags() const override { return tags_; }
  const std::vector<AsideFile>& set_aside() const override { return aside_; }

  // Walks `root` honouring .gitignore files; never leaves the root, never follows directory
  // symlinks (so it cannot loop), never opens anything but regular files. Directories nested
  // deeper than kMaxWalkDepth are not listed (a diagnostic names them).
  static std::unique_ptr<DiskSnapshot> walk(const std::string& root, const SnapshotOptions& options);
  // Lists a git work tree: tracked files from the index plus untracked, non-ignored files.
  // Returns nullptr when `root` is not inside a git work tree. An index libgit2 cannot read
  // (split or sparse index) is listed by the git command-line tool instead; without git on PATH
  // that is an error. Untracked files libgit2 cannot list (nesting deeper than 100) are found by
  // our own walk.
  static std::unique_ptr<DiskSnapshot> from_git(const std::string& root, const SnapshotOptions& options,
                                                std::string& error);

  static constexpr int kMaxWalkDepth = 512;

 private:
  std::string root_;
  std::shared_ptr<const ConfinedRoot> fs_;  // every read of the work tree goes through it
  std::string kind_;
  std::vector<FileEntry> entries_;
  std::vector<AsideFile> aside_;
  std::vector<Diagnostic> diagnostics_;
  std::vector<std::string> tags_;
};

}  // namespace mlops
