// An in-memory repository for tests: files given as path -> contents.
#pragma once
#include <map>

#include "repo/snapshot.h"

namespace mlops {

class MemorySnapshot : public Snapshot {
 public:
  explicit MemorySnapshot(std::map<std::string, std::string> files, const SnapshotOptions& options = {});
  const std::vector<FileEntry>& files() const override { return entries_; }
  ReadResult read(const FileEntry& file, uint64_t limit) const override;
  const std::vector<Diagnostic>& diagnostics() const override { return diagnostics_; }
  std::string kind() const override { return "memory"; }
  const std::vector<std::string>& tags() const override { return tags_; }
  const std::vector<AsideFile>& set_aside() const override { return aside_; }
  // Tests of tag rules: the tags the repository would have (kept sorted, as git lists them).
  void set_tags(std::vector<std::string> tags);

 private:
  std::map<std::string, std::string> contents_;
  std::vector<FileEntry> entries_;
  std::vector<AsideFile> aside_;  // paths aside_kind() names, as the disk snapshots keep them
  std::vector<Diagnostic> diagnostics_;
  std::vector<std::string> tags_;
};

}  // namespace mlops
