// .gitignore and .gitattributes pattern handling.
#include "repo/ignore_rules.h"

#include <sstream>

#include "util/glob.h"

namespace mlops {
namespace {

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// `path` relative to `dir`, or nullopt-like empty when outside it.
bool relative_to(std::string_view dir, std::string_view path, std::string_view& rel) {
  if (dir.empty()) {
    rel = path;
    return true;
  }
  if (path.size() > dir.size() && path.substr(0, dir.size()) == dir && path[dir.size()] == '/') {
    rel = path.substr(dir.size() + 1);
    return true;
  }
  return false;
}

}  // namespace

void IgnoreRules::add_file(const std::string& dir, std::string_view contents) {
  size_t pos = 0;
  while (pos <= contents.size()) {
    size_t nl = contents.find('\n', pos);
    std::string_view line =
        contents.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? contents.size() + 1 : nl + 1;
    line = trim_right(line);
    if (line.empty() || line.front() == '#') continue;
    Pattern p;
    p.dir = dir;
    if (line.front() == '!') {
      p.negate = true;
      line.remove_prefix(1);
    } else if (line.front() == '\\') {
      line.remove_prefix(1);
    }
    if (!line.empty() && line.back() == '/') {
      p.dir_only = true;
      line.remove_suffix(1);
    }
    if (line.empty()) continue;
    std::string_view body = line.front() == '/' ? line.substr(1) : line;
    p.anchored = line.front() == '/' || body.find('/') != std::string_view::npos;
    p.glob = std::string(body);
    patterns_.push_back(std::move(p));
  }
}

void IgnoreRules::add_pattern(std::string_view pattern) {
  add_file("", pattern);
}

bool IgnoreRules::ignored(std::string_view path, bool is_dir) const {
  // The last matching pattern decides, as in git. Parent directories are checked by the walker
  // (an ignored directory is never entered), so only the path itself is matched here.
  bool result = false;
  for (const Pattern& p : patterns_) {
    if (p.dir_only && !is_dir) continue;
    std::string_view rel;
    if (!relative_to(p.dir, path, rel)) continue;
    bool m = p.anchored ? glob_match_full(p.glob, rel) : glob_match(p.glob, rel);
    if (m) result = !p.negate;
  }
  return result;
}

void LfsAttributes::add_file(const std::string& dir, std::string_view contents) {
  std::istringstream in{std::string(contents)};
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string glob, attr;
    if (!(words >> glob) || glob[0] == '#') continue;
    bool seen = false, lfs = false;
    while (words >> attr) {
      if (attr == "filter=lfs")
        seen = lfs = true;
      else if (attr == "-filter" || attr == "!filter") {
        seen = true;
        lfs = false;
      }
    }
    if (!seen) continue;
    patterns_.emplace_back(dir, glob.front() == '/' ? glob.substr(1) : glob);
    lfs_.push_back(lfs);
  }
}

bool LfsAttributes::tracked(std::string_view path) const {
  bool result = false;
  for (size_t i = 0; i < patterns_.size(); ++i) {
    std::string_view rel;
    if (!relative_to(patterns_[i].first, path, rel)) continue;
    if (glob_match(patterns_[i].second, rel)) result = lfs_[i];
  }
  return result;
}

bool is_lfs_pointer(std::string_view head) {
  static constexpr std::string_view kPrefix = "version https://git-lfs.github.com/spec/v1";
  return head.size() < 1024 && head.substr(0, kPrefix.size()) == kPrefix;
}

}  // namespace mlops
