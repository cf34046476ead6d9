// `condition: NAME`: a named applicability condition (rules/conditions.yaml) holds. A bare
// string in a check means the same.
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {

Expr parse_condition(PredicateParser& p, const YAML::Node& v) {
  Expr e;
  if (auto s = p.scalar(v, "condition")) {
    e.op = Expr::Op::Condition;
    e.condition = *s;
    p.condition_ref(*s, v);
  }
  return e;
}

}  // namespace mlops
