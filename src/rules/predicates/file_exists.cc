// `file_exists: globs`: a file of the project matches (answered from the listing alone).
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {

Expr parse_file_exists(PredicateParser& p, const YAML::Node& v) {
  Expr e;
  e.op = Expr::Op::FileExists;
  e.globs = p.strings(v, "file_exists");
  return e;
}

}  // namespace mlops
