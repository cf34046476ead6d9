// `python_assign: {name, value, files, prefilter}`: a module-level `NAME = value`.
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {

Expr parse_python_assign(PredicateParser& p, const YAML::Node& v) {
  FileQuery q;
  q.kind = QueryKind::PythonAssign;
  if (!v.IsMap()) {
    p.error(v, "python_assign takes a map with name, value and files");
    return {};
  }
  p.check_options(v);
  p.files(v, q);
  if (v["name"])
    q.names = p.strings(v["name"], "name");
  else
    p.error(v, "python_assign needs a name");
  if (v["value"]) {
    if (auto pattern = p.scalar(v["value"], "value")) q.pattern = *pattern;  // RE2 over the value
  }
  // An assignment spells its name; a name glob with a literal part gives a prefilter.
  bool all_literal = !q.names.empty();
  for (const auto& n : q.names) {
    if (n.starts_with('!')) continue;  // an exclusion spells nothing the file must hold
    std::string lit = longest_literal(n);
    if (lit.size() >= 3)
      q.prefilter.push_back(lit);
    else
      all_literal = false;
  }
  if (!all_literal) q.prefilter.clear();
  if (v["prefilter"]) q.prefilter = p.strings(v["prefilter"], "prefilter");
  return p.query(std::move(q), v);
}

}  // namespace mlops
