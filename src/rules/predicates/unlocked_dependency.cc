// `unlocked_dependency: {files?}`: a package a manifest declares that the lock file beside it
// (or in a parent directory: workspaces) does not pin — the lock is stale. Manifests without a
// non-empty lock are left to the pinning rules.
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <set>

#include "analysers/manifests.h"
#include "rules/evaluation.h"
#include "rules/predicate.h"
#include "rules/rule_codec.h"
#include "util/repo_path.h"

namespace mlops {
namespace {

class Unlocked final : public ProjectPredicate {
 public:
  Unlocked(size_t declared, size_t locks) : declared_(declared), locks_(locks) {}
  std::string_view predicate_name() const override { return "unlocked_dependency"; }
  void encode(RuleWriter& out) const override {
    out.u64(declared_);
    out.u64(locks_);
  }

  Eval evaluate(ProjectView& p, std::optional<size_t> only) const override {
    Eval out;
    std::map<std::string, std::set<std::string>> locked;  // directory -> pinned names
    for (size_t f : p.project_files()) {
      for (const auto& m : p.matches(f, locks_)) {
        auto& names = locked[dir_of(p.files()[f].path)];
        for (size_t a = 0, b; a < m.text.size(); a = b + 1) {
          b = m.text.find('\n', a);
          if (b == std::string::npos) b = m.text.size();
          if (b > a) names.insert(m.text.substr(a, b - a));
        }
      }
    }
    if (locked.empty()) return out;
    static const RE2 kName(R"(^\s*([A-Za-z0-9][A-Za-z0-9._-]*))");
    auto visit = [&](size_t f) {
      const auto& declared = p.matches(f, declared_);
      if (declared.empty()) return;
      std::string self;
      for (const auto& m : declared)
        if (m.kind == FactKind::ProjectName) self = m.value();
      // The lock beside the manifest; a parent directory's only when it locks this project
      // (a workspace member), not for an unrelated project nested in the tree.
      std::vector<const std::set<std::string>*> locks;
      const std::string own_dir = dir_of(p.files()[f].path);
      for (std::string dir = own_dir;; dir = dir_of(dir)) {
        auto it = locked.find(dir);
        if (it != locked.end() && (dir == own_dir || (!self.empty() && it->second.count(self))))
          locks.push_back(&it->second);
        if (dir.empty()) break;
      }
      if (locks.empty()) return;
      for (const auto& m : declared) {
        if (m.kind == FactKind::ProjectName) continue;
        std::string name;
        if (!RE2::PartialMatch(m.text, kName, &name)) continue;
        name = normalise_package_name(name);
        if (std::none_of(locks.begin(), locks.end(), [&](const auto* s) { return s->count(name) > 0; }))
          out.hits.push_back({f, m});
      }
    };
    if (only)
      visit(*only);
    else
      for (size_t f : p.project_files()) visit(f);
    out.holds = !out.hits.empty();
    return out;
  }
  std::vector<size_t> cross_file_queries() const override { return {locks_}; }
  std::vector<size_t> queries() const override { return {declared_, locks_}; }

 private:
  size_t declared_, locks_;  // DependencyDeclared (main_only) and LockContents queries
};

}  // namespace

std::shared_ptr<const ProjectPredicate> decode_unlocked_dependency(RuleReader& in, const RuleSet& set) {
  const size_t declared = in.index(set.queries.size());
  const size_t locks = in.index(set.queries.size());
  return std::make_shared<Unlocked>(declared, locks);
}

Expr parse_unlocked_dependency(PredicateParser& p, const YAML::Node& v) {
  FileQuery declared;
  declared.kind = QueryKind::DependencyDeclared;
  declared.main_only = true;  // extras and groups may be left out of a lock on purpose
  declared.globs = {"pyproject.toml", "Pipfile"};
  if (v.IsMap()) {
    p.check_options(v);
    if (v["files"]) declared.globs = p.strings(v["files"], "files");
  } else if (!v.IsNull()) {
    p.error(v, "unlocked_dependency takes a map with files, or nothing");
  }
  const size_t declared_query = p.add_query(std::move(declared), v);
  FileQuery locks;
  locks.kind = QueryKind::LockContents;
  const size_t locks_query = p.add_query(std::move(locks), v);
  return project_expr(std::make_shared<Unlocked>(declared_query, locks_query));
}

}  // namespace mlops
