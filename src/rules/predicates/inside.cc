// `inside` / `not_inside`: keep the matches of `check` whose context holds (or, for not_inside,
// does not) — in the same `file`, the same `function` (module level is one scope), a file of the
// same `directory` or one above it, or anywhere in the `project`. They nest at any depth, like semgrep's
// pattern-inside / pattern-not-inside:
//   not_inside:
//     check: {python_call: {name: "*.score", text: train}}
//     file: {python_call: {name: "*.score", text: test}}
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {
namespace {

Expr parse_scoped(PredicateParser& p, const YAML::Node& v, bool negated, const char* name) {
  Expr e;
  if (!v.IsMap()) {
    p.error(v, std::string(name) + " takes a map: check, and one of file, function, directory or project");
    return e;
  }
  p.check_options(v);
  if (!v["check"]) {
    p.error(v, std::string(name) + " needs a check");
    return e;
  }
  const char* scopes[] = {"file", "function", "directory", "project"};
  const Expr::Scope values[] = {Expr::Scope::File, Expr::Scope::Function, Expr::Scope::Directory,
                                Expr::Scope::Project};
  int found = -1;
  for (int i = 0; i < 4; ++i) {
    if (!v[scopes[i]]) continue;
    if (found >= 0) {
      p.error(v[scopes[i]],
              std::string(name) + " takes one of file, function, directory or project, not two");
      return e;
    }
    found = i;
  }
  if (found < 0) {
    p.error(v, std::string(name) + " needs a context: file, function, directory or project");
    return e;
  }
  e.op = Expr::Op::Inside;
  e.negated = negated;
  e.scope = values[found];
  e.children.push_back(p.expr(v["check"]));
  e.children.push_back(p.expr(v[scopes[found]]));
  return e;
}

}  // namespace

Expr parse_inside(PredicateParser& p, const YAML::Node& v) {
  return parse_scoped(p, v, false, "inside");
}

Expr parse_not_inside(PredicateParser& p, const YAML::Node& v) {
  return parse_scoped(p, v, true, "not_inside");
}

}  // namespace mlops
