// `unpinned_dependency: {name?, files?}`: a declared requirement is not pinned to one version and
// no constraints file pins it (pip applies every `-c` of an install to all of it).
#include <yaml-cpp/yaml.h>

#include "analysers/manifests.h"
#include "analysers/requirement_graph.h"
#include "rules/evaluation.h"
#include "rules/predicate.h"
#include "rules/predicates/pinned_dependency.h"
#include "rules/rule_codec.h"

namespace mlops {
namespace {

// One graph per project evaluation, shared by every constrained dependency predicate.
constexpr char kGraphKey = 0;

class Constrained final : public ProjectPredicate {
 public:
  Constrained(size_t query, size_t includes) : query_(query), includes_(includes) {}

  Eval evaluate(ProjectView& p, std::optional<size_t> only) const override {
    Eval out;
    auto& graph = p.memo<RequirementGraph>(&kGraphKey, [&] {
      return RequirementGraph(
          {p.files().size(),
           [&p, q = includes_](size_t f) -> const std::vector<Match>& { return p.matches(f, q); },
           [&p](size_t f) -> const std::string& { return p.files()[f].path; },
           [&p](std::string_view path) { return p.find(path); }});
    });
    auto visit = [&](size_t f) {
      const auto& declared = p.matches(f, query_);
      if (declared.empty()) return;
      const std::set<std::string>& pins = graph.constraint_pins(f);
      for (const auto& m : declared)
        if (pins.empty() || !pins.count(requirement_name(m.text))) out.hits.push_back({f, m});
    };
    if (only)
      visit(*only);
    else
      for (size_t f : p.project_files()) visit(f);
    out.holds = !out.hits.empty();
    return out;
  }
  std::vector<size_t> cross_file_queries() const override { return {includes_}; }
  std::vector<size_t> queries() const override { return {query_, includes_}; }
  std::string_view predicate_name() const override { return "unpinned_dependency"; }
  void encode(RuleWriter& out) const override {
    out.u64(query_);
    out.u64(includes_);
  }

 private:
  size_t query_, includes_;  // the dependency query, the RequirementIncludes query
};

}  // namespace

Expr parse_constrained_dependency(PredicateParser& p, const YAML::Node& v, QueryKind kind, const char* name) {
  FileQuery q;
  q.kind = kind;
  if (v.IsMap()) {
    p.check_options(v);
    p.files(v, q);
    if (v["name"]) q.names = p.strings(v["name"], "name");
  } else if (!v.IsNull()) {
    q.names = p.strings(v, name);
  }
  for (auto& n : q.names) n = normalise_package_name(n);
  const size_t query = p.add_query(std::move(q), v);
  FileQuery includes;
  includes.kind = QueryKind::RequirementIncludes;
  const size_t includes_query = p.add_query(std::move(includes), v);
  return project_expr(std::make_shared<Constrained>(query, includes_query));
}

std::shared_ptr<const ProjectPredicate> decode_unpinned_dependency(RuleReader& in, const RuleSet& set) {
  const size_t query = in.index(set.queries.size());
  const size_t includes = in.index(set.queries.size());
  return std::make_shared<Constrained>(query, includes);
}

Expr parse_unpinned_dependency(PredicateParser& p, const YAML::Node& v) {
  return parse_constrained_dependency(p, v, QueryKind::DependencyUnpinned, "unpinned_dependency");
}

}  // namespace mlops
