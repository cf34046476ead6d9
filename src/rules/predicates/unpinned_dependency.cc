// `unpinned_dependency: {name?, files?}`: a declared requirement is not pinned to one version and
// no constraints file pins it.
#include <yaml-cpp/yaml.h>

#include "analysers/manifests.h"
#include "rules/predicate.h"
#include "rules/predicates/pinned_dependency.h"

namespace mlops {

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
  // A requirement a constraints file (`-c`) pins is pinned: the engine applies them.
  Expr e;
  e.op = Expr::Op::Unpinned;
  e.query = p.add_query(std::move(q), v);
  FileQuery includes;
  includes.kind = QueryKind::RequirementIncludes;
  e.build_query = p.add_query(std::move(includes), v);
  return e;
}

Expr parse_unpinned_dependency(PredicateParser& p, const YAML::Node& v) {
  return parse_constrained_dependency(p, v, QueryKind::DependencyUnpinned, "unpinned_dependency");
}

}  // namespace mlops
