// What unpinned_dependency and locked_dependency share: a per-file dependency query from which
// the requirements pinned by constraints files (`-c`) are taken away.
#pragma once
#include "rules/predicate.h"

namespace mlops {

Expr parse_constrained_dependency(PredicateParser& p, const YAML::Node& v, QueryKind kind, const char* name);

}  // namespace mlops
