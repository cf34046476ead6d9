// load_rules: the built-in rules, read back from their compiled form, plus a repository's rule
// directories (read through the confined layer).
#include <sys/stat.h>

#include <filesystem>

#include "rules/builtin/builtin_rules.h"
#include "rules/rule_loader.h"
#include "util/confined_fs.h"
#include "util/limits.h"

namespace mlops {

RuleSet load_rules(const std::vector<std::string>& extra_dirs, std::vector<Diagnostic>& errors) {
  RuleLoader loader;
  loader.add_compiled(builtin_rules());
  // Rule directories named by the repository's config lie inside the untrusted repository: their
  // files are listed and read through the confined layer, and a symlinked or special rule file is
  // refused (a symlink could lead anywhere; a FIFO would block). All together they are capped:
  // each rule costs compiled queries and per-file work, so a repository cannot make a scan
  // arbitrarily heavy.
  size_t repository_files = 0;
  for (const auto& dir : extra_dirs) {
    if (repository_files > kMaxRepositoryRules) break;  // already reported
    ConfinedRoot confined(dir);
    std::string error;
    auto entries = confined.ok() ? confined.list("", error) : std::nullopt;
    if (!entries) {
      errors.push_back(
          {{dir, 0, 0}, "cannot read rule directory: " + (confined.ok() ? error : confined.error())});
      continue;
    }
    for (const auto& e : *entries) {  // sorted by name
      if (!e.name.ends_with(".yaml") && !e.name.ends_with(".yml")) continue;
      std::string path = (std::filesystem::path(dir) / e.name).string();
      if (e.mode == S_IFDIR) continue;
      if (++repository_files > kMaxRepositoryRules) {
        errors.push_back({{dir, 0, 0},
                          "more than " + std::to_string(kMaxRepositoryRules) +
                              " rule files in the repository's rule directories; the rest are not loaded"});
        break;
      }
      if (e.mode == S_IFLNK) {
        errors.push_back({{path, 0, 0}, "rule file is a symlink; not loaded"});
        continue;
      }
      ConfinedRead r = confined.read(e.name, kMaxRuleFileSize, Symlinks::kRefuse);
      if (!r.ok()) {
        errors.push_back(
            {{path, 0, 0}, r.error == ConfinedError::kTooLarge ? "rule file " + r.message : r.message});
        continue;
      }
      loader.add({path, std::move(r.bytes)});
    }
  }
  RuleSet set = loader.finish();
  errors.insert(errors.end(), loader.errors().begin(), loader.errors().end());
  return set;
}

}  // namespace mlops
