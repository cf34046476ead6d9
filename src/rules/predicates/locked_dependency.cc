// `locked_dependency: {name?, files?}`: a lock file that parses pins the package (any package
// when no name is given).
#include "rules/predicate.h"
#include "rules/predicates/pinned_dependency.h"

namespace mlops {

Expr parse_locked_dependency(PredicateParser& p, const YAML::Node& v) {
  return parse_constrained_dependency(p, v, QueryKind::DependencyLocked, "locked_dependency");
}

}  // namespace mlops
