// `git_tag: pattern`: a git tag on the scanned commit or an ancestor matches (model versions
// registered as tags).
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {

Expr parse_git_tag(PredicateParser& p, const YAML::Node& v) {
  Expr e;
  auto pattern = p.scalar(v, "git_tag");
  if (!pattern || pattern->empty()) {
    p.error(v, "git_tag needs a pattern");
    return e;
  }
  e.op = Expr::Op::GitTag;
  e.regex = p.regex(v, *pattern, *pattern);
  return e;
}

}  // namespace mlops
