// `dependency: names` or `{name, files, versioned}`: a package is declared in a dependency
// manifest; with `versioned: true`, one that names a version (any package when no name is given).
#include <yaml-cpp/yaml.h>

#include "analysers/manifests.h"
#include "rules/predicate.h"

namespace mlops {

Expr parse_dependency(PredicateParser& p, const YAML::Node& v) {
  FileQuery q;
  q.kind = QueryKind::DependencyDeclared;
  if (v.IsMap()) {
    p.check_options(v);
    p.files(v, q);
    if (v["name"]) q.names = p.strings(v["name"], "name");
    q.versioned_only = p.flag(v, "versioned");
  } else if (!v.IsNull()) {
    q.names = p.strings(v, "dependency");
  }
  for (auto& name : q.names) name = normalise_package_name(name);
  if (q.names.empty() && !q.versioned_only) p.error(v, "dependency needs at least one package name");
  return p.query(std::move(q), v);
}

}  // namespace mlops
