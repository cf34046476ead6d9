// `ci_runs: pattern`: a CI job runs a matching command, directly or through make / tox /
// pre-commit / nox / task runners / scripts.
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {

Expr parse_ci_runs(PredicateParser& p, const YAML::Node& v) {
  std::string pattern;
  if (v.IsMap()) {
    p.check_options(v);
    if (auto s = v["pattern"] ? p.scalar(v["pattern"], "pattern") : std::nullopt) pattern = *s;
  } else if (auto s = p.scalar(v, "ci_runs")) {
    pattern = *s;
  }
  Expr e;
  if (pattern.empty()) {
    p.error(v, "ci_runs needs a pattern");
    return e;
  }
  e.op = Expr::Op::CiRuns;
  e.regex = p.regex(v, pattern, pattern);
  FileQuery ci;
  ci.kind = QueryKind::CiCommands;
  e.query = p.add_query(std::move(ci), v);
  FileQuery build;
  build.kind = QueryKind::BuildCommands;
  e.build_query = p.add_query(std::move(build), v);
  return e;
}

}  // namespace mlops
