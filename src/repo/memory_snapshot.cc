// In-memory repository used by tests.
#include "repo/memory_snapshot.h"

#include <algorithm>

#include "repo/ignore_rules.h"

namespace mlops {

MemorySnapshot::MemorySnapshot(std::map<std::string, std::string> files, const SnapshotOptions& options)
    : contents_(std::move(files)) {
  LfsAttributes lfs;
  IgnoreRules excludes;
  for (const auto& g : options.exclude) excludes.add_pattern(g);
  for (const auto& [path, bytes] : contents_) {
    if (path == ".gitattributes" || path.ends_with("/.gitattributes")) {
      size_t slash = path.rfind('/');
      lfs.add_file(slash == std::string::npos ? "" : path.substr(0, slash), bytes);
    }
  }
  for (const auto& [path, bytes] : contents_) {
    if (excludes.ignored(path, false)) continue;
    if (auto kind = aside_kind(path)) {
      aside_.push_back({path, *kind, bytes.size(), true});
      continue;
    }
    FileEntry e;
    e.path = path;
    e.size = bytes.size();
    e.tracked = true;
    e.lfs_tracked = lfs.tracked(path);
    e.lfs_pointer = e.lfs_tracked && is_lfs_pointer(bytes);
    e.oversized = bytes.size() > options.max_file_size;
    entries_.push_back(std::move(e));
  }
}

ReadResult MemorySnapshot::read(const FileEntry& file, uint64_t limit) const {
  auto it = contents_.find(file.path);
  if (it == contents_.end()) return {{}, "no such file"};
  return {it->second.substr(0, limit), std::nullopt};
}

void MemorySnapshot::set_tags(std::vector<std::string> tags) {
  std::sort(tags.begin(), tags.end());
  tags_ = std::move(tags);
}

}  // namespace mlops
