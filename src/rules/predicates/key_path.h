// What yaml and toml share: a key path that exists, equals a scalar or matches an RE2.
#pragma once
#include "rules/predicate.h"

namespace mlops {

// Reads `path`, `equals` / `matches`, `files` and `prefilter` of `v` into `q` (kind already set).
void parse_key_path(PredicateParser& p, const YAML::Node& v, FileQuery& q);

}  // namespace mlops
