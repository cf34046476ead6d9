// .gitignore semantics for the directory walk (and git's untracked files): patterns, negation,
// directory-only patterns, anchoring, per-directory files evaluated deepest-last.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace mlops {

class IgnoreRules {
 public:
  // Adds the patterns of a .gitignore found in `dir` ("" for the root).
  void add_file(const std::string& dir, std::string_view contents);
  // Adds a single pattern relative to the root (config excludes, built-in excludes).
  void add_pattern(std::string_view pattern);
  // True when `path` (relative, '/'-separated) is ignored. `is_dir` for directories.
  bool ignored(std::string_view path, bool is_dir) const;

 private:
  struct Pattern {
    std::string dir;   // directory of the .gitignore, "" for root
    std::string glob;  // the pattern without '!', trailing '/' and leading '/'
    bool negate = false;
    bool dir_only = false;
    bool anchored = false;  // contained a '/' (other than trailing): relative to `dir`
  };
  std::vector<Pattern> patterns_;
};

// Git LFS patterns from .gitattributes ("*.bin filter=lfs diff=lfs merge=lfs -text").
class LfsAttributes {
 public:
  void add_file(const std::string& dir, std::string_view contents);
  bool tracked(std::string_view path) const;

 private:
  std::vector<std::pair<std::string, std::string>> patterns_;  // (dir, glob)
  std::vector<bool> lfs_;                                      // false for an explicit -filter / !filter
};

// True when the bytes are a Git LFS pointer file.
bool is_lfs_pointer(std::string_view head);

}  // namespace mlops
