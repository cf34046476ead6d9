// `ci_runs: pattern`: a CI job runs a matching command, directly or through make / tox /
// pre-commit / nox / task runners / scripts (analysers/ci_resolution.h).
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include "analysers/ci_resolution.h"
#include "rules/evaluation.h"
#include "rules/predicate.h"
#include "rules/rule_codec.h"

namespace mlops {
namespace {

// The project's CI and build-command facts, as the resolution reads them.
class ViewCiFacts final : public CiFacts {
 public:
  ViewCiFacts(const ProjectView& p, size_t ci, size_t build) : p_(p), ci_(ci), build_(build) {}
  const std::vector<size_t>& files() const override { return p_.project_files(); }
  const std::string& path(size_t f) const override { return p_.files()[f].path; }
  const std::vector<Match>& ci_commands(size_t f) const override { return p_.matches(f, ci_); }
  const std::vector<Match>& build_commands(size_t f) const override { return p_.matches(f, build_); }
  std::optional<size_t> project_file(const std::string& path) const override { return p_.project_file(path); }

 private:
  const ProjectView& p_;
  size_t ci_, build_;
};

class CiRuns final : public ProjectPredicate {
 public:
  CiRuns(Regex pattern, size_t ci, size_t build) : pattern_(std::move(pattern)), ci_(ci), build_(build) {}
  std::string_view predicate_name() const override { return "ci_runs"; }
  void encode(RuleWriter& out) const override {
    out.regex(pattern_);
    out.u64(ci_);
    out.u64(build_);
  }

  Eval evaluate(ProjectView& p, std::optional<size_t> only) const override {
    Eval out;
    for (auto& run : ci_runs_matching(ViewCiFacts(p, ci_, build_), *pattern_, only))
      out.hits.push_back({run.file, std::move(run.match)});
    out.holds = !out.hits.empty();
    return out;
  }
  std::vector<size_t> queries() const override { return {ci_, build_}; }

 private:
  Regex pattern_;
  size_t ci_, build_;  // the CiCommands and BuildCommands queries
};

}  // namespace

std::shared_ptr<const ProjectPredicate> decode_ci_runs(RuleReader& in, const RuleSet& set) {
  Regex pattern = in.regex();
  const size_t ci = in.index(set.queries.size());
  const size_t build = in.index(set.queries.size());
  if (!pattern) return nullptr;
  return std::make_shared<CiRuns>(std::move(pattern), ci, build);
}

Expr parse_ci_runs(PredicateParser& p, const YAML::Node& v) {
  std::string pattern;
  if (v.IsMap()) {
    p.check_options(v);
    if (auto s = v["pattern"] ? p.scalar(v["pattern"], "pattern") : std::nullopt) pattern = *s;
  } else if (auto s = p.scalar(v, "ci_runs")) {
    pattern = *s;
  }
  if (pattern.empty()) {
    p.error(v, "ci_runs needs a pattern");
    return {};
  }
  auto regex = p.regex(v, pattern, pattern);
  FileQuery ci;
  ci.kind = QueryKind::CiCommands;
  const size_t ci_query = p.add_query(std::move(ci), v);
  FileQuery build;
  build.kind = QueryKind::BuildCommands;
  const size_t build_query = p.add_query(std::move(build), v);
  return project_expr(std::make_shared<CiRuns>(std::move(regex), ci_query, build_query));
}

}  // namespace mlops
