// FixContext and the lookups over the fixer registry (fix/fixers/registry.cc).
#include "fix/fixer.h"

#include <algorithm>

namespace mlops {

FixContext::FixContext(const Snapshot& snapshot, const CheckResult& result, const RuleSet& rules)
    : snapshot_(snapshot), result_(result), rules_(rules) {}

const std::string* FixContext::read(const std::string& path) const {
  auto it = cache_.find(path);
  if (it == cache_.end()) {
    std::optional<std::string> bytes;
    const auto& files = snapshot_.files();
    auto f = std::lower_bound(files.begin(), files.end(), path,
                              [](const FileEntry& e, const std::string& p) { return e.path < p; });
    if (f != files.end() && f->path == path && !f->oversized && !f->lfs_pointer) {
      ReadResult r = snapshot_.read(*f, f->size + 1);
      if (!r.error && r.bytes.size() == f->size) bytes = std::move(r.bytes);
    }
    it = cache_.emplace(path, std::move(bytes)).first;
  }
  return it->second ? &*it->second : nullptr;
}

std::vector<std::string> FixContext::project_files(const std::string& project) const {
  // The listing is sorted by path: the project's files are one range (a scan of the whole list per
  // finding would make a monorepo's fixes quadratic).
  std::vector<std::string> out;
  std::string prefix = project == "." ? "" : project + "/";
  const auto& files = snapshot_.files();
  auto it = std::lower_bound(files.begin(), files.end(), prefix,
                             [](const FileEntry& e, const std::string& p) { return e.path < p; });
  for (; it != files.end() && it->path.starts_with(prefix); ++it) out.push_back(it->path);
  return out;
}

const FixerInfo* find_fixer(std::string_view name) {
  const auto& all = all_fixers();
  auto it = std::lower_bound(all.begin(), all.end(), name,
                             [](const FixerInfo& f, std::string_view n) { return f.name < n; });
  return it != all.end() && it->name == name ? &*it : nullptr;
}

std::vector<Diagnostic> check_rule_fixers(const RuleSet& rules) {
  std::vector<Diagnostic> out;
  for (const auto& r : rules.rules)
    if (!r.fixer.empty() && !find_fixer(r.fixer))
      out.push_back({{r.source, 0, 0}, "rule " + r.id + " names unknown fixer '" + r.fixer + "'"});
  return out;
}

}  // namespace mlops
