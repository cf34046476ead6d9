// `before: [A, B]`: matches of A with a match of B later in the same file and scope (a scaler
// fitted before the train/test split).
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {

Expr parse_before(PredicateParser& p, const YAML::Node& v) {
  Expr e;
  e.op = Expr::Op::Before;
  if (!v.IsSequence() || v.size() != 2) {
    p.error(v, "'before' takes a list of two checks: [first, then]");
    return e;
  }
  for (const auto& c : v) e.children.push_back(p.expr(c));
  return e;
}

}  // namespace mlops
